"""Portal pages: user management (PORTAL-9.2) — list with organisation tree, create, edit."""
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
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
    action_url_name = "identity:user-edit"
    action_label = _("编辑")
    action_permission = "identity.change_user"

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
            can_create=self.request.user.has_perm("identity.add_user") and self.action_url_name.endswith("edit"),
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


urlpatterns = [
    path("users/", UserListView.as_view(), name="user-list"),
    path("users/new/", UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/edit/", UserEditView.as_view(), name="user-edit"),
]
