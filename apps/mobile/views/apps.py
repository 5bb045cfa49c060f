"""Portal pages of applications (APP-4.x developer side, APP-5.x application management centre)."""
from __future__ import annotations

import base64
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.mobile import selectors
from apps.mobile.filters import AppFilterSet
from apps.mobile.forms import AppConfigureForm, AppCreateForm, AppEditForm, BindForm, DisplayForm, ModeForm
from apps.mobile.models import AppReview, Component, InterfaceResource, MobileApp, RequestStatus
from apps.mobile.services import apps as svc
from apps.mobile.views.common import run_action, save_form

DEVELOP = "mobile.develop_apps"
ADMINISTER = "mobile.administer_apps"
APP_COLUMNS = [ExportColumn(_("应用名称"), "name", 20), ExportColumn(_("应用标识"), "identifier", 18),
               ExportColumn(_("所属单位"), "organisation.name", 24), ExportColumn(_("应用类型"), "app_type.name", 12),
               ExportColumn(_("版本号"), "version", 10), ExportColumn(_("审核状态"), "get_review_status_display", 10),
               ExportColumn(_("上架状态"), "get_listing_status_display", 10),
               ExportColumn(_("运行状况"), "get_health_display", 8),
               ExportColumn(_("源码包"), lambda a: _("已上传") if a.source_package else _("未上传"), 8)]


class MyAppListView(ScopedListView):
    """APP-4.3: the developer's own unit's apps, fuzzy search by name."""

    model = MobileApp
    filterset_class = AppFilterSet
    permission_required = DEVELOP
    template_name = "mobile/app_list.html"
    title = _("我的应用")
    export_key = "mobile.my_apps"
    columns = APP_COLUMNS

    def get_queryset(self):
        return selectors.own_apps(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "can_create": True}


class AppAdminListView(ScopedListView):
    """APP-5.2: every app in scope, or those of a chosen organisation."""

    model = MobileApp
    filterset_class = AppFilterSet
    permission_required = ADMINISTER
    template_name = "mobile/app_list.html"
    title = _("应用信息管理")
    export_key = "mobile.apps"
    columns = APP_COLUMNS

    def get_queryset(self):
        return selectors.app_list(user=self.request.user)


class AppCreateView(StaffPermissionMixin, View):
    """APP-4.1: quick creation with every required field."""

    permission_required = DEVELOP

    def get(self, request):
        return render(request, "mobile/form.html", {"form": AppCreateForm(), "title": _("创建应用"), "multipart": True})

    def post(self, request):
        form = AppCreateForm(request.POST, request.FILES)

        def create(data):
            components = [c.code for c in data.pop("components", [])]
            channels = [c.code for c in data.pop("channels", [])]
            return svc.app_create(actor=request.user, data=data, component_codes=components, channel_codes=channels)

        result = save_form(form, create)
        if result is None:
            return render(request, "mobile/form.html", {"form": form, "title": _("创建应用"), "multipart": True},
                          status=400)
        app, key = result
        messages.success(request, _("应用已创建。应用密钥只显示这一次，请妥善保存：%(k)s") % {"k": key})
        return redirect(app)


class AppDetailView(StaffPermissionMixin, View):
    """APP-4.3 / APP-5.2 detail: basic, versions, bound interfaces, component permissions, review status,
    source package; developer and admin actions."""

    permission_required = None

    def get(self, request, pk):
        user = request.user
        admin = user.has_perm(ADMINISTER)
        if not (admin or user.has_perm(DEVELOP)):
            raise PermissionDenied
        app = selectors.access_app(user, pk, own=not admin)
        own = user.is_superuser or app.organisation_id == user.organisation_id
        subscribed = InterfaceResource.objects.filter(
            subscriptions__organisation_id=app.organisation_id,
            subscriptions__status__in=[RequestStatus.PENDING, RequestStatus.APPROVED]).exclude(bindings__app=app)
        enabled = {p.component_id for p in app.component_permissions.all()}
        return render(request, "mobile/app_detail.html", {
            "app": app, "own": own and user.has_perm(DEVELOP), "admin": admin, **selectors.app_detail(app),
            "timeline": selectors.app_timeline(app),
            "configure_form": AppConfigureForm(initial={"version": app.version, "url": app.url}),
            "bind_form": BindForm(resources=subscribed),
            "choosable": Component.objects.filter(is_open=True).exclude(pk__in=enabled),
            "all_components": Component.objects.all(), "display_form": DisplayForm(),
            "mode_form": ModeForm(initial={"listing_mode": app.listing_mode})})


class AppEditView(StaffPermissionMixin, View):
    permission_required = DEVELOP

    def get(self, request, pk):
        app = selectors.access_app(request.user, pk, own=True)
        return render(request, "mobile/form.html", {"form": AppEditForm(instance=app), "title": _("修改应用信息"),
                                                    "multipart": True, "back": app.get_absolute_url()})

    def post(self, request, pk):
        app = selectors.access_app(request.user, pk, own=True)
        form = AppEditForm(request.POST, request.FILES, instance=app)
        saved = save_form(form, lambda data: svc.app_update(actor=request.user,
                                                           app=MobileApp.objects.get(pk=pk), data=data))
        if saved is None:
            return render(request, "mobile/form.html", {"form": form, "title": _("修改应用信息"), "multipart": True},
                          status=400)
        messages.success(request, _("应用信息已保存。"))
        return redirect(saved)


