"""省直单位事项统计 (PORTAL-7.4 按日统计本日的所有省直单位事项, PORTAL-7.5 省直单位事项数统计): one page, one
row per provincial-direct unit, Excel export of the same rows."""
from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.daterange import DATE_INPUT
from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.models import MatterStatus
from apps.matters.selectors_provincial import APPLICANT_TYPES, DATE_TYPES, provincial_item_counts

ALL = [("", _("全部"))]


class ProvincialItemForm(forms.Form):
    day = forms.DateField(label=_("统计日期"), widget=DATE_INPUT)
    date_type = forms.ChoiceField(label=_("日期类型"), choices=[(k, label) for k, (_f, label) in DATE_TYPES.items()])
    name = forms.CharField(label=_("部门名称"), max_length=100, required=False)
    code = forms.CharField(label=_("部门编码"), max_length=32, required=False)
    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=ALL + list(APPLICANT_TYPES.items()),
                                       required=False)
    status = forms.ChoiceField(label=_("运行状态"), choices=ALL + list(MatterStatus.choices), required=False)

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("统计日期不能晚于今天。"))
        return day


COLUMNS = [ExportColumn("部门编码", "code", 16), ExportColumn("部门名称", "department", 36),
           ExportColumn("当日事项数", "of_the_day", 14), ExportColumn("截至当日事项数", "up_to_the_day", 16)]


class ProvincialItemStatisticsView(StaffPermissionMixin, View):
    permission_required = "matters.view_implementationitem"
    title = _("省直单位事项统计")

    def get(self, request):
        query = request.GET if "day" in request.GET else {"day": timezone.localdate().isoformat(),
                                                          "date_type": "published"}
        form = ProvincialItemForm(query)
        rows, export_query = None, ""
        if form.is_valid():
            rows = provincial_item_counts(user=request.user, **{key: value.strip() if isinstance(value, str) else value
                                                                for key, value in form.cleaned_data.items()})
            if request.GET.get("export") == "xlsx":
                return xlsx_response(build_workbook(rows, COLUMNS, title=str(self.title)), str(self.title))
            export_query = urlencode({**form.cleaned_data, "export": "xlsx"})
        totals = {"of_the_day": sum(r.of_the_day for r in rows), "up_to_the_day": sum(r.up_to_the_day for r in rows)} \
            if rows else None
        return render(request, "matters/provincial_statistics.html", {
            "form": form, "rows": rows, "columns": COLUMNS, "title": self.title, "export_query": export_query,
            "totals": totals})
