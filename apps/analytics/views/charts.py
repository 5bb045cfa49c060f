"""Comprehensive display (综合展示, ANA-2.1 … 2.10): the dashboard of all ten charts and one page per chart,
cut to the viewer's region (a city analyst sees the city; the province sees all), drill-down by region,
Excel export of the chart's tables."""
from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from apps.analytics import selectors
from apps.analytics.charts import CHARTS
from apps.analytics.exports import chart_workbook
from apps.core.audit import AuditAction, audit_record
from apps.core.exports import xlsx_response
from apps.core.views.mixins import StaffPermissionMixin


class RegionMixin(StaffPermissionMixin):
    permission_required = selectors.CHART_PERMISSION

    def regions(self):
        home = selectors.user_home_region(self.request.user)
        region = selectors.region_in_home(home, self.request.GET.get("region"))
        return home, region

    def navigation(self, home, region) -> dict:
        from apps.core.models import Region

        return {"home": home, "region": region, "parent": region.parent_id if region.code != home.code else None,
                "children": Region.objects.filter(parent=region).order_by("code")}


class DashboardView(RegionMixin, View):
    """All ten charts on one page (the visualisation data display of the bid screenshot)."""

    def get(self, request):
        home, region = self.regions()
        data = selectors.charts_data(codes=list(CHARTS), region=region, user=request.user)
        return render(request, "analytics/dashboard.html", {**self.navigation(home, region), "charts": data})


class ChartView(RegionMixin, View):
    def get(self, request, code: str):
        home, region = self.regions()
        data = selectors.chart_data(code=code, region=region, user=request.user)
        if request.GET.get("export") == "xlsx":
            audit_record(actor=request.user, action=AuditAction.EXPORT, request=request,
                         detail=_("导出分析图 %(code)s（%(region)s）") % {"code": code, "region": region.name})
            return xlsx_response(chart_workbook(data), f"{data['title']}-{region.name}")
        return render(request, "analytics/chart.html", {**self.navigation(home, region), "chart": data,
                                                         "all_charts": CHARTS.values()})
