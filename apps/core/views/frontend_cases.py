"""前置机办件统计 (PORTAL-7.3): case counts and case look-up over the front-end processor databases."""
from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.daterange import DateRangeForm, bounds
from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.models import FrontEndProcessor
from apps.core.selectors.frontend_cases import GROUPS, case_counts, case_search
from apps.core.views.mixins import StaffPermissionMixin


def _enabled_processors():
    return FrontEndProcessor.objects.filter(is_enabled=True).select_related("data_source").order_by("name")


class CaseCountForm(DateRangeForm):
    processor = forms.ModelChoiceField(label=_("前置机"), queryset=FrontEndProcessor.objects.none(), required=False,
                                       empty_label=_("全部启用的前置机"))
    group = forms.ChoiceField(label=_("统计维度"), choices=[(k, v[0]) for k, v in GROUPS.items()], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processor"].queryset = _enabled_processors()

    def clean_group(self):
        return self.cleaned_data.get("group") or "department"


class CaseSearchForm(forms.Form):
    search_processor = forms.ModelChoiceField(label=_("前置机"), queryset=FrontEndProcessor.objects.none())
    case_number = forms.CharField(label=_("办件编号"), max_length=50, required=False)
    matter = forms.CharField(label=_("事项名称包含"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["search_processor"].queryset = _enabled_processors()

    def clean(self):
        data = super().clean()
        if not data.get("case_number", "").strip() and not data.get("matter", "").strip():
            raise forms.ValidationError(_("请填写办件编号或事项名称。"))
        return data


def _export_columns(group_label) -> list[ExportColumn]:
    return [ExportColumn(_("前置机"), "processor", 20), ExportColumn(group_label, "key", 24),
            ExportColumn(_("办件数"), "total"), ExportColumn(_("已办结"), "concluded"),
            ExportColumn(_("超期"), "overdue"), ExportColumn(_("网上办理"), "online")]


def _export_rows(results) -> list[dict]:
    return [{"processor": r.processor.name, "key": row.key, "total": row.total, "concluded": row.concluded,
             "overdue": row.overdue, "online": row.online} for r in results for row in r.rows]


class FrontendCaseStatisticsView(StaffPermissionMixin, View):
    """Counts by department / matter / status / channel / day of the cases accepted in the range, per processor;
    `export=xlsx` downloads the same rows; the look-up form finds single records on one processor."""

    permission_required = "core.view_monitoring"
    title = _("前置机办件统计")

    def get(self, request):
        form = CaseCountForm.bound(request.GET)
        results, export_query, group_label = None, "", ""
        if form.is_valid():
            start, end = bounds(form.cleaned_data["start"], form.cleaned_data["end"])
            chosen, group = form.cleaned_data["processor"], form.cleaned_data["group"]
            processors = [chosen] if chosen else list(_enabled_processors())
            results = case_counts(processors, start=start, end=end, group=group)
            group_label = GROUPS[group][0]
            if request.GET.get("export") == "xlsx":
                workbook = build_workbook(_export_rows(results), _export_columns(group_label), title=str(self.title))
                return xlsx_response(workbook, str(self.title))
            export_query = urlencode({"start": form.cleaned_data["start"], "end": form.cleaned_data["end"],
                                      "processor": chosen.pk if chosen else "", "group": group, "export": "xlsx"})
        search = CaseSearchForm(request.GET) if "search_processor" in request.GET else CaseSearchForm()
        found, search_error = None, ""
        if search.is_bound and search.is_valid():
            found, search_error = case_search(search.cleaned_data["search_processor"],
                                              case_number=search.cleaned_data["case_number"].strip(),
                                              matter=search.cleaned_data["matter"].strip())
        return render(request, "core/monitoring/frontend_cases.html", {
            "title": self.title, "form": form, "results": results, "rows": results, "group_label": group_label,
            "export_query": export_query, "search": search, "found": found, "search_error": search_error})


urlpatterns = [
    path("monitoring/processors/cases/", FrontendCaseStatisticsView.as_view(), name="monitoring-processor-cases"),
]
