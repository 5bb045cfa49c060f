"""Portal pages of interface management (APP-3.1 to 3.9)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from apps.core import charts
from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.core.workflow import timeline_for
from apps.mobile import selectors
from apps.mobile.filters import InterfaceLogFilterSet, ResourceFilterSet, TrendFilterForm
from apps.mobile.forms import CatalogueForm, ConfigureForm, MountForm, ReasonForm, ResourceForm
from apps.mobile.models import InterfaceLog, InterfaceResource, InterfaceSubscription, ResourceCatalogue, ResourceStatus
from apps.mobile.services import interfaces as svc
from apps.mobile.views.common import run_action, save_form

MANAGE = "mobile.manage_interfaces"
REVIEW = "mobile.review_interfaces"


class ResourceListView(ScopedListView):
    """APP-3.1 resource catalogue management: the unit's own resources, with add and export (APP-3.7)."""

    model = InterfaceResource
    filterset_class = ResourceFilterSet
    permission_required = MANAGE
    template_name = "mobile/resource_list.html"
    title = _("接口资源目录")
    export_key = "mobile.resources"
    columns = [ExportColumn(_("资源编码"), "code"), ExportColumn(_("资源名称"), "name", 24),
               ExportColumn(_("资源提供方"), "organisation.name", 28), ExportColumn(_("版本号"), "version", 10),
               ExportColumn(_("资源状态"), "get_status_display", 12), ExportColumn(_("接口分类"), "category.name"),
               ExportColumn(_("上架"), lambda r: _("已上架") if r.is_listed else _("未上架"), 8),
               ExportColumn(_("互联网访问地址"), "internet_url", 40)]

    def get_queryset(self):
        return selectors.own_resources(user=self.request.user)


class ResourceCreateView(StaffPermissionMixin, View):
    permission_required = MANAGE

    def get(self, request):
        return render(request, "mobile/form.html", {"form": ResourceForm(), "title": _("登记接口资源")})

    def post(self, request):
        form = ResourceForm(request.POST)
        resource = save_form(form, lambda data: svc.resource_create(actor=request.user, data=data))
        if resource is None:
            return render(request, "mobile/form.html", {"form": form, "title": _("登记接口资源")}, status=400)
        messages.success(request, _("接口资源已登记，请进行接口测试后提交审核。"))
        return redirect(resource)


class ResourceEditView(StaffPermissionMixin, View):
    permission_required = MANAGE

    def _resource(self, request, pk):
        return get_object_or_404(selectors.own_resources(user=request.user), pk=pk)

    def get(self, request, pk):
        resource = self._resource(request, pk)
        return render(request, "mobile/form.html", {"form": ResourceForm(instance=resource),
                                                    "title": _("编辑接口资源"), "back": resource.get_absolute_url()})

    def post(self, request, pk):
        resource = self._resource(request, pk)
        original = InterfaceResource.objects.get(pk=pk)
        form = ResourceForm(request.POST, instance=resource)
        saved = save_form(form, lambda data: svc.resource_update(actor=request.user, resource=original, data=data))
        if saved is None:
            return render(request, "mobile/form.html", {"form": form, "title": _("编辑接口资源")}, status=400)
        messages.success(request, _("已保存，请重新进行接口测试。"))
        return redirect(saved)


class ResourceDetailView(StaffPermissionMixin, View):
    """One resource: information, tests, reviews, history, and the actions of its state."""

    permission_required = MANAGE

    def get(self, request, pk):
        resource = selectors.access_resource(request.user, pk)
        own = request.user.is_superuser or resource.organisation_id == request.user.organisation_id
        return render(request, "mobile/resource_detail.html", {
            "resource": resource, "own": own, "tests": resource.tests.select_related("tested_by")[:5],
            "reviews": resource.reviews.select_related("reviewer")[:5], "timeline": timeline_for(resource),
            "configure_form": ConfigureForm(initial={"rate_limit_count": resource.rate_limit_count,
                                                     "rate_limit_seconds": resource.rate_limit_seconds,
                                                     "is_public": resource.is_public}),
            "mount_form": MountForm(catalogues=selectors.published_catalogues(user=request.user)),
            "reason_form": ReasonForm(), "statuses": ResourceStatus,
            "bound_apps": resource.bindings.select_related("app")})


