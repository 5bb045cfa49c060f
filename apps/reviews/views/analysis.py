"""Analysis pages of the portal (好差评数据分析): cockpit with region navigation (REV-13.1, 13.2.1,
13.2.5, 23.11.1), channel analysis (REV-23.11.2–23.11.4), item satisfaction and comparisons
(REV-23.11.5, 11.5.2–11.5.4), open indicator query (REV-11.6), common problems (REV-9.3) and data
aggregation monitoring (REV-9.5). Every page is cut to the viewer's region and departments."""
from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import Organisation, Region
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.models import CatalogueItem, ImplementationItem
from apps.core import charts
from apps.reviews import analysis, selectors
from apps.reviews.models import EvaluationChannel, EvaluationLevel
from apps.reviews.views.rankings import filter_from, parse_date


class AnalysisMixin(StaffPermissionMixin):
    permission_required = "reviews.view_statistics"

    def filt(self):
        user = self.request.user
        return filter_from(self.request, home=selectors.user_region_code(user),
                           organisation_ids=selectors.scope_organisation_ids(user))

    def navigation(self, filt) -> dict:
        region = filt.extra["region"]
        home = selectors.user_region_code(self.request.user)
        return {"region": region, "home": home, "filt": filt,
                "children": Region.objects.filter(parent=region).order_by("code"),
                "parent": region.parent_id if region.code != home else None}


class CockpitView(AnalysisMixin, View):
    """REV-13.1 region navigation → that region's cockpit; REV-13.2.1 overall figures; REV-13.2.5
    subordinate regions and this level's departments by average score; REV-23.11.1 overview."""

    def get(self, request):
        filt = self.filt()
        data = analysis.cockpit(filt)
        return render(request, "reviews/portal/cockpit.html", {
            **self.navigation(filt), "data": data,
            "charts": {"levels": charts.bar([r["label"] for r in data["levels"]], [r["count"] for r in data["levels"]]),
                       "channels": charts.radar([c["label"] for c in data["channels"]],
                                                [c["total"] for c in data["channels"]], _("评价数")),
                       "regions": charts.bar([r["name"] for r in data["regions"]], [r["score"] for r in data["regions"]],
                                             horizontal=False)}})


class ChannelAnalysisView(AnalysisMixin, View):
    """REV-23.11.2 channel score comparison over the recent period (line chart), REV-23.11.3 totals
    per channel (bar chart), REV-23.11.4 department ranking on one channel with score changes."""

    def get(self, request):
        filt = self.filt()
        try:
            days = min(max(int(request.GET.get("days", 30)), 7), 366)
        except ValueError:
            days = 30
        channel = request.GET.get("channel", EvaluationChannel.PC)
        if channel not in EvaluationChannel.values:
            raise Http404
        trend = analysis.channel_trend(filt, days=days)
        first, last, _prev_first, _prev_last = analysis.window(days)
        totals = analysis.rankings.channel_totals(filt.with_(first=first, last=last))
        return render(request, "reviews/portal/channels.html", {
            **self.navigation(filt), "days": days, "channel": channel, "totals": totals,
            "channels": EvaluationChannel.choices,
            "changes": analysis.channel_department_changes(filt, channel=channel, days=days),
            "charts": {"trend": charts.lines(trend["dates"], [(s["label"], s["scores"]) for s in trend["series"]]),
                       "totals": charts.bar([t["label"] for t in totals], [t["total"] for t in totals],
                                            horizontal=False)}})


class ItemAnalysisView(AnalysisMixin, View):
    """REV-23.11.5 item satisfaction by region/department/level and REV-11.5.2 horizontal
    comparison of items (cases, evaluations, satisfaction, rank among the same item)."""

    def get(self, request):
        filt = self.filt()
        level = request.GET.get("level")
        level = int(level) if level and level.isdigit() and 1 <= int(level) <= 5 else None
        name = request.GET.get("name", "").strip()
        ranked = analysis.item_satisfaction(filt, level=level)
        departments = Organisation.objects.filter(region__code__startswith=filt.extra["region"].prefix)
        scope = selectors.scope_organisation_ids(request.user)
        if scope is not None:
            departments = departments.filter(pk__in=scope)
        return render(request, "reviews/portal/items.html", {
            **self.navigation(filt), "ranked": ranked, "level": level, "levels": EvaluationLevel.choices,
            "name": name, "departments": departments.order_by("name")[:200],
            "comparison": analysis.item_comparison(user=request.user, filt=filt, name=name),
            "chart": charts.bar([r["name"] for r in ranked[:15]], [r["score"] for r in ranked[:15]])})


def _visible_items(user):
    items = ImplementationItem.objects.select_related("region", "implementing_body", "catalogue_item")
    scope = selectors.scope_organisation_ids(user)
    if scope is not None:
        items = items.filter(Q(implementing_body_id__in=scope) | Q(implementing_agency_id__in=scope))
    home = selectors.user_region_code(user)
    if home != selectors.PROVINCE:
        items = items.filter(region__code__startswith=Region.objects.get(code=home).prefix)
    return items


