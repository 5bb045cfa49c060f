"""Public pages of the flagship stores and zones (citizen surface, /stores/): thin — parse, call a
selector or service, render."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.stores import selectors
from apps.stores.models import StoreLevel, Zone, ZoneMatter
from apps.stores.selectors_search import search_regions, smart_search

PAGE_SIZE = 20


def _errors(request, error) -> None:
    for text in getattr(error, "messages", [str(error)]):
        messages.error(request, text)


def index(request):
    """STORE-4.5: entry to every provincial-department and city store (and below) from the platform,
    with the recommended matters (STORE-2.e) and the zones."""
    directory = selectors.store_directory()
    return render(request, "stores/public/index.html", {
        "levels": [(level, label, directory[level]) for level, label in StoreLevel.choices],
        "recommendations": selectors.current_recommendations(), "partners": selectors.partner_sites()})


def store_page(request, slug: str):
    """A store's home page rendered from its level's template (STORE-1.x), with high-frequency quick entries
    (STORE-4.4); the provincial login carries over (STORE-4.3): no store asks to log in again."""
    store = selectors.published_store(slug)
    services = selectors.store_services(store)
    return render(request, "stores/public/store.html", {
        "store": store, "template": store.template, "sections": store.template.sections or [],
        "services": services, "high_frequency": [s for s in services if s.is_high_frequency],
        "columns": selectors.store_columns(store), "sub_stores": selectors.sub_stores(store),
        "login_url": f"{reverse('public:login')}?{urlencode({'next': request.get_full_path()})}"})


def service_page(request, slug: str, pk: int):
    """STORE-4.6: the service page with enquiry and support phones, conditions and notes."""
    store = selectors.published_store(slug)
    service = selectors.published_service(store, pk)
    return render(request, "stores/public/service.html", {"store": store, "service": service})


def handle(request, slug: str, pk: int):
    """Go to online handling: a service of a connected system gets the provincial ticket through
    /sso/ticket/ (STORE-2.1.4); a service demanding higher authentication asks for it first (2.1.3)."""
    from apps.stores.services.auth import handling_redirect

    store = selectors.published_store(slug)
    service = selectors.published_service(store, pk)
    if not request.user.is_authenticated and (service.client_system_code or service.min_real_name_level
                                              or service.auth_methods):
        return redirect(f"{reverse('public:login')}?{urlencode({'next': request.get_full_path()})}")
    try:
        return HttpResponseRedirect(handling_redirect(user=request.user, service=service))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
        return redirect("stores-public:authenticate", slug=slug, pk=pk)
    except ValidationError as error:                     # e.g. no online handling for this service
        _errors(request, error)
        return redirect("stores-public:service", slug=slug, pk=pk)


def article_page(request, slug: str, pk: int):
    store = selectors.published_store(slug)
    return render(request, "stores/public/article.html",
                  {"store": store, "article": selectors.published_article(store, pk)})


def elderly_zone(request):
    """STORE-2.c: the elderly-friendly topic page (large font, large icons, accessibility toolbar) with
    authorised proxy handling through apps.matters' proxy grants."""
    from apps.matters.selectors_proxy import proxy_principals

    current = request.GET.get("classification", "").strip()
    principals = proxy_principals(agent=request.user) if request.user.is_authenticated else []
    return render(request, "stores/public/elderly.html", {
        "matters": selectors.zone_matters(Zone.ELDERLY, classification=current), "current": current,
        "classifications": selectors.zone_classifications(Zone.ELDERLY), "principals": principals})


@require_POST
@login_required(login_url="public:login")
def elderly_proxy(request, pk: int):
    from apps.matters.views.proxy import apply_url
    from apps.stores.services.zones import elderly_proxy_start

    matter = get_object_or_404(ZoneMatter.objects.select_related("implementation_item"), pk=pk)
    principal = request.POST.get("principal", "")
    try:
        handling = elderly_proxy_start(actor=request.user, zone_matter=matter,
                                       principal_id=int(principal) if principal.isdigit() else 0)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
        return redirect("stores-public:elderly")
    messages.success(request, f"已为{handling.principal.full_name}发起代办，代办编号 {handling.number}。")
    return redirect(apply_url(handling))


