"""对接覆盖范围 page (ACC-19.5) — also the 应接尽接 progress report (PORTAL-7.1): connected systems and item
coverage per department, in scope, filtered by department name, exported to Excel."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.acceptance import coverage
from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.views.mixins import StaffPermissionMixin

EXPORT_TITLE = _("应接尽接进度")
COLUMNS = [
    ExportColumn("部门", "organisation.name", 32), ExportColumn("区划", "organisation.region.name", 16),
    ExportColumn("接入系统", lambda r: "，".join(f"{s.name}（{s.get_system_type_display()}）" for s in r.systems)
                 or "未接入", 36),
    ExportColumn("事项数", "items", 10), ExportColumn("已对接事项", "connected", 12), ExportColumn("覆盖率%", "percent", 10),
    ExportColumn("接收报文（近30天）", "received", 18), ExportColumn("发送报文（近30天）", "sent", 18),
]


class CoverageView(StaffPermissionMixin, TemplateView):
    permission_required = "acceptance.view_clientsystem"
    template_name = "acceptance/coverage.html"

    def get(self, request, *args, **kwargs):
        department = request.GET.get("department", "").strip()[:100]
        rows = coverage.coverage_by_department(request.user, department=department)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(build_workbook(rows, COLUMNS, title=str(EXPORT_TITLE)), str(EXPORT_TITLE))
        return self.render_to_response(self.get_context_data(rows=rows, department=department, **kwargs))

    def get_context_data(self, rows, **kwargs):
        user = self.request.user
        chosen = self.request.GET.get("organisation", "")
        items = []
        if chosen.isdigit():
            items = list(coverage.covered_items(user, int(chosen)).order_by("-connected", "name")[:300])
            routes = coverage.item_routes(items)
            for item in items:
                item.live_route = routes.get(item.pk)
        return super().get_context_data(rows=rows, totals=coverage.coverage_totals(rows), items=items,
                                        chosen=chosen, **kwargs)
