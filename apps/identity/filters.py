"""FilterSets shared by the portal lists and the API (one per model)."""
from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation
from apps.core.models.regions import prefix_of_code
from apps.core.scope import restrict
from apps.core.validators import validate_region_code
from apps.identity.models import (
    AccessRequestStatus,
    ClientSystem,
    ClientSystemKind,
    Role,
    SystemAccessRequest,
    TargetSystem,
    User,
    UserKind,
)


def scoped_organisations(request):
    """The organisation choices a filter offers: only those inside the user's scope."""
    user = getattr(request, "user", None)
    return restrict(Organisation.objects.filter(is_enabled=True), user).order_by("region_id", "name")


class UserFilterSet(django_filters.FilterSet):
    """Query by owning department, login name, name (PORTAL-9.1, 9.2), the organisation tree, type and role."""

    organisation = django_filters.ModelChoiceFilter(label=_("归属部门"), queryset=scoped_organisations)
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region",
                                       validators=[validate_region_code])
    username = django_filters.CharFilter(label=_("登录名"), lookup_expr="icontains")
    full_name = django_filters.CharFilter(label=_("姓名"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("用户类型"), choices=UserKind.choices)
    role = django_filters.ModelChoiceFilter(label=_("用户角色"), field_name="roles", queryset=Role.objects.all())
    is_active = django_filters.ChoiceFilter(label=_("账号状态"), choices=[("1", _("启用")), ("0", _("停用"))],
                                            method="filter_active")

    class Meta:
        model = User
        fields = ["organisation", "username", "full_name", "kind", "role", "is_active"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")

    def filter_region(self, queryset, name, value):
        return queryset.filter(organisation__region__code__startswith=prefix_of_code(value.strip()))


class RoleFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("角色名称"), lookup_expr="icontains")
    code = django_filters.CharFilter(label=_("角色编码"), lookup_expr="icontains")

    class Meta:
        model = Role
        fields = ["name", "code"]


class AccessRequestFilterSet(django_filters.FilterSet):
    system = django_filters.ChoiceFilter(label=_("申请系统"), choices=TargetSystem.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AccessRequestStatus.choices)
    applicant = django_filters.CharFilter(label=_("申请人"), method="filter_applicant")

    class Meta:
        model = SystemAccessRequest
        fields = ["system", "status"]

    def filter_applicant(self, queryset, name, value):
        return queryset.filter(Q(applicant__username__icontains=value) | Q(applicant__full_name__icontains=value))


class ClientSystemFilterSet(django_filters.FilterSet):
    """对接应用管理: screen by name, owner, kind and status (IDN-13.5)."""

    name = django_filters.CharFilter(label=_("应用名称"), lookup_expr="icontains")
    owner = django_filters.CharFilter(label=_("所属单位"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("应用类别"), choices=ClientSystemKind.choices)
    is_enabled = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = ClientSystem
        fields = ["name", "owner", "kind", "is_enabled"]
