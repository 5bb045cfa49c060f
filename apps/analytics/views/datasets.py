"""Topic database management (专题库管理, ANA-1.1): list with last refresh and row counts, refresh now
(a job with progress), and each dataset's snapshot rows with filters and Excel export."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.analytics import selectors
from apps.analytics.forms import DatasetFilterForm
from apps.analytics.models import DataLog, TopicDataset
from apps.analytics.services.refresh import REFRESH_PERMISSION, topic_dataset_set_enabled, topic_refresh_start
from apps.core.audit import AuditAction, audit_record
from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.jobs import job_url
from apps.core.views.mixins import StaffPermissionMixin

FACT_COLUMNS = [ExportColumn(_("区划"), "region.name", 16), ExportColumn(_("区划代码"), "region_id", 14),
                ExportColumn(_("机构"), "organisation.name", 24), ExportColumn(_("日期"), "day", 12),
                ExportColumn(_("维度"), "dimension", 18), ExportColumn(_("分项"), "label", 30),
                ExportColumn(_("数值"), "value", 12), ExportColumn(_("基数"), "total", 12)]


class DatasetListView(StaffPermissionMixin, View):
    permission_required = "analytics.view_topicdataset"

    def get(self, request):
        return render(request, "analytics/datasets.html", {
            "datasets": selectors.dataset_list(user=request.user),
            "can_refresh": request.user.has_perm(REFRESH_PERMISSION),
            "can_configure": request.user.has_perm("analytics.change_topicdataset")})


class DatasetRefreshView(StaffPermissionMixin, View):
    permission_required = REFRESH_PERMISSION

    def post(self, request):
        try:
            job = topic_refresh_start(actor=request.user, codes=request.POST.getlist("codes"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("analytics:dataset-list")
        messages.success(request, _("已发起刷新，可在此查看进度。"))
        return redirect(job_url(job))


class DatasetDetailView(StaffPermissionMixin, View):
    permission_required = "analytics.view_topicdataset"

    def get(self, request, code: str):
        dataset = get_object_or_404(TopicDataset, code=code)
        home = selectors.user_home_region(request.user)
        region = selectors.region_in_home(home, request.GET.get("region"))
        form = DatasetFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if form.is_bound and not form.is_valid():
            rows = selectors.dataset_facts(user=request.user, dataset=dataset, region=region).none()
        else:
            rows = selectors.dataset_facts(user=request.user, dataset=dataset, region=region, filters=filters)
        if request.GET.get("export") == "xlsx" and (not form.is_bound or form.is_valid()):
            audit_record(actor=request.user, action=AuditAction.EXPORT, request=request,
                         detail=_("导出专题库 1.1.%(code)s") % {"code": code})
            return xlsx_response(build_workbook(rows.iterator(chunk_size=2000), FACT_COLUMNS, title=dataset.name),
                                 dataset.name)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "analytics/dataset_detail.html", {
            "dataset": dataset, "form": form, "page_obj": page, "region": region, "querystring": query.urlencode(),
            "dimensions": dataset.facts.order_by().values_list("dimension", flat=True).distinct(),
            "logs": DataLog.objects.filter(dataset=dataset).order_by("-created_at")[:6] if
            request.user.has_perm("analytics.view_datalog") else [],
            "can_refresh": request.user.has_perm(REFRESH_PERMISSION)})


class DatasetToggleView(StaffPermissionMixin, View):
    permission_required = "analytics.change_topicdataset"

    def post(self, request, code: str, action: str):
        dataset = get_object_or_404(TopicDataset, code=code)
        topic_dataset_set_enabled(actor=request.user, dataset=dataset, enabled=(action == "enable"))
        messages.success(request, _("已启用。") if action == "enable" else _("已停用。"))
        return redirect("analytics:dataset-list")
