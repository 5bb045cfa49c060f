"""办件月报 pages (PORTAL-11): the unit's form (11.1–11.3), the statistics of each variant
(11.4–11.6) with filling progress, Excel export and a chart, and the month locks."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from apps.core import charts
from apps.core.audit import AuditAction, audit_record
from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.views.mixins import StaffPermissionMixin
from apps.portal import selectors, services
from apps.portal.forms import MonthlyCaseReportForm, MonthRangeForm
from apps.portal.models import FIGURE_LABELS, ReportVariant

PAGE_SIZE = 50
TITLES = {
    ReportVariant.CENTRAL_PROVINCIAL: _("办件数据统计（中省直）"),
    ReportVariant.CITY_BUREAU: _("办件数据统计（市（地）营商局）"),
    ReportVariant.CITY_OTHER: _("办件数据统计（市（地）其他单位）"),
}
FORM_TITLES = {
    ReportVariant.CENTRAL_PROVINCIAL: _("办件数据填报（中省直）"),
    ReportVariant.CITY_BUREAU: _("办件数据填报（市（地）营商局）"),
    ReportVariant.CITY_OTHER: _("办件数据填报（市（地）其他单位）"),
}


class MonthlyReportFillView(StaffPermissionMixin, View):
    """PORTAL-11.1–11.3: the unit fills (or corrects) its report for the current or previous month."""

    permission_required = services.FILL_PERMISSION
    template_name = "portal/monthly/fill.html"

    def _context(self, request, form, variant, month, report, months):
        locked = selectors.locked_months(months)
        return {"form": form, "variant": variant, "title": FORM_TITLES.get(variant, _("办件数据填报")),
                "month": month, "report": report, "month_locked": month in locked,
                "months": [(m, m in locked) for m in months],
                "history": selectors.own_reports(user=request.user)}

    def get(self, request):
        user, months = request.user, services.fillable_months()
        variant = services.report_variant_of(user.organisation)
        if variant is None:
            return render(request, self.template_name, {"variant": None, "title": _("办件数据填报")})
        month = services.parse_month(request.GET.get("month"))
        month = month if month in months else months[1]
        report = selectors.own_report(user=user, month=month)
        initial = {"month": f"{month:%Y-%m}"}
        if report:
            initial.update({name: getattr(report, name) for name in report.figure_names})
        form = MonthlyCaseReportForm(variant=variant, months=months, initial=initial)
        return render(request, self.template_name, self._context(request, form, variant, month, report, months))

    def post(self, request):
        user, months = request.user, services.fillable_months()
        variant = services.report_variant_of(user.organisation)
        if variant is None:
            raise Http404
        form = MonthlyCaseReportForm(request.POST, variant=variant, months=months)
        report = None
        if request.POST.get("report"):
            report = selectors.own_report(user=user, pk=request.POST["report"])
            if report is None:                # another unit's report (or none): not found, never 403
                raise Http404
        if form.is_valid():
            try:
                if report is not None:
                    services.monthly_report_correct(actor=user, report=report, figures=form.figures(),
                                                    month=form.cleaned_data["month"], request=request)
                    messages.success(request, _("月报已修改。"))
                else:
                    report = services.monthly_report_create(actor=user, month=form.cleaned_data["month"],
                                                            figures=form.figures(), request=request)
                    messages.success(request, _("月报已提交。"))
                return redirect(f"{request.path}?month={report.month:%Y-%m}")
            except ValidationError as exc:
                add_service_errors(form, exc)
        month = form.cleaned_data.get("month") if hasattr(form, "cleaned_data") else None
        month = month if month in months else months[1]
        return render(request, self.template_name, self._context(request, form, variant, month, report, months),
                      status=400)


class MonthlyStatisticsView(StaffPermissionMixin, View):
    """PORTAL-11.4–11.6: per unit, per month and (cities) per city 市本级/区县/合计 over a month range,
    the units that have not filled the last month of the range, an ECharts trend and Excel exports."""

    permission_required = selectors.STATISTICS_PERMISSION
    template_name = "portal/monthly/statistics.html"
    variant: str = ReportVariant.CENTRAL_PROVINCIAL

    def get(self, request):
        variant, user = self.variant, request.user
        form = MonthRangeForm(request.GET)
        default = services.previous_month(timezone.localdate())
        cleaned = form.cleaned_data if form.is_valid() else {}
        month_from = cleaned.get("month_from") or cleaned.get("month_to") or default
        month_to = cleaned.get("month_to") or max(month_from, default)
        names = selectors.figures_of(variant)
        labels = [str(FIGURE_LABELS[name]) for name in names]
        is_city = variant != ReportVariant.CENTRAL_PROVINCIAL
        span = {"user": user, "variant": variant, "month_from": month_from, "month_to": month_to}
        export = request.GET.get("export")
        if export:
            return self._export(request, export, span, names, labels, is_city)
        units = Paginator(selectors.unit_rows(**span), PAGE_SIZE).get_page(request.GET.get("page"))
        missing = Paginator(selectors.missing_units(user=user, variant=variant, month=month_to),
                            PAGE_SIZE).get_page(request.GET.get("missing_page"))
        months = selectors.month_rows(**span)
        context = {
            "title": TITLES[variant], "form": form, "variant": variant, "labels": labels, "is_city": is_city,
            "month_from": month_from, "month_to": month_to, "query": self._query(request),
            "units": units, "unit_table": [(row, self._values(row, names)) for row in units],
            "months": [(row["month"], row["units"], self._values(row, names)) for row in months],
            "totals": self._values(selectors.totals(**span), names), "missing": missing,
            "chart": self._chart(months, names, labels),
        }
        if is_city:
            cities, grand = selectors.city_rollup(**span)
            context["cities"] = [(city, self._values(city.own_level, names), self._values(city.counties, names),
                                  self._values(city.total, names), city.own_level["units"], city.counties["units"])
                                 for city in cities]
            context["grand"] = self._values(grand, names)
        return render(request, self.template_name, context)

    @staticmethod
    def _values(row: dict, names: list[str]) -> list[int]:
        return [row.get(name) or 0 for name in names]

    @staticmethod
    def _query(request) -> str:
        params = request.GET.copy()
        for key in ("page", "missing_page", "export"):
            params.pop(key, None)
        return params.urlencode()

    @staticmethod
    def _chart(months: list[dict], names: list[str], labels: list[str]) -> dict:
        dates = [f"{row['month']:%Y-%m}" for row in months]
        return charts.lines(dates, [(label, [row[name] or 0 for row in months]) for name, label in zip(names, labels)])

    def _export(self, request, kind: str, span: dict, names: list[str], labels: list[str], is_city: bool):
        figure_columns = [ExportColumn(label, name) for name, label in zip(names, labels)]
        title = str(TITLES[self.variant])
        if kind == "units":
            rows = [_Row(row) for row in selectors.unit_rows(**span)]
            columns = [ExportColumn(_("填报单位"), "organisation__name", 36), ExportColumn(_("区划"), "region__name"),
                       ExportColumn(_("填报月数"), "months"), *figure_columns]
        elif kind == "months":
            rows = [_Row({**row, "month": f"{row['month']:%Y-%m}"}) for row in selectors.month_rows(**span)]
            columns = [ExportColumn(_("月份"), "month"), ExportColumn(_("填报单位数"), "units"), *figure_columns]
        elif kind == "cities" and is_city:
            cities, grand = selectors.city_rollup(**span)
            rows = []
            for city in cities:
                rows += [_Row({"city": city.name, "part": _("市本级"), **city.own_level}),
                         _Row({"city": city.name, "part": _("区县"), **city.counties}),
                         _Row({"city": city.name, "part": _("合计"), **city.total})]
            rows.append(_Row({"city": _("全部"), "part": _("总计"), **grand}))
            columns = [ExportColumn(_("市（地）"), "city"), ExportColumn(_("层级"), "part"),
                       ExportColumn(_("填报单位数"), "units"), *figure_columns]
        elif kind == "missing":
            rows = list(selectors.missing_units(user=span["user"], variant=self.variant, month=span["month_to"]))
            columns = [ExportColumn(_("未填报单位"), "name", 36), ExportColumn(_("区划"), "region.name"),
                       ExportColumn(_("机构类型"), "get_kind_display")]
            title = f"{title}-{span['month_to']:%Y-%m}未填报"
        else:
            raise Http404
        sheet = f"{title}（{span['month_from']:%Y-%m}至{span['month_to']:%Y-%m}）" if kind != "missing" else title
        audit_record(actor=request.user, action=AuditAction.EXPORT, request=request,
                     detail=_("导出“%(title)s”%(count)s 行") % {"title": sheet, "count": len(rows)})
        return xlsx_response(build_workbook(iter(rows), columns, title=kind), sheet)


class _Row:
    def __init__(self, data: dict):
        self.__dict__.update(data)


class CentralProvincialStatisticsView(MonthlyStatisticsView):
    variant = ReportVariant.CENTRAL_PROVINCIAL


class CityBureauStatisticsView(MonthlyStatisticsView):
    variant = ReportVariant.CITY_BUREAU


class CityOtherStatisticsView(MonthlyStatisticsView):
    variant = ReportVariant.CITY_OTHER


class MonthlyLockView(StaffPermissionMixin, View):
    """The statistics team locks (and unlocks) months: locked months cannot be filled or corrected."""

    permission_required = services.LOCK_PERMISSION
    template_name = "portal/monthly/locks.html"

    def get(self, request):
        months, current = [], services.month_start(timezone.localdate())
        for _index in range(12):
            months.append(current)
            current = services.previous_month(current)
        locks = selectors.month_locks(months)
        return render(request, self.template_name, {"rows": [(m, locks.get(m)) for m in months],
                                                    "can_lock": services.can_lock(request.user)})

    def post(self, request):
        month = services.parse_month(request.POST.get("month"))
        if month is None:
            messages.error(request, _("请选择月份。"))
            return redirect("portal:monthly-locks")
        try:
            if request.POST.get("action") == "unlock":
                services.monthly_month_unlock(actor=request.user, month=month, request=request)
                messages.success(request, _("%(month)s 已解锁。") % {"month": f"{month:%Y年%m月}"})
            else:
                services.monthly_month_lock(actor=request.user, month=month, request=request)
                messages.success(request, _("%(month)s 已锁定。") % {"month": f"{month:%Y年%m月}"})
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("portal:monthly-locks")
