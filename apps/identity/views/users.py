"""Portal pages: user management (PORTAL-9.2) — list with organisation tree, create, edit."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.identity import selectors, services
from apps.identity.filters import UserFilterSet
from apps.identity.forms import UserForm
from apps.identity.models import User
from apps.identity.views.base import ServiceFormView, UserObjectFormView


def role_names(user: User) -> str:
    return "、".join(role.name for role in user.roles.all())


# Plain strings: openpyxl writes headers and sheet titles as they are (no lazy translation proxies).
USER_COLUMNS = [
    ExportColumn("登录名", "username", 16),
    ExportColumn("姓名", "full_name", 12),
    ExportColumn("归属部门", "organisation.name", 28),
    ExportColumn("用户类型", "get_kind_display", 12),
    ExportColumn("手机号码", "masked_mobile_number", 14),
    ExportColumn("电子邮箱", "email", 22),
    ExportColumn("用户角色", role_names, 22),
]


class UserListView(ScopedListView):
    """用户管理: query by department, login name and name, or click the organisation tree."""

    model = User
    filterset_class = UserFilterSet
    permission_required = "identity.view_user"
    template_name = "identity/user_list.html"
    columns = USER_COLUMNS
    title = "用户管理"
    strict = True             # an invalid filter (e.g. a malformed region code) lists nothing
    action_url_name = "identity:user-detail"
    action_label = _("查看")
    action_permission = "identity.view_user"

    def get_queryset(self):
        return selectors.user_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET
        context.update(
            tree=selectors.organisation_tree(user=self.request.user),
            selected_organisation=data.get("organisation", ""), selected_region=data.get("region", ""),
            action_url_name=self.action_url_name, action_label=self.action_label,
            can_act=self.request.user.has_perm(self.action_permission),
            can_edit=(self.action_url_name == UserListView.action_url_name
                      and self.request.user.has_perm("identity.change_user")),
            can_create=(self.request.user.has_perm("identity.add_user")
                        and self.action_url_name == UserListView.action_url_name),
        )
        return context


class UserCreateView(ServiceFormView):
    permission_required = "identity.add_user"
    form_class = UserForm
    template_name = "identity/user_form.html"
    title = _("新增用户")
    success_message = _("用户已创建。")

    def perform(self, form):
        return services.user_create(data=form.service_data(), actor=self.request.user)

    def get_success_url(self, result):
        return reverse("identity:user-list") + f"?username={result.username}"


class UserEditView(UserObjectFormView):
    permission_required = "identity.change_user"
    form_class = UserForm
    template_name = "identity/user_form.html"
    title = _("编辑用户")
    success_message = _("用户信息已保存。")

    def perform(self, form):
        return services.user_update(user=self.object, data=form.service_data(), actor=self.request.user)

    def get_success_url(self, result):
        return reverse("identity:user-list") + f"?username={result.username}"


class UserDetailView(StaffPermissionMixin, View):
    """用户详情 (IDN-13.6): profile, roles, status, and the actions the viewer may take."""

    permission_required = "identity.view_user"

    def get(self, request, pk):
        target = selectors.user_get(user=request.user, pk=pk)
        me = request.user
        return render(request, "identity/user_detail.html", {
            "target": target, "is_self": target.pk == me.pk,
            "can_edit": me.has_perm("identity.change_user"), "can_delete": me.has_perm("identity.delete_user"),
            "can_authorise": me.has_perm("identity.authorise_user"),
        })


class _UserActionView(StaffPermissionMixin, View):
    """POST-only action on one user in scope; refusals come back as a message on the detail page."""

    success_message = ""

    def perform(self, target):
        raise NotImplementedError

    def post(self, request, pk):
        target = selectors.user_get(user=request.user, pk=pk)
        try:
            self.perform(target)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
            return redirect("identity:user-detail", pk=target.pk)
        messages.success(request, self.success_message % {"name": target.full_name or target.username})
        return self.done(target)

    def done(self, target):
        return redirect("identity:user-detail", pk=target.pk)


class UserActiveView(_UserActionView):
    permission_required = "identity.change_user"

    def perform(self, target):
        active = self.request.POST.get("active") == "1"
        self.success_message = str(_("已启用账号“%(name)s”。") if active else _("已停用账号“%(name)s”。"))
        services.user_set_active(user=target, active=active, actor=self.request.user, request=self.request)


class UserDeleteView(_UserActionView):
    permission_required = "identity.delete_user"
    success_message = _("已删除账号“%(name)s”。")

    def perform(self, target):
        services.user_delete(user=target, actor=self.request.user, request=self.request)

    def done(self, target):
        return redirect("identity:user-list")


urlpatterns = [
    path("users/", UserListView.as_view(), name="user-list"),
    path("users/<int:pk>/", UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/active/", UserActiveView.as_view(), name="user-active"),
    path("users/<int:pk>/delete/", UserDeleteView.as_view(), name="user-delete"),
    path("users/new/", UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/edit/", UserEditView.as_view(), name="user-edit"),
]
