"""Public 好差评 pages: the column and overview (REV-12, 13), rankings (REV-6, 20), and every
citizen intake path — website lookup, personal centre, static and dynamic QR codes, SMS links,
the hall evaluation pad (REV-16, 18, 20.3.1, 20.6, 20.7)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.acceptance.models import Case, Hall, HallStaff, Window
from apps.core.models import Region
from apps.core.scope import can_see
from apps.reviews import selectors
from apps.reviews.convenient import impressions_from
from apps.reviews.models import (
    Evaluation,
    EvaluationChannel,
    ObjectKind,
    PublicationStatus,
)
from apps.reviews.services.evaluations import (
    EvaluationInput,
    evaluation_form_context,
    evaluation_submit,
)
from apps.reviews.services.intake import (
    case_from_dynamic_qr,
    case_is_evaluated,
    reminder_case,
)
from apps.reviews.services.overview import overview_snapshot
from apps.reviews.views.homes import column_context

REQUIRED_REAL_NAME_LEVEL = 2
STAR_PAGES = {"halls": ("hall", 10, _("全省明星大厅")), "windows": ("window", 100, _("全省明星窗口")),
              "departments": ("organisation", 50, _("全省明星部门")), "staff": ("staff", 100, _("全省服务明星"))}


def _region(request) -> Region:
    code = request.GET.get("region") or selectors.PROVINCE
    region = Region.objects.filter(code=code).first()
    return region or Region.objects.get(code=selectors.PROVINCE)


def overview(request):
    """REV-12.1–12.9, 13.2, 13.3: the column with a province/city/county switch. The figures are
    the region's stored snapshot (services/overview.py), shown with the time they were computed."""
    region = _region(request)
    snapshot = overview_snapshot(region)
    figures = snapshot.data
    data = figures["data"]
    context = {
        **figures, "region": region, "computed_at": snapshot.computed_at,
        "children": Region.objects.filter(parent=region).order_by("code"),
        "showcase": selectors.showcase(),
        "chart": {"levels": data["levels"], "channels": data["channels"], "objects": data["objects"]},
        **column_context(),
    }
    return render(request, "reviews/public/overview.html", context)


def ranking(request, kind: str):
    """REV-6.6–6.9: star halls (10 a page), windows (100), departments (50), service stars (100)."""
    if kind not in STAR_PAGES:
        raise Http404
    dimension, size, title = STAR_PAGES[kind]
    region = _region(request)
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    rows = selectors.by_dimension(dimension=dimension, region_code=region.code, limit=size + 1,
                                  offset=(page - 1) * size)
    return render(request, "reviews/public/ranking.html", {
        "title": title, "rows": rows[:size], "has_next": len(rows) > size, "page": page, "kind": kind,
        "region": region, "dimension": dimension, "kinds": STAR_PAGES})


def ranking_detail(request, dimension: str, pk: int):
    """REV-20.4 level 2 (public) and level 3 (government users: evaluation details)."""
    if dimension not in selectors.DIMENSIONS:
        raise Http404
    field = selectors.DIMENSION_FIELDS[dimension]
    rows = Evaluation.objects.filter(**{field: pk}, is_valid=True).select_related("matter", "region")
    levels = dict(rows.order_by().values("level").annotate(n=Count("pk")).values_list("level", "n"))
    stats = selectors.derive({"total": sum(levels.values()), **{f"level{i}": levels.get(i, 0) for i in range(1, 6)}})
    government = request.user.is_authenticated and getattr(request.user, "is_staff_user", False)
    details = None
    if government:
        details = selectors.evaluation_list(user=request.user).filter(**{field: pk})[:50]
    public = rows.filter(publication_status__in=(PublicationStatus.PUBLISHED, PublicationStatus.NOT_NEEDED))[:20]
    return render(request, "reviews/public/ranking_detail.html", {
        "stats": stats, "details": details, "public_rows": public, "dimension": dimension})


