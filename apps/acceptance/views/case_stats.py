"""业务统计 (ACC-15.x): one page with the supervision figures, tables, ECharts and Excel export per report."""
from __future__ import annotations

import io
from datetime import date, timedelta
from urllib.parse import quote, urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from openpyxl import Workbook

from apps.acceptance import case_stats
from apps.core.daterange import DateRangeForm
from apps.core.exports import XLSX_CONTENT_TYPE, ExportColumn, build_workbook, xlsx_response
from apps.core.services.audit import audit_record
from apps.core.views.mixins import StaffPermissionMixin

DIMENSION_LABELS = {"region": _("区划"), "department": _("部门"), "theme": _("事项主题"), "item_type": _("事项类型")}
REPORTS = {
    "applications": (_("统一申办统计"), case_stats.application_statistics,
                     [("total", _("申办总量")), ("online", _("网上申办")), ("window", _("窗口统一登记"))]),
    "integration": (_("办件过程结果对接情况"), case_stats.integration_statistics,
                    [("routed", _("分发至业务系统")), ("with_process", _("过程数据已对接")), ("process_rate", _("过程对接率%")),
                     ("concluded", _("已办结")), ("with_result", _("结果数据已对接")), ("result_rate", _("结果对接率%"))]),
    "completeness": (_("办件数据完整情况"), case_stats.completeness_statistics,
                     [("cases", _("受理办件")), ("complete", _("数据完整")), ("complete_rate", _("完整率%")),
                      ("no_code", _("缺办件码")), ("no_due", _("缺承诺时限")), ("no_result", _("缺办结结果"))]),
    "dispatch": (_("分发统计"), case_stats.dispatch_statistics,
                 [("accepted", _("已受理")), ("dispatched", _("分发成功")), ("pending", _("待分发")),
                  ("unsigned", _("未签收")), ("signed", _("已签收")), ("failed", _("分发失败/无路由")),
                  ("dispatch_rate", _("分发成功率%"))]),
}


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        first = date.fromisoformat(request.GET.get("first", ""))
        last = date.fromisoformat(request.GET.get("last", ""))
    except ValueError:
        return today - timedelta(days=30), today
    return (first, last) if first <= last else (last, first)


class CaseStatisticsView(StaffPermissionMixin, TemplateView):
    """ACC-15.1 – 15.5 inside the user's scope; `?export=<report>` downloads that report as Excel."""

    permission_required = "acceptance.view_case"
    template_name = "acceptance/case_statistics.html"

    def _params(self):
        first, last = _period(self.request)
        by = self.request.GET.get("by", "region")
        by = by if by in DIMENSION_LABELS else "region"
        unit = "month" if self.request.GET.get("unit") == "month" else "day"
        return first, last, by, unit

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export:
            return self._export(export)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        first, last, by, unit = self._params()
        user = self.request.user
        reports = [{"key": key, "title": title, "columns": columns,
                    "rows": [dict(row, cells=[row[c] for c, _label in columns])
                             for row in function(user=user, first=first, last=last, by=by)]}
                   for key, (title, function, columns) in REPORTS.items()]
        charts = {"applications": case_stats.application_trend(user=user, first=first, last=last, unit=unit),
                  "dispatch": case_stats.dispatch_trend(user=user, first=first, last=last, unit=unit),
                  "by": [{"name": r["name"], "total": r["total"]} for r in reports[0]["rows"]]}
        return super().get_context_data(first=first, last=last, by=by, unit=unit, dimensions=DIMENSION_LABELS,
                                        by_label=DIMENSION_LABELS[by],
                                        reports=reports, charts=charts,
                                        summary=case_stats.summary(user=user, first=first, last=last), **kwargs)

    def _export(self, key: str) -> HttpResponse:
        if key not in REPORTS:
            raise Http404
        first, last, by, _unit = self._params()
        title, function, columns = REPORTS[key]
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(title)[:31])
        sheet.append([str(DIMENSION_LABELS[by]), *[str(label) for _c, label in columns]])
        for row in function(user=self.request.user, first=first, last=last, by=by):
            sheet.append([("  " * row.get("depth", 0)) + str(row["name"]), *[row[c] for c, _label in columns]])
        buffer = io.BytesIO()
        workbook.save(buffer)
        audit_record(actor=self.request.user, action="export", request=self.request, detail=f"导出“{title}”")
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        filename = f"{title}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