class ResourceActionView(StaffPermissionMixin, View):
    """POST buttons of the detail page: test, submit, list/delist, configure, mount, withdraw, delete."""

    permission_required = MANAGE

    def post(self, request, pk, action):
        resource = get_object_or_404(selectors.own_resources(user=request.user), pk=pk)
        back = resource.get_absolute_url()
        user = request.user
        if action == "test":
            test = svc.resource_test(actor=user, resource=resource)
            (messages.success if test.ok else messages.error)(request, _("接口测试%(r)s：%(d)s") % {
                "r": _("通过") if test.ok else _("失败"), "d": test.detail[:200]})
            return redirect(back)
        if action == "configure":
            form = ConfigureForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("限流规则填写有误：%(e)s") % {"e": form.errors.as_text()})
                return redirect(back)
            return run_action(request, lambda: svc.resource_configure(actor=user, resource=resource,
                                                                      **form.cleaned_data),
                              success=_("限流规则与公开设置已保存。"), back=back)
        if action == "mount":
            form = MountForm(request.POST, catalogues=selectors.published_catalogues(user=user))
            if not form.is_valid():
                messages.error(request, _("请选择已发布的资源目录。"))
                return redirect(back)
            return run_action(request, lambda: svc.resource_mount(actor=user, resource=resource,
                                                                  catalogue=form.cleaned_data["catalogue"]),
                              success=_("已挂载，互联网访问地址已生成。"), back=back)
        if action == "delete":
            response = run_action(request, lambda: svc.resource_delete(actor=user, resource=resource),
                                  success=_("接口资源已删除。"), back=reverse("mobile:resource-list"))
            return response if not InterfaceResource.objects.filter(pk=pk).exists() else redirect(back)
        actions = {
            "submit": (lambda: svc.resource_submit(actor=user, resource=resource), _("已提交审核。")),
            "list": (lambda: svc.resource_set_listed(actor=user, resource=resource, listed=True), _("接口已上架。")),
            "delist": (lambda: svc.resource_set_listed(actor=user, resource=resource, listed=False), _("接口已下架。")),
            "withdraw": (lambda: svc.withdrawal_request(actor=user, resource=resource,
                                                        reason=request.POST.get("reason", "")),
                         _("撤回申请已提交，等待审核。")),
        }
        if action not in actions:
            raise PermissionDenied
        call, text = actions[action]
        return run_action(request, call, success=text, back=back)


class ReviewQueueView(StaffPermissionMixin, View):
    """APP-3.2: pending resources with single and batch approve/reject (reason required to reject)."""

    permission_required = REVIEW

    def get(self, request):
        return render(request, "mobile/review_queue.html", {
            "resources": selectors.review_queue(user=request.user),
            "withdrawals": selectors.withdrawal_queue(user=request.user),
            "subscriptions": selectors.subscription_queue(user=request.user)})

    def post(self, request):
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        resources = list(selectors.review_queue(user=request.user).filter(pk__in=ids))
        approve = request.POST.get("decision") == "approve"
        return run_action(request, lambda: svc.resource_review(actor=request.user, resources=resources,
                                                               approve=approve, reason=request.POST.get("reason", "")),
                          success=_("已审核 %(n)s 个接口资源。") % {"n": len(resources)},
                          back=reverse("mobile:review-queue"))


class WithdrawalReviewView(StaffPermissionMixin, View):
    permission_required = REVIEW

    def post(self, request, pk):
        withdrawal = get_object_or_404(selectors.withdrawal_queue(user=request.user), pk=pk)
        approve = request.POST.get("decision") == "approve"
        return run_action(request, lambda: svc.withdrawal_review(actor=request.user, withdrawal=withdrawal,
                                                                 approve=approve,
                                                                 comment=request.POST.get("reason", "")),
                          success=_("撤回申请已审核。"), back=reverse("mobile:review-queue"))


class SubscriptionReviewView(StaffPermissionMixin, View):
    permission_required = REVIEW

    def post(self, request, pk):
        subscription = get_object_or_404(selectors.subscription_queue(user=request.user), pk=pk)
        approve = request.POST.get("decision") == "approve"
        return run_action(request, lambda: svc.subscription_review(actor=request.user, subscription=subscription,
                                                                   approve=approve,
                                                                   comment=request.POST.get("reason", "")),
                          success=_("订阅申请已审核。"), back=reverse("mobile:review-queue"))


