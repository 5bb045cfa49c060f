"""Portal pages of the service map: operation control dashboard (MAP-5.x), booking and consultation lists."""
from __future__ import annotations

from django.shortcuts import render
from django.views import View

from apps.core import charts
from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.servicemap import selectors, stats
from apps.servicemap.filters import WindowBookingFilterSet, WindowConsultationFilterSet
from apps.servicemap.models import WindowBooking, WindowConsultation


def _map_option(points) -> dict:
    """MAP-5.1: hall distribution on the (schematic) Heilongjiang outline."""
    return {"tooltip": {"trigger": "item"},
            "geo": {"map": "heilongjiang", "roam": True, "itemStyle": {"areaColor": "#eef3f9", "borderColor": "#7a9cc6"}},
            "series": [{"type": "effectScatter", "coordinateSystem": "geo", "symbolSize": 9,
                        "itemStyle": {"color": "#c8161d"},
                        "data": [{"name": f"{name}（{region}）", "value": [float(lng), float(lat)]}
                                 for name, lng, lat, region in points]}],
            "empty": not points}


def _pie(rows) -> dict:
    return {"tooltip": {"trigger": "item"}, "legend": {"bottom": 0},
            "series": [{"type": "pie", "radius": ["35%", "65%"], "data": [{"name": n, "value": v} for n, v in rows]}],
            "empty": not any(v for _n, v in rows)}


class DashboardView(StaffPermissionMixin, View):
    """MAP-5.1 – 5.8: counts by region with five-level navigation, scoped to the user's region."""

    permission_required = "servicemap.view_mapdashboard"

    def get(self, request):
        region = stats.dashboard_region(request.user, request.GET.get("region"))
        data = stats.dashboard(region)
        if request.GET.get("export") == "xlsx":
            columns = [ExportColumn("区划", "label", 24)] + [
                ExportColumn(f"{label}数", (lambda key: lambda row: row.counts[key])(key), 12)
                for key, label in stats.METRICS]
            return xlsx_response(build_workbook(data["rows"], columns, title="地图运行管控"),
                                 f"地图运行管控-{region.name}")
        labels = [row.label for row in data["rows"]]
        home = stats.user_region(request.user)
        path = [r for r in selectors.region_path(region) if r.code.startswith(home.prefix)]
        return render(request, "servicemap/portal/dashboard.html", {
            **data, "path": path,
            "chart_map": _map_option(data["points"]),
            "chart_regions": charts.stacked(labels, [("大厅", [r.counts["halls"] for r in data["rows"]]),
                                                     ("窗口", [r.counts["windows"] for r in data["rows"]])]),
            "chart_services": charts.stacked(labels, [(label, [r.counts[key] for r in data["rows"]])
                                                      for key, label in stats.METRICS[4:]]),
            "chart_hall_types": _pie(data["hall_types"]), "chart_categories": _pie(data["categories"]),
            "chart_ages": charts.bar([a for a, _n in data["ages"]], [n for _a, n in data["ages"]], horizontal=False),
            "chart_genders": _pie(data["genders"]),
        })


class WindowBookingListView(ScopedListView):
    model = WindowBooking
    filterset_class = WindowBookingFilterSet
    permission_required = "servicemap.view_windowbooking"
    title = "窗口预约记录"
    columns = [ExportColumn("预约单号", "number"), ExportColumn("大厅", "hall.name", 28), ExportColumn("窗口", "window"),
               ExportColumn("事项", "matter.name", 28), ExportColumn("预约人", "booker_name"),
               ExportColumn("手机号码", "masked_mobile"), ExportColumn("预约日期", "date"),
               ExportColumn("时间段", "period_label"), ExportColumn("推送目标", "get_target_display"),
               ExportColumn("推送状态", "get_status_display"), ExportColumn("提交时间", "created_at")]

    def get_base_queryset(self):
        return WindowBooking.objects.select_related("hall", "window", "matter")


class WindowConsultationListView(ScopedListView):
    model = WindowConsultation
    filterset_class = WindowConsultationFilterSet
    permission_required = "servicemap.view_windowconsultation"
    title = "窗口咨询记录"
    columns = [ExportColumn("咨询单号", "number"), ExportColumn("大厅", "hall.name", 28), ExportColumn("窗口", "window"),
               ExportColumn("事项", "matter.name", 28), ExportColumn("标题", "title", 28),
               ExportColumn("咨询人", "consultant_name"), ExportColumn("手机号码", "masked_mobile"),
               ExportColumn("推送目标", "get_target_display"), ExportColumn("推送状态", "get_status_display"),
               ExportColumn("提交时间", "created_at")]

    def get_base_queryset(self):
        return WindowConsultation.objects.select_related("hall", "window", "matter")