CODE_COLUMNS = [("issued", _("赋码数")), ("active", _("有效")), ("revoked", _("撤消/作废")), ("manual", _("手动赋码")),
                ("bound", _("已关联办件"))]
CODE_DIMENSION_LABELS = {"region": _("区划"), "department": _("部门"), "item": _("事项")}


class CodeStatisticsView(StaffPermissionMixin, TemplateView):
    """办件码统计分析 (ACC-17.4): per region, department or item and period; chart and Excel."""

    permission_required = "acceptance.view_casecode"
    template_name = "acceptance/code_statistics.html"

    def _params(self):
        first, last = _period(self.request)
        by = self.request.GET.get("by", "region")
        return first, last, (by if by in CODE_DIMENSION_LABELS else "region")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            first, last, by = self._params()
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("办件码统计")
            sheet.append([str(CODE_DIMENSION_LABELS[by]), *[str(label) for _c, label in CODE_COLUMNS]])
            for row in case_stats.code_statistics(user=request.user, first=first, last=last, by=by):
                sheet.append([row["name"], *[row[c] for c, _label in CODE_COLUMNS]])
            buffer = io.BytesIO()
            workbook.save(buffer)
            audit_record(actor=request.user, action="export", request=request, detail="导出“办件码统计”")
            response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = ("attachment; filename*=UTF-8''"
                                               + quote(f"办件码统计-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"))
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        first, last, by = self._params()
        rows = case_stats.code_statistics(user=self.request.user, first=first, last=last, by=by)
        return super().get_context_data(first=first, last=last, by=by, dimensions=CODE_DIMENSION_LABELS,
                                        by_label=CODE_DIMENSION_LABELS[by], columns=CODE_COLUMNS,
                                        rows=[dict(r, cells=[r[c] for c, _label in CODE_COLUMNS]) for r in rows],
                                        chart={"by": [{"name": r["name"], "total": r["issued"]} for r in rows],
                                               "applications": [], "dispatch": []}, **kwargs)


class DailyCaseCountForm(DateRangeForm):
    department = forms.CharField(label=_("部门名称"), max_length=100, required=False,
                                 widget=forms.TextInput(attrs={"placeholder": _("部门名称的一部分")}))


DAILY_COLUMNS = [ExportColumn("统计日期", lambda row: row["day"], 14),
                 ExportColumn("部门名称", lambda row: row["department"], 36),
                 ExportColumn("申报办件数", lambda row: row["submitted"], 14),
                 ExportColumn("受理办件数", lambda row: row["accepted"], 14),
                 ExportColumn("办结办件数", lambda row: row["concluded"], 14)]


class DailyCaseCountView(StaffPermissionMixin, TemplateView):
    """按日统计办件数 (PORTAL-7.6) in the user's scope; `export=xlsx` downloads every row of the query."""

    permission_required = "acceptance.view_case"
    template_name = "acceptance/daily_case_counts.html"
    title = _("按日统计办件数")
    per_page = 100

    def get(self, request, *args, **kwargs):
        form = DailyCaseCountForm.bound(request.GET)
        rows = None
        if form.is_valid():
            rows = case_stats.daily_case_counts(user=request.user, first=form.cleaned_data["start"],
                                                last=form.cleaned_data["end"],
                                                department=form.cleaned_data["department"].strip())
            if request.GET.get("export") == "xlsx":
                return xlsx_response(build_workbook(rows, DAILY_COLUMNS, title=str(self.title)), str(self.title))
        context = self.get_context_data(form=form, title=self.title, columns=DAILY_COLUMNS, rows=rows, **kwargs)
        if rows is not None:
            page = Paginator(rows, self.per_page).get_page(request.GET.get("page"))
            query = {name: form.cleaned_data[name] for name in ("start", "end", "department")}
            context.update(page_obj=page, paginator=page.paginator, is_paginated=page.has_other_pages(),
                           querystring=urlencode(query), export_query=urlencode({**query, "export": "xlsx"}),
                           totals={name: sum(row[name] for row in rows) for _field, name in case_stats.DAILY_MEASURES})
        return self.render_to_response(context)