def _require_real_name(request):
    if getattr(request.user, "real_name_level", 0) < REQUIRED_REAL_NAME_LEVEL and not request.user.is_staff_user:
        raise PermissionDenied(_("评价前请先完成实名认证（L2 及以上）。"))


def _evaluate(request, *, data_kwargs: dict, object_kind: str, channel: str, title: str, case=None,
              ask_case_number: bool = False, target_label: str = ""):
    """Shared evaluation form: level, tags per level (none preselected), comment, anonymous."""
    context = {"title": title, "case": case, "ask_case_number": ask_case_number, "target_label": target_label,
               **evaluation_form_context(ObjectKind.CASE if case is not None else object_kind, channel)}
    if case is not None and case_is_evaluated(case):
        context["already"] = True
        return render(request, "reviews/public/evaluate.html", context)
    if request.method == "POST":
        kwargs = dict(data_kwargs)
        kind = object_kind
        if ask_case_number and request.POST.get("case_number", "").strip():
            found = Case.objects.filter(case_number=request.POST["case_number"].strip(),
                                        applicant=request.user).first()
            if found is None:
                context["error"] = _("未找到您名下的该办件，请核对办件编号。")
                return render(request, "reviews/public/evaluate.html", context, status=400)
            kwargs, kind = {"case": found}, ObjectKind.CASE
        try:
            evaluation = evaluation_submit(data=EvaluationInput(
                object_kind=kind, channel=channel, level=request.POST.get("level"),
                tags=request.POST.getlist("tags"), comment=request.POST.get("comment", ""),
                indicators=impressions_from(request.POST, object_kind=kind, channel=channel),
                evaluator=request.user, is_anonymous=bool(request.POST.get("is_anonymous")), **kwargs))
        except ValidationError as exc:
            context["error"] = "；".join(exc.messages)
            return render(request, "reviews/public/evaluate.html", context, status=400)
        messages.success(request, _("评价已提交，评价编号 %(n)s。感谢您的评价！") % {"n": evaluation.evaluation_number})
        return redirect("reviews-public:mine")
    return render(request, "reviews/public/evaluate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evaluate_case(request, case_number: str):
    """REV-20.3.1, 20.7: evaluate one of my concluded cases on the website / personal centre."""
    _require_real_name(request)
    case = get_object_or_404(Case.objects.select_related("item", "region", "organisation"),
                             case_number=case_number, applicant=request.user)
    if case.status != "concluded":
        raise Http404
    return _evaluate(request, data_kwargs={"case": case}, object_kind=ObjectKind.CASE,
                     channel=EvaluationChannel.PC, title=_("办件评价"), case=case)


def lookup(request):
    """REV-20.3.1: look a case up by number and applicant name; the evaluate button follows the
    case's status and evaluation status."""
    result = None
    if request.GET.get("case_number"):
        case = Case.objects.select_related("item", "organisation").filter(
            case_number=request.GET["case_number"].strip(), applicant_name=request.GET.get("name", "").strip()).first()
        result = {"case": case, "evaluated": case_is_evaluated(case) if case else False,
                  "previous": Evaluation.objects.filter(case=case).first() if case else None}
    return render(request, "reviews/public/lookup.html", {"result": result})


@login_required
@require_http_methods(["GET", "POST"])
def static_qr(request, kind: str, token: str):
    """REV-16.5, 23.10.1, 1.4, 1.7: a hall, window or staff QR code; the user may enter a case number."""
    model = {"hall": Hall, "window": None, "staff": HallStaff}.get(kind, False)
    if model is False:
        raise Http404
    _require_real_name(request)
    if kind == "window":
        target = get_object_or_404(Window.objects.select_related("hall__region", "hall__organisation"),
                                   hall__qr_token=token.split(".")[0], window_number=token.split(".", 1)[-1])
    else:
        target = get_object_or_404(model, qr_token=token)
    return _evaluate(request, data_kwargs={kind: target}, object_kind=kind, channel=EvaluationChannel.QR,
                     title=_("扫码评价"), ask_case_number=True, target_label=str(target))


@login_required
@require_http_methods(["GET", "POST"])
def dynamic_qr(request, token: str):
    """REV-16.6, 23.10.2: the receipt's signed QR opens that case's page; no number to enter."""
    _require_real_name(request)
    try:
        case = case_from_dynamic_qr(token)
    except ValidationError as exc:
        return render(request, "reviews/public/refused.html", {"message": exc.messages[0]}, status=410)
    if case.applicant_id and case.applicant_id != request.user.pk:
        raise PermissionDenied(_("只能评价本人办理的办件。"))
    return _evaluate(request, data_kwargs={"case": case}, object_kind=ObjectKind.CASE, channel=EvaluationChannel.QR,
                     title=_("办件评价"), case=case)


@login_required
@require_http_methods(["GET", "POST"])
def sms_link(request, token: str):
    """REV-18.3, 18.4: the SMS link, after login, opens the case's evaluation page."""
    _require_real_name(request)
    try:
        case = reminder_case(token)
    except ValidationError as exc:
        return render(request, "reviews/public/refused.html", {"message": exc.messages[0]}, status=404)
    if case.applicant_id and case.applicant_id != request.user.pk:
        raise PermissionDenied(_("只能评价本人办理的办件。"))
    return _evaluate(request, data_kwargs={"case": case}, object_kind=ObjectKind.CASE,
                     channel=EvaluationChannel.SMS, title=_("办件评价"), case=case)


@login_required
def mine(request):
    """REV-20.6, 20.7 personal centre: my evaluations and my concluded cases still to evaluate."""
    evaluations = Evaluation.objects.filter(evaluator=request.user).select_related("matter")[:50]
    pending = (Case.objects.filter(applicant=request.user, status="concluded", evaluations__isnull=True)
               .select_related("item")[:50])
    return render(request, "reviews/public/mine.html", {"evaluations": evaluations, "pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def pad(request, window_id: int):
    """Hall evaluation pad at a window (REV-16.1, 16.7): the window's latest concluded, unrated
    case, rated with one touch (channel hall). Runs on a device logged in as hall staff."""
    window = get_object_or_404(Window.objects.select_related("hall__region", "hall__organisation"), pk=window_id)
    if not getattr(request.user, "is_staff_user", False) or not can_see(request.user, window):
        raise PermissionDenied(_("评价器须由本大厅工作人员账号登录。"))
    since = timezone.now() - timezone.timedelta(hours=2)
    case = (Case.objects.filter(window=window, status="concluded", concluded_at__gte=since, evaluations__isnull=True)
            .select_related("item", "region", "organisation").order_by("-concluded_at").first())
    kind = ObjectKind.CASE if case else ObjectKind.WINDOW
    context = {"window": window, "case": case, **evaluation_form_context(kind, EvaluationChannel.HALL)}
    if request.method == "POST":
        kwargs = {"case": case} if case else {"window": window}
        try:
            evaluation_submit(data=EvaluationInput(
                object_kind=kind, channel=EvaluationChannel.HALL,
                level=request.POST.get("level"), tags=request.POST.getlist("tags"),
                indicators=impressions_from(request.POST, object_kind=kind, channel=EvaluationChannel.HALL),
                comment=request.POST.get("comment", ""), evaluator_name=case.applicant_name if case else "",
                **kwargs))
        except ValidationError as exc:
            context["error"] = "；".join(exc.messages)
            return render(request, "reviews/public/pad.html", context, status=400)
        messages.success(request, _("感谢您的评价！"))
        return redirect("reviews-public:pad", window_id=window.pk)
    return render(request, "reviews/public/pad.html", context)


def help_page(request):
    """REV-12.12, 12.13: FAQ and operation guide."""
    return render(request, "reviews/public/help.html", {"page": Paginator([], 1)})
