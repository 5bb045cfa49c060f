"""Portal pages over the licence library: archive (LIC-1.16), valid licence download (LIC-1.28),
expiring licences (LIC-1.22), statistics (LIC-1.19–1.21, 1.24), batch import (LIC-1.29), purge (LIC-1.27)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin

from .. import selectors
from ..filters import ArchiveFilterSet, ExpiringFilterSet, PurgeFilterSet, ValidDownloadFilterSet
from ..models import Licence, LicenceImportBatch, LicenceSource, LicenceStatus, LicenceTemplate
from ..services import imports, licences as licence_services
from .management import error_text, run_action


def _period(licence) -> str:
    end = licence.valid_until.isoformat() if licence.valid_until else "长期"
    return f"{licence.valid_from.isoformat()} 至 {end}"


def _issued(licence) -> str:
    return licence.issued_at.strftime("%Y-%m-%d %H:%M") if licence.issued_at else ""


class ArchiveListView(ScopedListView):
    """国标证照档案: every licence record with its operation type; history included."""

    model = Licence
    filterset_class = ArchiveFilterSet
    permission_required = "licences.view_licence"
    title = _("国标证照档案")
    columns = [ExportColumn("证照名称", "name"), ExportColumn("证照编号", "licence_number"),
               ExportColumn("颁发机构", "issuer.name"), ExportColumn("版本", "version"),
               ExportColumn("操作类型", "get_operation_display"), ExportColumn("状态", "get_status_display")]

    def get_base_queryset(self):
        return Licence.objects.exclude(operation="").select_related("issuer")


class ValidDownloadView(ScopedListView):
    """证照数据下载: valid licences only; the Excel export has exactly the listed columns."""

    model = Licence
    filterset_class = ValidDownloadFilterSet
    permission_required = "licences.view_licence"
    title = _("证照数据下载")
    columns = [ExportColumn("证照名称", "name"), ExportColumn("证照编号", "licence_number"),
               ExportColumn("模板名称", "template.name"), ExportColumn("颁发机构代码", "issuer.credit_code"),
               ExportColumn("持证人名称", "holder_name"), ExportColumn("颁发时间", _issued),
               ExportColumn("有效期", _period)]

    def get_base_queryset(self):
        return Licence.objects.filter(status=LicenceStatus.VALID).select_related("template", "issuer")


class ExpiringListView(ScopedListView):
    """到期证照提示: valid licences ending within the warning window (default 30 days)."""

    model = Licence
    filterset_class = ExpiringFilterSet
    permission_required = "licences.view_licence"
    title = _("到期证照提示")
    strict = True
    columns = [ExportColumn("证照名称", "name"), ExportColumn("证照编号", "licence_number"),
               ExportColumn("颁发机构代码", "issuer.credit_code"), ExportColumn("模板名称", "template.name"),
               ExportColumn("颁发时间", _issued), ExportColumn("有效期", _period)]

    def get_base_queryset(self):
        return Licence.objects.filter(status=LicenceStatus.VALID, valid_until__isnull=False).select_related(
            "template", "issuer").order_by("valid_until")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"].copy() if kwargs.get("data") is not None else QueryDict(mutable=True)
        if not data.get("warning_days"):
            data["warning_days"] = "30"
        kwargs["data"] = data
        return kwargs


STATISTICS = {
    "department": (_("省直部门证照统计"), _("部门名称"), selectors.stats_by_department),
    "theme": (_("证照主题分类统计"), _("主题名称"), selectors.stats_by_theme),
    "item": (_("证照事项类别统计"), _("事项名称"), selectors.stats_by_item),
    "source": (_("证照源分类统计"), _("部门名称"), selectors.stats_by_source),
    "collection": (_("证照采集率"), _("部门名称"), selectors.stats_collection),
}


class StatisticsView(StaffPermissionMixin, View):
    permission_required = "licences.view_licence"

    def get(self, request):
        by = request.GET.get("by", "department")
        if by not in STATISTICS:
            raise Http404
        title, search_label, selector = STATISTICS[by]
        name = request.GET.get("name", "").strip()[:64]
        return render(request, "licences/statistics.html", {
            "by": by, "title": title, "search_label": search_label, "name": name,
            "rows": selector(request.user, name=name), "tabs": [(k, v[0]) for k, v in STATISTICS.items()],
            "sources": LicenceSource.choices})


class ImportView(StaffPermissionMixin, View):
    """证照数据批量导入: instructions, template workbook download, upload."""

    permission_required = "licences.add_licence"

    def _context(self, request):
        return {"templates": LicenceTemplate.objects.filter(is_valid=True).order_by("name"),
                "issuers": restrict(Organisation.objects.all(), request.user).order_by("name")[:500],
                "batches": restrict(LicenceImportBatch.objects.filter(created_by=request.user),
                                    request.user).select_related("template")[:10]}

    def get(self, request):
        if request.GET.get("workbook"):
            template = get_object_or_404(LicenceTemplate, pk=request.GET["workbook"], is_valid=True)
            response = HttpResponse(imports.import_template_workbook(template),
                                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f'attachment; filename="licence-import-{template.pk}.xlsx"'
            return response
        return render(request, "licences/import.html", self._context(request))

    def post(self, request):
        template = LicenceTemplate.objects.filter(pk=request.POST.get("template") or 0).first()
        issuer = restrict(Organisation.objects.all(), request.user).filter(pk=request.POST.get("issuer") or 0).first()
        upload = request.FILES.get("file")
        try:
            if template is None or issuer is None or upload is None:
                raise ValidationError(_("请选择模板、颁发机构并上传文件。"))
            batch = imports.import_upload(actor=request.user, template=template, issuer=issuer,
                                          file_name=upload.name, content=upload.read())
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
            return render(request, "licences/import.html", self._context(request), status=400)
        return redirect(batch.get_absolute_url())


class ImportDetailView(StaffPermissionMixin, View):
    permission_required = "licences.add_licence"

    def _batch(self, request, pk):
        return get_object_or_404(restrict(LicenceImportBatch.objects.select_related("template", "issuer"),
                                          request.user), pk=pk, created_by=request.user)

    def get(self, request, pk):
        batch = self._batch(request, pk)
        params = [p for p in batch.template.parameters.all() if p.kind == "text"]
        return render(request, "licences/import_detail.html", {"batch": batch, "params": params})

    def post(self, request, pk):
        batch, action = self._batch(request, pk), request.POST.get("action")
        if action == "confirm":
            ok = run_action(request, lambda: imports.import_confirm(actor=request.user, batch=batch),
                            _("已导入，证照已进入证照录入。"))
            if ok:
                return redirect("licences:licence-list")
        elif action == "cancel":
            run_action(request, lambda: imports.import_cancel(actor=request.user, batch=batch), _("已取消本次导入。"))
        else:
            raise Http404
        return redirect(batch.get_absolute_url())


class PurgeListView(ScopedListView):
    """证照数据清除: system administrators only; each row can be purged with a reason."""

    model = Licence
    filterset_class = PurgeFilterSet
    permission_required = "licences.delete_licence"
    title = _("证照数据清除")
    template_name = "licences/purge_list.html"
    exportable = False
    columns = [ExportColumn("证照名称", "name"), ExportColumn("证照编号", "licence_number"),
               ExportColumn("颁发机构", "issuer.name"), ExportColumn("持证主体", "holder_name"),
               ExportColumn("版本", "version"), ExportColumn("状态", "get_status_display")]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_system_admin:
            raise PermissionDenied(_("只有系统管理员可以清除证照数据。"))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("issuer")

    def post(self, request):
        code = request.POST.get("licence_code", "")
        if not restrict(Licence.objects.filter(licence_code=code), request.user).exists():
            raise Http404
        run_action(request, lambda: licence_services.licence_purge(
            actor=request.user, licence_code=code, reason=request.POST.get("reason", ""), request=request),
            _("证照及其全部历史版本已清除。"))
        return redirect("licences:purge")