class AppDeveloperActionView(StaffPermissionMixin, View):
    """Developer actions: configure (APP-4.2), bind interface, choose component, submit, key, delete."""

    permission_required = DEVELOP

    def post(self, request, pk, action):
        app = selectors.access_app(request.user, pk, own=True)
        user, back = request.user, app.get_absolute_url()
        if action == "configure":
            form = AppConfigureForm(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, form.errors.as_text())
                return redirect(back)
            return run_action(request, lambda: svc.app_configure(actor=user, app=app, data=form.cleaned_data),
                              success=_("应用配置已保存。"), back=back)
        if action == "bind":
            resource = get_object_or_404(InterfaceResource, pk=request.POST.get("resource"))
            return run_action(request, lambda: svc.app_bind_interface(actor=user, app=app, resource=resource),
                              success=_("接口已绑定。"), back=back)
        if action == "component":
            component = get_object_or_404(Component, pk=request.POST.get("component"))
            return run_action(request, lambda: svc.app_request_component(actor=user, app=app, component=component),
                              success=_("组件已选择。"), back=back)
        if action == "key":
            key = svc.app_regenerate_key(actor=user, app=app)
            messages.success(request, _("新的应用密钥（只显示这一次）：%(k)s") % {"k": key})
            return redirect(back)
        if action == "delete":
            response = run_action(request, lambda: svc.app_delete(actor=user, app=app),
                                  success=_("应用已删除。"), back=reverse("mobile:my-apps"))
            return response if not MobileApp.objects.filter(pk=pk).exists() else redirect(back)
        if action == "submit":
            return run_action(request, lambda: svc.app_submit(actor=user, app=app), success=_("已提交审核。"),
                              back=back)
        raise PermissionDenied


class AppAdminActionView(StaffPermissionMixin, View):
    """Admin actions: component switch (APP-5.2), detect and decide (APP-5.5), list/delist, mode and display
    (APP-5.6)."""

    permission_required = ADMINISTER

    def post(self, request, pk, action):
        app = selectors.access_app(request.user, pk)
        user, back = request.user, app.get_absolute_url()
        post = request.POST
        if action == "component":
            component = get_object_or_404(Component, pk=post.get("component"))
            enabled = post.get("enabled") == "1"
            return run_action(request, lambda: svc.app_set_component(actor=user, app=app, component=component,
                                                                     enabled=enabled),
                              success=_("组件权限已更新。"), back=back)
        if action == "display":
            form = DisplayForm(post, request.FILES)
            if not form.is_valid():
                messages.error(request, form.errors.as_text())
                return redirect(back)
            return run_action(request, lambda: svc.app_update_display(actor=user, app=app, **form.cleaned_data),
                              success=_("展示信息已更新，生产渠道即时生效。"), back=back)
        actions = {
            "detect": (lambda: svc.app_detect(actor=user, app=app), _("检测完成，已生成检测报告。")),
            "approve": (lambda: svc.app_review_decide(actor=user, app=app, approve=True,
                                                      comment=post.get("reason", "")), _("审核通过。")),
            "reject": (lambda: svc.app_review_decide(actor=user, app=app, approve=False,
                                                     comment=post.get("reason", "")), _("已退回。")),
            "list": (lambda: svc.app_set_listing(actor=user, app=app, listed=True), _("应用已上架。")),
            "delist": (lambda: svc.app_set_listing(actor=user, app=app, listed=False, reason=post.get("reason", "")),
                       _("应用已下架。")),
            "mode": (lambda: svc.app_set_mode(actor=user, app=app, mode=post.get("listing_mode", "")),
                     _("上下架方式已更新。")),
        }
        if action not in actions:
            raise PermissionDenied
        call, text = actions[action]
        return run_action(request, call, success=text, back=back)


class AppReviewQueueView(StaffPermissionMixin, View):
    permission_required = ADMINISTER

    def get(self, request):
        apps = selectors.app_list(user=request.user).filter(review_status="pending")
        return render(request, "mobile/app_review_queue.html", {"apps": apps})


class DetectionReportView(StaffPermissionMixin, View):
    """APP-5.5: the stored detection report, printable and downloadable, with the QR preview."""

    permission_required = None

    def get(self, request, pk):
        user = request.user
        admin = user.has_perm(ADMINISTER)
        if not (admin or user.has_perm(DEVELOP)):
            raise PermissionDenied
        visible = selectors.app_list(user=user) if admin else selectors.own_apps(user=user)
        review = get_object_or_404(AppReview.objects.select_related("app__organisation", "reviewer"),
                                   pk=pk, app__in=visible)
        response = render(request, "mobile/detection_report.html", {"review": review, "qr": _qr_data_uri(review.url)})
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="detection-report-{review.pk}.html"'
        return response


def _qr_data_uri(url: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    buffer = io.BytesIO()
    qrcode.make(url, image_factory=SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


class ComponentAdminView(StaffPermissionMixin, View):
    """APP-5.4: components and their "open externally" flag."""

    permission_required = "mobile.manage_components"

    def get(self, request):
        return render(request, "mobile/components_admin.html", {"components": Component.objects.all()})

    def post(self, request):
        component = get_object_or_404(Component, pk=request.POST.get("component"))
        is_open = request.POST.get("is_open") == "1"
        return run_action(request, lambda: svc.component_set_open(actor=request.user, component=component,
                                                                  is_open=is_open),
                          success=_("组件开放状态已更新。"), back=reverse("mobile:components-admin"))