class SubscriptionCatalogueView(StaffPermissionMixin, View):
    """APP-3.5 resource subscription: browse subscribable resources, subscribe."""

    permission_required = "mobile.develop_apps"

    def get(self, request):
        resources, subscriptions = selectors.subscribable_resources(user=request.user)
        rows = [(r, subscriptions.get(r.pk)) for r in resources]
        return render(request, "mobile/subscriptions.html", {"rows": rows,
                                                             "labels": dict(InterfaceSubscription._meta.get_field(
                                                                 "status").flatchoices)})

    def post(self, request):
        resources, _subs = selectors.subscribable_resources(user=request.user)
        resource = get_object_or_404(resources, pk=request.POST.get("resource"))
        return run_action(request, lambda: svc.subscription_request(actor=request.user, resource=resource,
                                                                    purpose=request.POST.get("purpose", "")),
                          success=_("订阅申请已提交，等待管理员审核。"), back=reverse("mobile:subscriptions"))


class CatalogueListView(StaffPermissionMixin, View):
    """APP-3.4 catalogues: add, publish."""

    permission_required = MANAGE

    def get(self, request, form=None):
        return render(request, "mobile/catalogues.html", {
            "catalogues": selectors.catalogue_list(user=request.user), "form": form or CatalogueForm()},
            status=400 if form else 200)

    def post(self, request):
        if "publish" in request.POST or "unpublish" in request.POST:
            catalogue = get_object_or_404(ResourceCatalogue.objects.restrict(request.user),
                                          pk=request.POST.get("catalogue"))
            return run_action(request, lambda: svc.catalogue_publish(actor=request.user, catalogue=catalogue,
                                                                     published="publish" in request.POST),
                              success=_("目录状态已更新。"), back=reverse("mobile:catalogues"))
        form = CatalogueForm(request.POST)
        if save_form(form, lambda data: svc.catalogue_create(actor=request.user, **data)) is None:
            return self.get(request, form=form)
        messages.success(request, _("资源目录已新增。"))
        return redirect("mobile:catalogues")


class OperationsView(StaffPermissionMixin, View):
    """APP-3.8 / APP-3.9: 7-day line charts (new, requests, exceptions, health) and exception analysis."""

    permission_required = REVIEW

    def get(self, request):
        form = TrendFilterForm(request.GET or None)
        filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
        if filters.get("end") and filters["end"] > timezone.localdate():
            filters.pop("end")
        if filters.get("app") is not None and not selectors.app_list(user=request.user).filter(
                pk=filters["app"].pk).exists():
            filters.pop("app")
        trends = selectors.interface_trends(user=request.user, **filters)
        dimension = request.GET.get("dimension", "requests")
        names = {"new": _("新增接口数"), "requests": _("接口请求数"), "exceptions": _("接口异常数")}
        if dimension not in names:
            dimension = "requests"
        return render(request, "mobile/operations.html", {
            "summary": selectors.interface_exception_summary(user=request.user), "dimension": dimension,
            "form": form, "filter_query": _without(request.GET, "dimension"),
            "dimensions": names.items(),
            "trend_chart": charts.lines(trends["days"], [(names[dimension], trends[dimension])]),
            "health_chart": charts.lines(trends["days"], [(_("健康度（%）"), trends["health"])]),
            "faulty": selectors.resource_list(user=request.user).filter(
                status=ResourceStatus.PUBLISHED, health="faulty")[:20]})


class RunningInterfacesView(StaffPermissionMixin, View):
    """APP-3.6: every unit's running interfaces in scope, with health and the last 7 days' traffic."""

    permission_required = MANAGE

    def get(self, request):
        return render(request, "mobile/running.html", {"resources": selectors.running_interfaces(user=request.user)})


def _without(query, key: str) -> str:
    query = query.copy()
    query.pop(key, None)
    return query.urlencode()


class InterfaceLogView(ScopedListView):
    """APP-3.9 unified log: filter by time, organisation, application and theme category; export."""

    model = InterfaceLog
    filterset_class = InterfaceLogFilterSet
    permission_required = REVIEW
    title = _("接口操作日志")
    export_key = "mobile.interface_log"
    columns = [ExportColumn(_("时间"), "at", 20), ExportColumn(_("模块"), "get_module_display", 10),
               ExportColumn(_("操作"), "action", 14), ExportColumn(_("操作人"), "operator_name", 12),
               ExportColumn(_("单位"), "organisation.name", 24), ExportColumn(_("应用"), "app.name", 16),
               ExportColumn(_("接口资源"), "resource.code", 16), ExportColumn(_("主题分类"), "category.name", 12),
               ExportColumn(_("详情"), "detail", 40)]

    def get_base_queryset(self):
        return InterfaceLog.objects.select_related("organisation", "app", "resource", "category")
