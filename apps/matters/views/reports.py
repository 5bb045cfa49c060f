"""Statistics with spreadsheet export (MAT-2.1.9, 2.2.12) and list generation (MAT-2.1.10, 2.2.13)."""
from __future__ import annotations

from io import BytesIO

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.views.mixins import StaffPermissionMixin
from apps.matters import selectors
from apps.matters.models import MatterStatus
from apps.matters.selectors_dynamics import STAT_DIMENSIONS, matter_statistics

KINDS = {"catalogue": _("目录清单"), "implementation": _("实施清单")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(filename: str, title: str, header: list[str], rows) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _kind(value: str) -> str:
    if value not in KINDS:
        raise Http404
    return value


class StatisticsView(StaffPermissionMixin, View):
    """事项统计: counts by department / type / level / status / region, filterable, exportable."""

    def get_permission_required(self):
        return [f"matters.view_{_kind(self.request.GET.get('kind', 'implementation'))}item"]

    def get(self, request):
        kind = _kind(request.GET.get("kind", "implementation"))
        dimension = request.GET.get("by", "department")
        if dimension not in STAT_DIMENSIONS:
            dimension = "department"
        filters = {}
        if request.GET.get("matter_type"):
            filters["matter_type"] = request.GET["matter_type"]
        rows = matter_statistics(user=request.user, kind=kind, dimension=dimension, filters=filters)
        header = [STAT_DIMENSIONS[dimension][1], _("合计"), _("在用"), _("暂停"), _("注销")]
        if request.GET.get("export") == "xlsx":
            return _xlsx(f"{kind}-statistics-{dimension}.xlsx", str(KINDS[kind]) + _("统计"), header,
                         ([r["label"], r["total"], r["published"], r["suspended"], r["cancelled"]] for r in rows))
        return render(request, "matters/statistics.html", {
            "title": _("事项统计"), "kind": kind, "kinds": KINDS.items(), "dimension": dimension,
            "dimensions": [(key, label) for key, (_c, label) in STAT_DIMENSIONS.items()], "rows": rows,
            "header": header, "total": sum(r["total"] for r in rows), "querystring": request.GET.urlencode()})


class ListGenerateView(StaffPermissionMixin, View):
    """生成清单: the published catalogue / implementation list in the user's scope as a spreadsheet,
    sub-items under their main item, with materials, steps, fees and time limits."""

    def get_permission_required(self):
        return [f"matters.view_{_kind(self.kwargs['kind'])}item"]

    def get(self, request, kind):
        kind = _kind(kind)
        if kind == "catalogue":
            items = selectors.catalogue_item_list(user=request.user).order_by("basic_code")
        else:
            items = selectors.implementation_list(user=request.user).order_by("implementation_code")
        items = items.filter(status=MatterStatus.PUBLISHED).prefetch_related("materials", "fees")
        header = [_("序号"), _("基本编码"), _("实施编码") if kind == "implementation" else _("大项编码"), _("事项名称"),
                  _("事项类型"), _("部门"), _("区划"), _("设定依据"), _("法定时限"), _("承诺时限"), _("申请材料"),
                  _("收费"), _("版本")]
        rows = ((i, item.basic_code,
                 item.implementation_code if kind == "implementation" else (item.parent.basic_code if item.parent_id else ""),
                 item.name, item.get_matter_type_display(),
                 (item.implementing_body if kind == "implementation" else item.department).name, item.region.name,
                 item.legal_basis, item.statutory_limit_working_days, item.committed_limit_working_days,
                 "；".join(m.name for m in item.materials.all()),
                 "；".join(f"{f.name} {f.amount_yuan}元" for f in item.fees.all()) or _("不收费"), f"V{item.version}")
                for i, item in enumerate(items, start=1))
        stamp = timezone.localdate().strftime("%Y%m%d")
        return _xlsx(f"{kind}-list-{stamp}.xlsx", str(KINDS[kind]), header, rows)
