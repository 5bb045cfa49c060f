"""Ranking pages over the ranking engine (apps.reviews.rankings): the portal's ranking boards
(REV-6.1–6.5, 8.2, 8.3, 11.1.2) and the public ranking board (REV-20.1–20.5, 23.5, 23.6)."""
from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views import View

from apps.core.models import Organisation, Region
from apps.core.models.regions import prefix_of_code
from apps.core.views.mixins import StaffPermissionMixin
from apps.reviews import rankings, selectors
from apps.reviews.models import ObjectKind
from apps.reviews.rankings import PROVINCE, RankingFilter

BOARDS = {
    "good": gettext_lazy("全省好评排行榜"),
    "bad": gettext_lazy("全省差评排行榜"),
    "count": gettext_lazy("评价次数排行"),
    "rectification": gettext_lazy("整改情况排名"),
    "case": gettext_lazy("办件满意度排行"),
    "horizontal": gettext_lazy("本级部门横向排名"),
    "theme": gettext_lazy("分主题排名"),
    "integrators": gettext_lazy("接入方评价数量排行"),
}
PUBLIC_BY = {"unit": gettext_lazy("按区划"), "department": gettext_lazy("按部门"), "hall": gettext_lazy("大厅"),
             "window": gettext_lazy("窗口"), "staff": gettext_lazy("人员"), "matter": gettext_lazy("事项")}
TARGETS = {"": gettext_lazy("全部"), ObjectKind.CASE: gettext_lazy("已办事项"),
           ObjectKind.SERVICE_GUIDE: gettext_lazy("办事指南")}
DETAIL_KEY = {"department": "organisation", "hall": "hall", "window": "window", "staff": "staff", "matter": "matter"}
PAGE = 50


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def region_within(code: str | None, home: str = PROVINCE) -> Region:
    """The requested region if it lies inside `home`, else `home` itself."""
    if code and code.isdigit() and len(code) == 12 and code.startswith(prefix_of_code(home)):
        region = Region.objects.filter(code=code).first()
        if region:
            return region
    return Region.objects.get(code=home)


def filter_from(request, *, home: str = PROVINCE, organisation_ids=None) -> RankingFilter:
    region = region_within(request.GET.get("region"), home)
    department = request.GET.get("department")
    return RankingFilter(region_code=region.code, first=parse_date(request.GET.get("first")),
                         last=parse_date(request.GET.get("last")),
                         organisation_ids=tuple(organisation_ids) if organisation_ids is not None else None,
                         department_id=int(department) if department and department.isdigit() else None,
                         extra={"region": region})


class RankingBoardView(StaffPermissionMixin, View):
    """REV-6.1–6.5, 8.2, 8.3, 11.1.2: global (composite), vertical (drill-down by region),
    horizontal (departments of one level) and by-theme (object type) rankings, in the user's scope."""

    permission_required = "reviews.view_statistics"

    def get(self, request):
        board = request.GET.get("board", "good")
        if board not in BOARDS:
            raise Http404
        home = selectors.user_region_code(request.user)
        filt = filter_from(request, home=home, organisation_ids=selectors.scope_organisation_ids(request.user))
        context = {"board": board, "boards": BOARDS, "title": BOARDS[board], "filt": filt, "region": filt.extra["region"],
                   "labels": rankings.COMPOSITE_LABELS, "home": home}
        if board in ("good", "bad"):
            context["rows"] = rankings.composite(filt, worst_first=board == "bad")
        elif board == "count":
            context["rows"] = rankings.rank(filt, by="unit", order="total")
        elif board == "rectification":
            context["rows"] = rankings.rectification(filt)
        elif board == "case":
            context["rows"] = rankings.rank(filt.with_(object_kinds=(ObjectKind.CASE,)), by="unit",
                                            order="satisfaction")
        elif board == "horizontal":
            context["rows"] = rankings.rank(filt.with_(level_only=True), by="department")
        elif board == "theme":
            context["themes"] = [
                {"label": label, "rows": rankings.rank(filt.with_(object_kinds=_kinds(kind)), by="unit")}
                for kind, label in rankings.COMPOSITE_LABELS.items()]
        else:
            context["rows"], context["total"] = selectors.integrator_ranking(user=request.user)
        return render(request, "reviews/portal/rankings.html", context)


def _kinds(kind: str) -> tuple[str, ...]:
    return tuple(k for k, v in rankings.COMPOSITE_KINDS.items() if v == kind)


def public_board(request):
    """REV-20.3.2, 20.5, 23.5, 23.6: the website's ranking board. Filters: section (channel group),
    target (handled items / guides), grouping (region, department, hall, window, staff, item),
    region, department and dates. Department rows open that department's items (REV-20.1)."""
    by = request.GET.get("by", "unit")
    section = request.GET.get("section", "")
    target = request.GET.get("target", "")
    if by not in PUBLIC_BY or section not in ("", *rankings.SECTIONS) or target not in TARGETS:
        raise Http404
    filt = filter_from(request)
    if section:
        filt = filt.with_(channels=rankings.SECTIONS[section][1])
    if target:
        filt = filt.with_(object_kinds=(target,))
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    rows = rankings.rank(filt, by=by, limit=PAGE + 1, offset=(page - 1) * PAGE)
    department = Organisation.objects.filter(pk=filt.department_id).first() if filt.department_id else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reviews/public/board.html", {
        "rows": rows[:PAGE], "has_next": len(rows) > PAGE, "page": page, "by": by, "section": section,
        "target": target, "region": filt.extra["region"], "department": department, "filt": filt,
        "by_choices": PUBLIC_BY, "sections": rankings.SECTIONS, "targets": TARGETS,
        "detail_key": DETAIL_KEY.get(by), "query": query.urlencode(),
        "children": Region.objects.filter(parent_id=filt.region_code).order_by("code")})

