"""Sharing-platform pages (LIC-2.1–2.7) and the catalogue-request queue matters files into (MAT-4.1.3).
Lists are ScopedListViews (filters, pagination, Excel export); writes go through the services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin

from ..models import (
    LicenceApiGrant, CatalogueRecord, CatalogueEntryRequest, CatalogueEntryRequestStatus, LicenceRoute, LicenceTemplate,
    SharingApplication, SharingInterface, SharingLog,
)
from ..filters import sharing_filtersets
from ..services import aggregation, catalogue
from .management import run_action

FILTERS = sharing_filtersets()


def _yes(value) -> str:
    return "启用" if value else "停用"


class SharingListView(ScopedListView):
    """A sharing-platform list: scoped, filtered by the shared FilterSet, rows with ``related`` joined."""

    related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.select_related(*self.related) if self.related else queryset


class SharingInterfaceListView(SharingListView):
    """接口配置 (LIC-2.4): query by name; name, address, status."""

    model = SharingInterface
    permission_required = "licences.view_sharinginterface"
    title = _("接口配置")
    filterset_class = FILTERS["interface"]
    columns = [ExportColumn("接口名称", "name"), ExportColumn("接口编码", "code"), ExportColumn("接口地址", "address"),
               ExportColumn("接口状态", lambda o: _yes(o.is_enabled)), ExportColumn("描述", "description")]


class SharingApplicationListView(SharingListView):
    """应用接入 (LIC-2.5): query by name and status. The password is never shown, only that one is set."""

    model = SharingApplication
    permission_required = "licences.view_sharingapplication"
    title = _("应用接入")
    filterset_class = FILTERS["application"]
    columns = [ExportColumn("接入系统名称", "name"), ExportColumn("系统 IP 地址", "ip_addresses"),
               ExportColumn("接入系统口令", lambda o: "已设置" if o.password_hash else "未设置"),
               ExportColumn("接入状态", lambda o: _yes(o.is_enabled)), ExportColumn("有效期至", "valid_until"),
               ExportColumn("接入依据", "basis"), ExportColumn("反向代理地址", "proxy_address"),
               ExportColumn("所属单位", "organisation.name")]
    related = ("organisation",)


class AccessRightListView(SharingListView):
    """证照访问权 (LIC-2.3): query by interface name."""

    model = LicenceApiGrant
    permission_required = "licences.view_licenceapigrant"
    title = _("证照访问权管理")
    filterset_class = FILTERS["right"]
    columns = [ExportColumn("接口名称", "interface.name"), ExportColumn("应用名称", "application.name"),
               ExportColumn("接口有效期至", "valid_until"),
               ExportColumn("允许访问次数", lambda o: o.total_limit or "不限"),
               ExportColumn("每日允许访问次数", "daily_limit"), ExportColumn("已访问次数", "used_total")]
    related = ("interface", "application")


class InterfaceRouteListView(SharingListView):
    """接口路由 (LIC-2.2): query by name and status; entry address, data source, access address, name."""

    model = LicenceRoute
    permission_required = "licences.view_licenceroute"
    template_name = "licences/route_list.html"
    title = _("接口路由")
    filterset_class = FILTERS["route"]
    columns = [ExportColumn("入口地址", "entry_address"), ExportColumn("数据来源", "data_source.name"),
               ExportColumn("访问地址", "access_address"), ExportColumn("接口名称", "name"),
               ExportColumn("访问账号", "access_account"), ExportColumn("所属单位", "organisation.name"),
               ExportColumn("接口状态", lambda o: _yes(o.is_enabled))]
    related = ("data_source", "organisation")


class SharingLogListView(SharingListView):
    """证照共享日志 (LIC-2.6): every call with its caller and outcome."""

    model = SharingLog
    permission_required = "licences.view_sharinglog"
    title = _("证照共享日志")
    filterset_class = FILTERS["log"]
    columns = [ExportColumn("访问时间", lambda o: o.called_at.strftime("%Y-%m-%d %H:%M:%S")),
               ExportColumn("访问应用", lambda o: o.application.name if o.application else "（未识别）"),
               ExportColumn("接口编码", "interface_code"), ExportColumn("来源 IP", "ip_address"),
               ExportColumn("结果", lambda o: o.get_outcome_display()), ExportColumn("证照标识", "licence_code"),
               ExportColumn("说明", "detail")]
    related = ("application",)


class AggregatedCatalogueListView(SharingListView):
    """证照目录数据汇聚 (LIC-2.1): the aggregated rows and whether the national platform has them."""

    model = CatalogueRecord
    permission_required = "licences.view_cataloguerecord"
    title = _("汇聚证照目录")
    filterset_class = FILTERS["catalogue"]
    columns = [ExportColumn("证照标识", "licence_code"), ExportColumn("证照名称", "name"),
               ExportColumn("证照类型代码", "type_code"), ExportColumn("颁发机构", "issuer_name"),
               ExportColumn("持证主体", "holder_name"), ExportColumn("颁证日期", "issued_on"),
               ExportColumn("数据来源", "route.name"),
               ExportColumn("上报国家平台",
                            lambda o: o.reported_at.strftime("%Y-%m-%d %H:%M") if o.reported_at else "待上报")]
    related = ("route",)


class AggregateRunView(StaffPermissionMixin, View):
    """Run one aggregation of a route's front-end database now (POST)."""

    permission_required = "licences.change_cataloguerecord"

    def post(self, request, pk: int):
        route = get_object_or_404(restrict(LicenceRoute.objects.all(), request.user), pk=pk)
        result = {}

        def run():
            result.update(aggregation.catalogue_aggregate(actor=request.user, route=route))

        if run_action(request, run, _("汇聚完成。")):
            from django.contrib import messages

            messages.info(request, _("新增 %(insert)s，更新 %(update)s，删除 %(delete)s，"
                                     "质检不通过 %(reject)s（已回写前置库）。") % result)
        return redirect("licences:aggregated-catalogue")