class ItemDetailView(AnalysisMixin, View):
    """REV-11.5.3: one item's information, cases and evaluation distribution in the region."""

    def get(self, request, pk):
        item = get_object_or_404(_visible_items(request.user), pk=pk)
        data = analysis.item_detail(user=request.user, item=item)
        return render(request, "reviews/portal/item_detail.html", {
            **data, "chart": charts.bar([r["label"] for r in data["levels"]], [r["count"] for r in data["levels"]]),
            "peers": _visible_items(request.user).filter(catalogue_item_id=item.catalogue_item_id).exclude(pk=item.pk)})


class CompareView(AnalysisMixin, View):
    """REV-11.5.4: the same item at units the competent department chooses — item, case and 好差评
    comparisons with the differences highlighted."""

    def get(self, request):
        ids = [int(i) for i in request.GET.getlist("items") if i.isdigit()][:8]
        items = list(_visible_items(request.user).filter(pk__in=ids))
        error = None
        if len(items) < 2:
            error = _("请至少选择两个单位的同一事项进行对比。")
        elif len({i.catalogue_item_id for i in items}) > 1:
            error = _("只能对比同一事项在不同单位的办理情况。")
        data = analysis.units_comparison(user=request.user, items=items) if error is None else None
        return render(request, "reviews/portal/compare.html", {"data": data, "error": error},
                      status=400 if error and ids else 200)


class IndicatorQueryView(AnalysisMixin, View):
    """REV-11.6: one item on one indicator — region, unit, cases, indicator count, share, rank."""

    def get(self, request):
        filt = self.filt()
        catalogue = request.GET.get("catalogue_item")
        indicator = request.GET.get("indicator", "").strip()
        rows = None
        if indicator and catalogue and catalogue.isdigit():
            rows = analysis.indicator_query(user=request.user, catalogue_item_id=int(catalogue), item_name="",
                                            indicator=indicator, region_code=filt.region_code)
        from apps.reviews.models import EvaluationIndicator, EvaluationTag

        names = sorted(set(EvaluationIndicator.objects.filter(is_enabled=True).values_list("name", flat=True))
                       | set(EvaluationTag.objects.filter(is_enabled=True).values_list("name", flat=True)))
        catalogue_items = CatalogueItem.objects.filter(
            pk__in=_visible_items(request.user).values("catalogue_item_id")).order_by("name")[:300]
        return render(request, "reviews/portal/indicator_query.html", {
            **self.navigation(filt), "rows": rows, "indicator": indicator, "catalogue": catalogue,
            "names": names, "catalogue_items": catalogue_items})


class CommonProblemsView(AnalysisMixin, View):
    """REV-9.3: recurring bad-review problems and the handling opinion for each."""

    def get(self, request):
        first = parse_date(request.GET.get("first"))
        return render(request, "reviews/portal/problems.html", {
            "rows": analysis.common_problems(user=request.user, first=first), "first": first})


class MonitorView(AnalysisMixin, View):
    """REV-9.5: collection per day, per region or per department, backlog and latest arrival."""

    def get(self, request):
        filt = self.filt()
        by = "department" if request.GET.get("by") == "department" else "unit"
        data = analysis.aggregation_monitor(filt=filt, by=by)
        return render(request, "reviews/portal/monitor.html", {
            **self.navigation(filt), "data": data, "by": by,
            "chart": charts.lines([r["day"] for r in data["per_day"]], [(_("评价数"), [r["count"] for r in data["per_day"]])])})


class ImpressionAnalysisView(AnalysisMixin, View):
    """REV-23.2 / 23.2.2: the convenient three tiers (好评/中评/差评), each impression dimension's
    好/中/差 counts for one object kind and channel, and the weakest windows, staff or items."""

    def get(self, request):
        from apps.reviews.convenient import TIER_LABELS
        from apps.reviews.models import ObjectKind

        filt = self.filt()
        kind = request.GET.get("kind", ObjectKind.WINDOW)
        channel = request.GET.get("channel", "")
        if kind not in analysis.IMPRESSION_TARGETS or (channel and channel not in EvaluationChannel.values):
            raise Http404
        data = analysis.impressions(filt, user=request.user, object_kind=kind, channel=channel)
        tiers = [(TIER_LABELS[key], data["tiers"][key]) for key in ("good", "neutral", "bad")]
        return render(request, "reviews/portal/impressions.html", {
            **self.navigation(filt), "data": data, "kind": kind, "channel": channel, "kinds": ObjectKind.choices,
            "channels": EvaluationChannel.choices, "tiers": tiers,
            "chart": charts.bar([d["name"] for d in data["dimensions"]],
                                [d["good_rate"] or 0 for d in data["dimensions"]])})
