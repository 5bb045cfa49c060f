"""对接覆盖范围 page (ACC-19.5): connected systems and item coverage per department, in scope."""
from __future__ import annotations

from django.views.generic import TemplateView

from apps.acceptance import coverage
from apps.core.views.mixins import StaffPermissionMixin


class CoverageView(StaffPermissionMixin, TemplateView):
    permission_required = "acceptance.view_clientsystem"
    template_name = "acceptance/coverage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = coverage.coverage_by_department(user)
        chosen = self.request.GET.get("organisation", "")
        items = []
        if chosen.isdigit():
            items = list(coverage.covered_items(user, int(chosen)).order_by("-connected", "name")[:300])
            routes = coverage.item_routes(items)
            for item in items:
                item.live_route = routes.get(item.pk)
        return super().get_context_data(rows=rows, totals=coverage.coverage_totals(rows), items=items,
                                        chosen=chosen, **kwargs)
