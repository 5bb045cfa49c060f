"""Portal pages: identity statistics (IDN-5.1 reports, IDN-13.8 staff per department) and daily user counts
(PORTAL-7.8 按日统计用户数)."""
from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.daterange import DateRangeForm
from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.models import Region, RegionLevel
from apps.core.views.mixins import StaffPermissionMixin
from apps.identity import selectors_stats


class IdentityStatisticsView(StaffPermissionMixin, View):
    permission_required = "identity.view_user"

    def get(self, request):
        return render(request, "identity/statistics.html", {
            "by_region": selectors_stats.registered_by_region(), "levels": selectors_stats.real_name_levels(),
            "logins": selectors_stats.login_volume(), "staff": selectors_stats.staff_per_organisation(user=request.user),
            "title": "用户统计"})


class DailyUserCountForm(DateRangeForm):
    region = forms.ModelChoiceField(label=_("用户所属地区"), queryset=Region.objects.none(), required=False,
                                    empty_label=_("全部"))

    def __init__(self, *args, within: Region | None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(level__lte=RegionLevel.CITY).order_by("code")
        if within is not None:
            regions = Region.objects.filter(code__startswith=within.prefix, level__lte=RegionLevel.COUNTY) \
                .order_by("code")
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = _("全部（本单位可见范围）") if within is not None else _("全部")


COLUMNS = [
    ExportColumn("统计日期", "day", 14), ExportColumn("截至当日用户总数", "total"),
    ExportColumn("截至当日法人用户总数", "total_legal", 22), ExportColumn("截至当日自然人用户总数", "total_natural", 22),
    ExportColumn("当日新增用户数", "new"), ExportColumn("当日新增法人用户数", "new_legal", 20),
    ExportColumn("当日新增自然人用户数", "new_natural", 20),
]


class DailyUserCountView(StaffPermissionMixin, View):
    """按日统计用户数 (PORTAL-7.8): one row per day of the chosen range; `export=xlsx` downloads the same rows."""

    permission_required = "identity.view_user"
    title = _("按日统计用户数")

    def get(self, request):
        within = selectors_stats.visible_region(request.user)
        form = DailyUserCountForm.bound(request.GET, within=within)
        rows, export_query = None, ""
        if form.is_valid():
            start, end, chosen = (form.cleaned_data[name] for name in ("start", "end", "region"))
            region = chosen or within
            rows = selectors_stats.daily_user_counts(start=start, end=end,
                                                     region_prefix=region.prefix if region is not None else "")
            if request.GET.get("export") == "xlsx":
                return xlsx_response(build_workbook(rows, COLUMNS, title=str(self.title)), str(self.title))
            export_query = urlencode({"start": start, "end": end, "region": chosen.pk if chosen else "",
                                      "export": "xlsx"})
        return render(request, "identity/daily_user_counts.html", {
            "form": form, "rows": rows, "columns": COLUMNS, "title": self.title, "export_query": export_query})


urlpatterns = [
    path("statistics/", IdentityStatisticsView.as_view(), name="statistics"),
    path("statistics/daily-users/", DailyUserCountView.as_view(), name="daily-user-counts"),
]
