"""Public service map pages (/map/): the map, search, hall and window pages, window services."""
from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.acceptance.models import HallStaff
from apps.core.forms import add_service_errors
from apps.core.middleware import client_address
from apps.servicemap import search as map_search
from apps.servicemap import selectors, services
from apps.servicemap.clustering import PROVINCE_ZOOM
from apps.servicemap.forms import BookingForm, CodeForm, ConsultationForm, EvaluationForm
from apps.servicemap.models import HallConnection


def map_home(request):
    """MAP-1.1 – 1.4, 2.1 – 2.5: the map. Without ?region the map opens on the city of the user's
    real IP (`ip` passed by a channel, else the request address behind trusted proxies)."""
    located = None
    code = request.GET.get("region")
    if not code:
        located = selectors.located_region(request.GET.get("ip") or client_address(request))
    region = selectors.region_or_404(code or (located.code if located else None))
    theme = selectors.theme_by_code(request.GET.get("theme"))
    navigation = selectors.region_navigation(region)
    return render(request, "servicemap/public/map.html", {
        "nav": navigation, "themes": selectors.themes(), "theme": theme, "located": located,
        "map_state": {"zoom": PROVINCE_ZOOM, "region": region.code, "theme": theme.code if theme else "",
                      "centre": navigation["centre"], "focus": region.level > 1,
                      "markers": selectors.theme_markers(theme=theme, region=None, zoom=PROVINCE_ZOOM)},
    })


def search_page(request):
    """MAP-1.2: results for a keyword or a question; with lng/lat, the nearest halls too."""
    query = request.GET.get("q", "").strip()
    result = map_search.search(query) if query else None
    point = map_search.parse_point(request.GET.get("lng"), request.GET.get("lat"))
    return render(request, "servicemap/public/search.html", {
        "query": query, "result": result, "nearest": map_search.nearest(*point) if point else None})


def suggest(request):
    return JsonResponse({"suggestions": map_search.suggest(request.GET.get("q", ""))})


def hall_detail(request, pk: int):
    """MAP-1.5: the hall's own page."""
    return render(request, "servicemap/public/hall.html", selectors.hall_page(pk))


def _window_forms(request, page, bound: str = "", data=None):
    user = request.user
    own_system = HallConnection.objects.filter(hall=page["hall"]).exclude(booking_system_url="").exists()
    initial = {}
    if user.is_authenticated:
        name = services.applicant_name(user)
        initial = {"booker_name": name, "consultant_name": name,
                   "mobile_number": getattr(user, "mobile_number", "") or ""}
    return {
        "booking_form": BookingForm(data if bound == "book" else None, initial=initial, matters=page["matters"],
                                    slots=page["slots"], own_system=own_system),
        "consultation_form": ConsultationForm(data if bound == "consult" else None, initial=initial,
                                              matters=page["matters"]),
        "evaluation_form": EvaluationForm(data if bound == "evaluate" else None, staff=page["staff"]),
        "own_booking_system": own_system,
    }


def window_detail(request, pk: int):
    """MAP-1.6 / 1.7: the window page with its services."""
    page = selectors.window_page(pk)
    return render(request, "servicemap/public/window.html", {**page, **_window_forms(request, page)})


def _parse_period(value: str):
    try:
        start, end = value.split("-")
        return time.fromisoformat(start), time.fromisoformat(end)
    except (ValueError, AttributeError):
        return None, None


@require_POST
def window_service(request, pk: int, action: str):
    """POST of one window service: book, consult or evaluate (a signed-in applicant; MAP-6.2 SSO)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.path.rsplit("/", 2)[0] + "/")
    page = selectors.window_page(pk)
    window = page["window"]
    forms = _window_forms(request, page, bound=action, data=request.POST)
    form = {"book": forms["booking_form"], "consult": forms["consultation_form"],
            "evaluate": forms["evaluation_form"]}.get(action)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        v = form.cleaned_data
        try:
            if action == "book":
                start, end = _parse_period(v.get("period", ""))
                slot = selectors.slot_or_none(v.get("slot"))
                booking = services.booking_submit(actor=request.user, data=services.BookingInput(
                    window=window, matter=selectors.matter_or_none(v["matter"]), booker_name=v["booker_name"],
                    mobile_number=v["mobile_number"], id_number=v.get("id_number", ""), code=v["code"], slot=slot,
                    date=v.get("date"), period_start=start, period_end=end))
                messages.success(request, f"预约已提交，预约单号 {booking.number}，办理地点：{booking.handling_location}。")
            elif action == "consult":
                row = services.consultation_submit(
                    actor=request.user, window=window, matter=selectors.matter_or_none(v["matter"]), title=v["title"],
                    question=v["question"], consultant_name=v.get("consultant_name", ""),
                    mobile_number=v["mobile_number"], code=v["code"])
                messages.success(request, f"咨询已提交，咨询单号 {row.number}，答复将通过短信通知您。")
            else:
                staff = None
                if v["target"].startswith("staff:"):
                    staff = get_object_or_404(HallStaff, pk=int(v["target"].split(":")[1]), hall=window.hall)
                services.evaluation_submit(actor=request.user, window=window,
                                           application_number=v["application_number"], level=v["level"],
                                           comment=v.get("comment", ""), staff=staff, code=v["code"])
                messages.success(request, "评价已提交到“好差评”系统，感谢您的评价。")
            return redirect("servicemap-public:window", pk=pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    page = selectors.window_page(pk)
    context = {**page, **forms, "open_tab": action}
    return render(request, "servicemap/public/window.html", context, status=400)


@require_POST
def code_send(request):
    """MAP-6.6: send a verification code (JSON for the page's script, redirect without JS)."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"message": "请先登录。"}, status=401)
        return redirect_to_login(request.POST.get("next") or "/map/")
    form = CodeForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.code_send(mobile_number=form.cleaned_data["mobile_number"], purpose=form.cleaned_data["purpose"],
                               recipient=request.user)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    else:
        error = "请填写正确的手机号码。"
    if wants_json:
        return JsonResponse({"message": error or "验证码已发送，请查收短信。"}, status=400 if error else 200)
    (messages.error if error else messages.success)(request, error or "验证码已发送，请查收短信。")
    nxt = request.POST.get("next") or "/map/"
    return redirect(nxt if nxt.startswith("/map/") else "/map/")
