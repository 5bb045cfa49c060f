"""Public home pages of the 好差评 column: region home and department home (REV-23.7), the hall
column page (REV-12.11), the section rankings (REV-20.1, 20.2) and satisfaction (REV-12.7)."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.acceptance.models import Hall, HallStaff, Window
from apps.core.models import Organisation, Region
from apps.core import charts
from apps.reviews import analysis, rankings
from apps.reviews.models import EvaluationChannel, ObjectKind, ReviewAnnouncement, ReviewColumn
from apps.reviews.models.system import RecordStatus
from apps.reviews.views.rankings import parse_date

VIEWS = {"": (gettext_lazy("全部"), {}),
         "handling": (gettext_lazy("事项办理"), {"object_kinds": (ObjectKind.CASE,)}),
         "guide": (gettext_lazy("办事指南"), {"object_kinds": (ObjectKind.SERVICE_GUIDE, ObjectKind.MATTER)}),
         "hotline": (gettext_lazy("热线服务"), {"channels": (EvaluationChannel.HOTLINE,)})}


def _filter(request, region_code: str) -> tuple[rankings.RankingFilter, str]:
    view = request.GET.get("view", "")
    if view not in VIEWS:
        raise Http404
    filt = rankings.RankingFilter(region_code=region_code, first=parse_date(request.GET.get("first")),
                                  last=parse_date(request.GET.get("last")))
    return filt.with_(**VIEWS[view][1]), view


def _channel_chart(totals: list[dict]) -> dict:
    return charts.bar([t["label"] for t in totals], [t["total"] for t in totals], horizontal=False)


def region_home(request, code: str):
    """Region home: channel comparison and overviews, subordinate regions, this level's
    departments and items ranked; item handling / guides / hotline views; date filters."""
    region = get_object_or_404(Region, code=code)
    filt, view = _filter(request, region.code)
    channels = rankings.channel_totals(filt)
    return render(request, "reviews/public/region_home.html", {
        "region": region, "view": view, "views": VIEWS, "filt": filt, "channels": channels,
        "totals": rankings.derive(filt.rows().aggregate(**rankings.SUMS)),
        "regions": rankings.rank(filt, by="unit"),
        "departments": rankings.rank(filt.with_(level_only=True), by="department", limit=20),
        "items": rankings.rank(filt.with_(level_only=True), by="matter", limit=20),
        "chart": _channel_chart(channels)})


def department_home(request, pk: int):
    """Department home: channel comparison and overviews, its items ranked, strengths and
    weaknesses; the same three views and date filters."""
    organisation = get_object_or_404(Organisation, pk=pk, is_enabled=True)
    filt, view = _filter(request, rankings.PROVINCE)
    data = rankings.department_home(filt, organisation)
    return render(request, "reviews/public/department_home.html", {
        "organisation": organisation, "view": view, "views": VIEWS, "filt": filt, **data,
        "chart": _channel_chart(data["channels"]),
        "tags": analysis.strengths_weaknesses(organisation_id=organisation.pk, first=filt.first, last=filt.last)})


def hall_column(request, pk: int):
    """REV-12.11: the hall's information, windows with their items, evaluation and score, booking;
    staff with their score and evaluation entry."""
    hall = get_object_or_404(Hall.objects.select_related("region", "organisation"), pk=pk, is_active=True)
    filt = rankings.RankingFilter(hall_id=hall.pk)
    window_scores = {r["id"]: r for r in rankings.rank(filt, by="window")}
    staff_scores = {r["id"]: r for r in rankings.rank(filt, by="staff")}
    windows = (Window.objects.filter(hall=hall, is_active=True).prefetch_related("matters__matter",
                                                                                "assignments__staff")
               .order_by("window_number"))
    staff = HallStaff.objects.filter(hall=hall, is_active=True).select_related("department").order_by("staff_number")
    totals = rankings.derive(filt.rows().aggregate(**rankings.SUMS))
    return render(request, "reviews/public/hall.html", {
        "hall": hall, "windows": [(w, window_scores.get(w.pk), reverse("reviews-public:static-qr", args=[
            "window", f"{hall.qr_token}.{w.window_number}"])) for w in windows],
        "staff": [(s, staff_scores.get(s.pk)) for s in staff], "totals": totals})


def sections(request):
    """REV-20.1, 20.2: website, physical halls, mobile and hotline, each ranked by city and department."""
    region = Region.objects.filter(code=request.GET.get("region") or rankings.PROVINCE).first()
    region = region or get_object_or_404(Region, code=rankings.PROVINCE)
    filt = rankings.RankingFilter(region_code=region.code, first=parse_date(request.GET.get("first")),
                                  last=parse_date(request.GET.get("last")))
    return render(request, "reviews/public/sections.html", {
        "region": region, "filt": filt, "by_unit": rankings.sections(filt, by="unit"),
        "by_department": rankings.sections(filt, by="department")})


def column_context() -> dict:
    """Announcements in force (REV-10.6) and the visible column entries (REV-10.3) for the column."""
    return {"announcements": ReviewAnnouncement.objects.filter(status=RecordStatus.NORMAL)[:5],
            "columns": ReviewColumn.objects.filter(is_visible=True, parent=None)}
