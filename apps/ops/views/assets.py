"""Asset pages: website assets (OPS-3.4) with the availability probe, the asset situation screen
(OPS-5.4) and the scan-result import (OPS-3.7)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.core import charts
from apps.core.exports import ExportColumn
from apps.core.forms import add_service_errors
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.ops.filters import HostAssetFilterSet, WebsiteAssetFilterSet
from apps.ops.forms import FindingImportForm, HostAssetForm, WebsiteAssetForm
from apps.ops.models import HostAsset, WebsiteAsset
from apps.ops.selectors import asset_situation
from apps.ops.services import assets as services

VIEW, MANAGE = "ops.view_assets", "ops.manage_assets"


class WebsiteListView(ScopedListView):
    model = WebsiteAsset
    filterset_class = WebsiteAssetFilterSet
    permission_required = VIEW
    title = gettext_lazy("网站资产")
    template_name = "ops/assets/websites.html"
    columns = [ExportColumn(gettext_lazy("资产名称"), "name", 20), ExportColumn("URL", "url", 30),
               ExportColumn(gettext_lazy("技术框架"), lambda w: f"{w.framework} {w.framework_version}".strip(), 16),
               ExportColumn(gettext_lazy("网站标题"), "site_title", 20),
               ExportColumn(gettext_lazy("使用状态"), "get_usage_status_display", 8),
               ExportColumn(gettext_lazy("责任人"), "responsible", 10), ExportColumn(gettext_lazy("地理位置"), "location", 12),
               ExportColumn(gettext_lazy("资产组"), "group", 12), ExportColumn(gettext_lazy("资产价值"), "value", 6),
               ExportColumn(gettext_lazy("关联主机"), lambda w: "、".join(h.ip_address for h in w.hosts.all()), 20),
               ExportColumn(gettext_lazy("可用性"), "get_availability_display", 8)]

    def get_queryset(self):
        return WebsiteAsset.objects.select_related("group").prefetch_related("hosts")


class WebsiteEditView(StaffPermissionMixin, FormView):
    permission_required = MANAGE
    template_name = "ops/form.html"
    form_class = WebsiteAssetForm

    def get_instance(self):
        return get_object_or_404(WebsiteAsset, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def get_context_data(self, **kwargs):
        instance = self.get_instance()
        return {**super().get_context_data(**kwargs), "instance": instance,
                "title": _("编辑网站资产") if instance else _("新增网站资产"),
                "back_url": reverse("ops:websites"),
                "delete_url": reverse("ops:website-delete", args=[instance.pk]) if instance else ""}

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.website_save(data=data, hosts=form.cleaned_data["hosts"], by=self.request.user,
                                  instance=self.get_instance())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("网站资产已保存。"))
        return redirect("ops:websites")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class WebsiteDeleteView(StaffPermissionMixin, View):
    permission_required = MANAGE

    def post(self, request, pk):
        services.website_delete(website=get_object_or_404(WebsiteAsset, pk=pk), by=request.user)
        messages.success(request, _("网站资产已删除。"))
        return redirect("ops:websites")


class WebsiteProbeView(StaffPermissionMixin, View):
    permission_required = MANAGE

    def post(self, request, pk):
        website = services.website_probe(website=get_object_or_404(WebsiteAsset, pk=pk))
        messages.info(request, _("%(n)s：%(s)s") % {"n": website.name, "s": website.get_availability_display()})
        return redirect("ops:websites")


class AssetSituationView(StaffPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "ops/assets/situation.html"

    def get_context_data(self, **kwargs):
        data = asset_situation()
        return {**super().get_context_data(**kwargs), **data, "title": _("资产态势"), "charts": {
            "registration": charts.bar([r[0] for r in data["registration"]], [r[1] for r in data["registration"]],
                                       horizontal=False),
            "sources": charts.bar([r[0] for r in data["sources"]], [r[1] for r in data["sources"]], horizontal=False),
            "trend": charts.lines(data["trend_days"], data["trend"]),
            "ports": charts.bar([str(p) for p, _n in data["ports"]], [n for _p, n in data["ports"]]),
        }}


class FindingImportView(StaffPermissionMixin, FormView):
    permission_required = "ops.add_finding"
    template_name = "ops/form.html"
    form_class = FindingImportForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("漏扫结果导入"), "multipart": True,
                "help_text": _("CSV 表头：ip,port,kind,title,severity,cve,solution（UTF-8）；"
                               "kind 为 漏洞/弱口令/配置核查，severity 为 严重/高/中/低/信息。")}

    def form_valid(self, form):
        try:
            result = services.findings_import(content=form.cleaned_data["file"].read(),
                                              source=form.cleaned_data["source"], by=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            response = self.form_invalid(form)
            response.status_code = 400
            return response
        messages.success(self.request, _("导入完成：新增 %(created)s 条，更新 %(updated)s 条，发现新资产 %(new_assets)s 个。")
                         % result)
        return redirect("ops:situation")


class HostListView(ScopedListView):
    model = HostAsset
    filterset_class = HostAssetFilterSet
    permission_required = VIEW
    title = gettext_lazy("主机资产")
    template_name = "ops/assets/hosts.html"
    columns = [ExportColumn(gettext_lazy("资产名称"), "name", 20), ExportColumn(gettext_lazy("类别"), "get_category_display", 12),
               ExportColumn(gettext_lazy("IP地址"), "ip_address", 20), ExportColumn(gettext_lazy("资产组"), "group", 12),
               ExportColumn(gettext_lazy("登记状态"), "get_registration_status_display", 8),
               ExportColumn(gettext_lazy("发现来源"), "get_discovery_source_display", 8),
               ExportColumn(gettext_lazy("服务"), lambda h: "；".join(
                   f"{s.port}/{s.protocol} {s.service_name} {s.service_version}".strip() for s in h.services.all()), 40)]

    def get_queryset(self):
        return HostAsset.objects.select_related("group").prefetch_related("services")


class HostCreateView(StaffPermissionMixin, FormView):
    permission_required = MANAGE
    template_name = "ops/form.html"
    form_class = HostAssetForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("新增主机资产"), "back_url": reverse("ops:hosts")}

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.host_asset_save(data=data, services=form.cleaned_data["services_text"], by=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("主机资产已保存。"))
        return redirect("ops:hosts")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
