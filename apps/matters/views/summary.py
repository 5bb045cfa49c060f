"""事项信息汇总统计 (PORTAL-6.1 – 6.3): three ECharts charts, each with the same figures as a table."""
from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from apps.core import charts
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.selectors_summary import city_summaries, level_labels, type_labels


class ItemSummaryView(StaffPermissionMixin, View):
    permission_required = "matters.view_implementationitem"

    def get(self, request):
        rows = city_summaries(user=request.user)
        names, types, levels = [r.name for r in rows], type_labels(rows), level_labels()
        return render(request, "matters/summary.html", {
            "title": _("事项信息汇总统计"), "rows": rows, "levels": levels, "types": types,
            "type_rows": [(r, [r.by_type.get(value, 0) for value, _label in types]) for r in rows],
            "handling_chart": charts.stacked(names, [(label, [r.by_level[i] for r in rows])
                                                     for i, label in enumerate(levels)]),
            "type_chart": charts.stacked(names, [(label, [r.by_type.get(value, 0) for r in rows])
                                                 for value, label in types]),
            "business_chart": charts.stacked(names, [
                (_("已匹配业务项的事项"), [r.matched for r in rows]),
                (_("未匹配业务项的事项"), [r.unmatched for r in rows])]),
            "business_items_chart": charts.bar(names, [r.business_items for r in rows], horizontal=False)})
