"""Portal pages of the city data import (IDN-11.1, 11.2): start (Excel or city platform), preview
with progress, confirm or cancel, template download."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin
from apps.identity.models import (
    CityDataImport,
    CityDataImportKind,
    CityDataImportSource,
)
from apps.identity.services import city_data_import as services
from apps.identity.services.city_data_rows import ACTION_LABELS

FIELD_LABELS = {"name": "名称", "region_type": "区划类型", "is_enabled": "启用", "short_name": "部门简称",
                "region_id": "区划代码", "kind": "机构类型", "parent": "上级机构"}


def _batch(request, pk) -> CityDataImport:
    found = restrict(CityDataImport.objects.select_related("city", "job", "created_by", "decided_by"),
                     request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("导入批次不存在或不在您的管理范围内。"))
    return found


class CityDataImportListView(StaffPermissionMixin, View):
    permission_required = services.PERMISSION

    def get(self, request, errors=None, status=200):
        batches = restrict(CityDataImport.objects.select_related("city", "created_by"), request.user)[:30]
        return render(request, "identity/city_data_import_list.html", {
            "batches": batches, "cities": services.importable_cities(request.user),
            "kinds": CityDataImportKind.choices, "sources": CityDataImportSource.choices,
            "errors": errors or [], "data": request.POST}, status=status)

    def post(self, request):
        city = services.importable_cities(request.user).filter(code=request.POST.get("city", "")).first()
        upload = request.FILES.get("file")
        source = request.POST.get("source", "")
        if source == CityDataImportSource.EXCEL and upload is None:
            return self.get(request, [_("请选择要上传的 Excel 文件。")], status=400)
        try:
            batch = services.city_data_import_start(
                actor=request.user, city=city, kind=request.POST.get("kind", ""), source=source,
                content=upload.read() if upload else None)
        except PermissionDenied as exc:
            return self.get(request, [str(exc)], status=403)
        except ValidationError as exc:
            return self.get(request, exc.messages, status=400)
        return redirect("identity:city-data-import-detail", pk=batch.pk)


class CityDataImportDetailView(StaffPermissionMixin, View):
    permission_required = services.PERMISSION

    def get(self, request, pk):
        batch = _batch(request, pk)
        show = request.GET.get("show", "")
        rows = [{**r, "label": ACTION_LABELS[r["action"]],
                 "change_list": [(FIELD_LABELS.get(f, f), pair) for f, pair in r["changes"].items()]}
                for r in batch.rows if not show or r["action"] == show]
        return render(request, "identity/city_data_import_detail.html", {
            "batch": batch, "rows": rows, "show": show, "show_label": ACTION_LABELS.get(show, ""),
            "summary": [(key, ACTION_LABELS[key], batch.summary.get(key, 0)) for key in ACTION_LABELS],
            "job": batch.job, "can_download": bool(batch.job and batch.job.result_file),
            "is_regions": batch.kind == CityDataImportKind.REGIONS})

    def post(self, request, pk):
        batch = _batch(request, pk)
        decision = request.POST.get("decision")
        try:
            if decision == "confirm":
                batch = services.city_data_import_confirm(batch=batch, actor=request.user)
                messages.success(request, _("已确认导入：新增 %(new)d 条，修改 %(changed)d 条，拒绝 %(refused)d 条。")
                                 % batch.summary)
            elif decision == "cancel":
                services.city_data_import_cancel(batch=batch, actor=request.user)
                messages.success(request, _("已取消本批导入，未写入任何数据。"))
            else:
                messages.error(request, _("请选择确认或取消。"))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("identity:city-data-import-detail", pk=batch.pk)


class CityDataImportTemplateView(StaffPermissionMixin, View):
    permission_required = services.PERMISSION

    def get(self, request, kind):
        if kind not in CityDataImportKind.values:
            raise Http404
        response = HttpResponse(services.template_workbook(kind),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = "区划导入模板.xlsx" if kind == CityDataImportKind.REGIONS else "部门导入模板.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


urlpatterns = [
    path("city-data/imports/", CityDataImportListView.as_view(), name="city-data-import-list"),
    path("city-data/imports/<int:pk>/", CityDataImportDetailView.as_view(), name="city-data-import-detail"),
    path("city-data/imports/template/<str:kind>.xlsx", CityDataImportTemplateView.as_view(),
         name="city-data-import-template"),
]
