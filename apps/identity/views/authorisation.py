"""Portal pages: user authorisation (PORTAL-9.1) and role management."""
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.identity import services
from apps.identity.filters import RoleFilterSet
from apps.identity.forms import AuthoriseForm, RoleForm
from apps.identity.models import Role
from apps.identity.views.base import ServiceFormView, UserObjectFormView
from apps.identity.views.users import UserListView


class AuthorisationListView(UserListView):
    """用户授权管理: the same query (department, login name, name), each row leads to 授权."""

    permission_required = "identity.authorise_user"
    title = "用户授权管理"
    action_url_name = "identity:user-authorise"
    action_label = _("授权")
    action_permission = "identity.authorise_user"


class UserAuthoriseView(UserObjectFormView):
    permission_required = "identity.authorise_user"
    form_class = AuthoriseForm
    template_name = "identity/authorise_form.html"
    title = _("用户授权")
    success_message = _("授权已保存。")

    def perform(self, form):
        return services.user_authorise(user=self.object, roles=form.cleaned_data["roles"],
                                       permissions=form.chosen_permissions(), actor=self.request.user)

    def get_success_url(self, result):
        return reverse("identity:authorisation-list") + f"?username={result.username}"


def permission_count(role: Role) -> int:
    return len(role.permissions.all())


class RoleListView(ScopedListView):
    model = Role
    filterset_class = RoleFilterSet
    permission_required = "identity.view_role"
    template_name = "identity/role_list.html"
    title = "角色管理"
    columns = [ExportColumn("角色编码", "code", 18), ExportColumn("角色名称", "name", 18),
               ExportColumn("说明", "description", 40), ExportColumn("权限数", permission_count, 10)]

    def get_queryset(self):
        # Roles are platform-wide reference data, not scoped records.
        return Role.objects.prefetch_related("permissions").order_by("code")


class RoleCreateView(ServiceFormView):
    permission_required = "identity.add_role"
    form_class = RoleForm
    template_name = "identity/role_form.html"
    title = _("新增角色")
    success_message = _("角色已创建。")

    def perform(self, form):
        return services.role_create(data=form.service_data(), actor=self.request.user)

    def get_success_url(self, result):
        return reverse("identity:role-list")


class RoleEditView(RoleCreateView):
    permission_required = "identity.change_role"
    title = _("编辑角色")
    success_message = _("角色已保存。")

    def get_object(self):
        return get_object_or_404(Role, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"instance": self.object}

    def perform(self, form):
        return services.role_update(role=self.object, data=form.service_data(), actor=self.request.user)


urlpatterns = [
    path("authorisation/", AuthorisationListView.as_view(), name="authorisation-list"),
    path("authorisation/<int:pk>/", UserAuthoriseView.as_view(), name="user-authorise"),
    path("roles/", RoleListView.as_view(), name="role-list"),
    path("roles/new/", RoleCreateView.as_view(), name="role-create"),
    path("roles/<int:pk>/edit/", RoleEditView.as_view(), name="role-edit"),
]