def search(request):
    """STORE-2.f: segmented, association-widened search in a chosen division."""
    text = request.GET.get("q", "")
    region = request.GET.get("region", "")
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    result, error = None, None
    if text.strip():
        try:
            result = smart_search(text=text, region_code=region, page=number, page_size=PAGE_SIZE)
        except ValidationError as exc:
            error = exc
    status = 400 if error is not None else 200
    return render(request, "stores/public/search.html", {
        "q": text, "region": region, "regions": search_regions(), "result": result,
        "errors": [m for ms in error.message_dict.values() for m in ms] if error is not None else []}, status=status)


def zone_page(request, zone: str):
    """STORE-2.b province-wide list / STORE-2.a cross-province and three-provinces-one-region lists."""
    if zone not in (Zone.PROVINCE_WIDE, Zone.CROSS_PROVINCE, Zone.REGIONAL):
        return redirect("stores-public:elderly") if zone == Zone.ELDERLY else redirect("stores-public:index")
    current = request.GET.get("classification", "").strip()
    return render(request, "stores/public/zone.html", {
        "zone": Zone(zone), "matters": selectors.zone_matters(zone, classification=current), "current": current,
        "classifications": selectors.zone_classifications(zone),
        "partners": selectors.partner_sites() if zone != Zone.PROVINCE_WIDE else []})


def proofs(request):
    """STORE-2.h: the retained and the voided proofs, listed separately."""
    q = request.GET.get("q", "").strip()[:50]
    lists = selectors.proof_lists(q=q)
    return render(request, "stores/public/proofs.html", {"q": q, "retained": lists["retained"],
                                                         "voided": lists["voided"]})


def power_list(request, item_pk: int):
    """STORE-2.g: the 权责清单 entries linked to a published guide (the button's page)."""
    from apps.matters import selectors as matter_selectors

    item = get_object_or_404(matter_selectors.public_guides(), pk=item_pk)
    return render(request, "stores/public/power_list.html",
                  {"item": item, "entries": selectors.power_entries_for_item(item.pk)})


@login_required(login_url="public:login")
def partner_go(request, code: str):
    """STORE-2.a: a logged-in Heilongjiang user opens a partner province's home page (or the national
    cross-province zone); the jump passes through the provincial ticket endpoint, the partner is a
    registered client system that exchanges the ticket, so it recognises the login."""
    site = get_object_or_404(selectors.partner_sites(), code=code)
    return redirect(f"{reverse('sso:ticket-issue')}?{urlencode({'app_id': site.code, 'redirect_uri': site.home_url})}")


@login_required(login_url="public:login")
def authenticate(request, slug: str, pk: int):
    """STORE-2.1.3: complete one of the higher authentication methods a service demands."""
    from apps.stores.models import AuthMethod
    from apps.stores.services import auth

    store = selectors.published_store(slug)
    service = selectors.published_service(store, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "sms_send" and AuthMethod.SMS in service.auth_methods:
                auth.step_up_sms_send(user=request.user)
                messages.success(request, "验证码已发送到您登记的手机。")
                return redirect(request.path)
            if action == "sms_verify" and AuthMethod.SMS in service.auth_methods:
                auth.step_up_sms_verify(user=request.user, code=request.POST.get("code", ""))
            elif action in service.auth_methods and action != AuthMethod.SMS:
                auth.step_up_external(user=request.user, method=action, evidence=request.POST.get("evidence", ""))
            else:
                raise ValidationError("该服务不接受此认证方式。")
        except ValidationError as error:
            _errors(request, error)
            return render(request, "stores/public/authenticate.html",
                          {"store": store, "service": service, "methods": AuthMethod}, status=400)
        messages.success(request, "认证成功。")
        return redirect("stores-public:handle", slug=slug, pk=pk)
    return render(request, "stores/public/authenticate.html", {"store": store, "service": service,
                                                               "methods": AuthMethod})


def licences(request, slug: str):
    """STORE-6: the store's licence catalogue with counts; search by licence name, answers masked."""
    from apps.stores.selectors_licences import licence_catalogue, licence_search

    store = selectors.published_store(slug)
    q = request.GET.get("q", "").strip()[:50]
    return render(request, "stores/public/licences.html", {
        "store": store, "catalogue": licence_catalogue(store), "q": q,
        "results": licence_search(store, name=q) if q else None})