class SharedStatisticsView(StaffPermissionMixin, View):
    """统计已共享证照 (LIC-2.7): department region, licence type, entry date → insert/delete/update counts."""

    permission_required = "licences.view_cataloguesyncevent"

    def get(self, request):
        q = request.GET
        rows = aggregation.shared_statistics(request.user, region_prefix=q.get("region", "").strip(),
                                             type_code=q.get("type_code", "").strip(),
                                             date_from=q.get("date_from") or None, date_to=q.get("date_to") or None)
        return render(request, "licences/shared_statistics.html", {"title": _("统计已共享证照"), "rows": rows,
                                                                   "q": q})


class CatalogueRequestView(StaffPermissionMixin, View):
    """证照目录申请 (from matters): confirm with a valid template, or refuse with a reason."""

    permission_required = "licences.view_catalogueentryrequest"

    def get(self, request):
        status = request.GET.get("status", CatalogueEntryRequestStatus.SUBMITTED)
        requests = CatalogueEntryRequest.objects.filter(status=status).select_related("template")[:200]
        templates = LicenceTemplate.objects.filter(is_valid=True).order_by("name")
        return render(request, "licences/catalogue_requests.html", {
            "title": _("证照目录申请"), "requests": requests, "templates": templates, "status": status,
            "statuses": CatalogueEntryRequestStatus.choices})

    def post(self, request):
        item = get_object_or_404(CatalogueEntryRequest, pk=request.POST.get("request") or 0)
        if request.POST.get("action") == "confirm":
            template = LicenceTemplate.objects.filter(pk=request.POST.get("template") or 0).first()
            run_action(request, lambda: catalogue.catalogue_request_confirm(actor=request.user, request=item,
                                                                            template=template), _("已确认。"))
        else:
            run_action(request, lambda: catalogue.catalogue_request_refuse(
                actor=request.user, request=item, reason=request.POST.get("reason", "")), _("已退回。"))
        return redirect("licences:catalogue-requests")


class CatalogueSortingView(StaffPermissionMixin, View):
    """证照目录梳理 (LIC-1.2): findings (never reported / reported wrongly) with their fixes; tick and confirm."""

    permission_required = "licences.change_cataloguerecord"

    def get(self, request):
        from ..services.catalogue_sorting import catalogue_sorting_findings

        return render(request, "licences/catalogue_sorting.html", {
            "title": _("证照目录梳理"), "findings": catalogue_sorting_findings(request.user)})

    def post(self, request):
        from ..services.catalogue_sorting import catalogue_sorting_apply

        ids = [v for v in request.POST.getlist("record") if v.isdigit()]
        run_action(request, lambda: catalogue_sorting_apply(actor=request.user, record_ids=ids),
                   _("已按预览执行整改。"))
        return redirect("licences:catalogue-sorting")
