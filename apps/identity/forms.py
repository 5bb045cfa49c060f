"""Portal forms of identity. They only parse input; the services validate and write."""
from __future__ import annotations

from collections import defaultdict

from django import forms
from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from apps.core.forms import add_service_errors
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.identity.models import Role, TargetSystem, User, UserKind
from apps.identity.services.grants import grantable_permissions, is_unrestricted

_ACTIONS = {"add": _("新增"), "change": _("修改"), "delete": _("删除"), "view": _("查看")}


def permission_display(permission: Permission) -> str:
    """新增 区划 / 可以审核系统访问权限申请: Chinese, whatever Django stored as the name."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in _ACTIONS and model is not None and model._meta.model_name == model_name:
        return f"{_ACTIONS[action]}{model._meta.verbose_name}"
    return permission.name


def grouped_permission_choices(permissions) -> list[tuple[str, list[tuple[int, str]]]]:
    """Choices grouped by app (统一身份认证, 核心…) for a CheckboxSelectMultiple."""
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for permission in permissions:
        try:
            app_name = str(apps.get_app_config(permission.content_type.app_label).verbose_name)
        except LookupError:
            app_name = permission.content_type.app_label
        groups[app_name].append((permission.pk, f"{permission_display(permission)}（{permission.codename}）"))
    return sorted(groups.items())


class ServiceForm(forms.Form):
    """A form whose data go to a service; `add_service_errors` puts its ValidationError on the fields."""

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def add_service_errors(self, error) -> None:
        add_service_errors(self, error)


class UserForm(ServiceForm):
    """The eight fields of PORTAL-9.2, plus login name and password when creating."""

    username = forms.CharField(label=_("登录名"), max_length=150)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False), strip=False)
    organisation = forms.ModelChoiceField(label=_("归属部门"), queryset=Organisation.objects.none(), required=False)
    full_name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    email = forms.CharField(label=_("电子邮箱"), required=False, widget=forms.EmailInput)
    telephone = forms.CharField(label=_("电话"), max_length=32, required=False)
    mobile_number = forms.CharField(label=_("手机号码"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    clear_mobile_number = forms.BooleanField(label=_("清除手机号码"), required=False)
    kind = forms.ChoiceField(label=_("用户类型"), choices=UserKind.choices)
    roles = forms.ModelMultipleChoiceField(label=_("用户角色"), queryset=Role.objects.order_by("code"),
                                           required=False, widget=forms.CheckboxSelectMultiple)
    remarks = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, actor, instance: User | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {
                "organisation": instance.organisation_id, "full_name": instance.full_name, "email": instance.email,
                "telephone": instance.telephone, "kind": instance.kind, "remarks": instance.remarks,
                "roles": list(instance.roles.all()), "is_active": instance.is_active})
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["organisation"].queryset = restrict(
            Organisation.objects.filter(is_enabled=True), actor).select_related("region").order_by("region_id", "name")
        if not is_unrestricted(actor):
            self.fields["kind"].choices = [(UserKind.STAFF, UserKind.STAFF.label)]
        if instance is None:
            del self.fields["clear_mobile_number"]
            self.fields["kind"].initial = UserKind.STAFF
        else:
            del self.fields["username"], self.fields["password"]
            mobile = self.fields["mobile_number"]
            mobile.help_text = _("当前：%(masked)s。留空则不修改。") % {"masked": instance.masked_mobile_number or "—"}
            mobile.widget.attrs["placeholder"] = instance.masked_mobile_number

    def service_data(self) -> dict:
        data = {key: self.cleaned_data.get(key) for key in (
            "organisation", "full_name", "email", "telephone", "kind", "roles", "remarks", "is_active")}
        data["roles"] = list(data["roles"] or [])
        mobile = self.cleaned_data.get("mobile_number", "")
        if self.instance is None or mobile:
            data["mobile_number"] = mobile
        elif self.cleaned_data.get("clear_mobile_number"):
            data["mobile_number"] = ""
        if self.instance is None:
            data.update(username=self.cleaned_data["username"], password=self.cleaned_data["password"])
            data.pop("is_active")
        return data


class AuthoriseForm(ServiceForm):
    """PORTAL-9.1: a user's roles and, optionally, direct permissions."""

    roles = forms.ModelMultipleChoiceField(label=_("用户角色"), queryset=Role.objects.order_by("code"),
                                           required=False, widget=forms.CheckboxSelectMultiple)
    permissions = forms.TypedMultipleChoiceField(label=_("直接授予的权限"), required=False, coerce=int,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, actor, instance: User, **kwargs):
        held = list(instance.user_permissions.select_related("content_type"))
        kwargs.setdefault("initial", {"roles": list(instance.roles.all()), "permissions": [p.pk for p in held]})
        super().__init__(*args, actor=actor, **kwargs)
        offered = {p.pk: p for p in grantable_permissions(actor)}
        offered.update({p.pk: p for p in held})
        self.fields["permissions"].choices = grouped_permission_choices(offered.values())
        self._offered = offered

    def chosen_permissions(self) -> list[Permission]:
        return [self._offered[pk] for pk in self.cleaned_data.get("permissions", [])]


class RoleForm(ServiceForm):
    code = forms.SlugField(label=_("角色编码"), max_length=64)
    name = forms.CharField(label=_("角色名称"), max_length=64)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    permissions = forms.TypedMultipleChoiceField(label=_("权限（按应用分组）"), required=False, coerce=int,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, actor, instance: Role | None = None, **kwargs):
        current = list(instance.permissions.select_related("content_type")) if instance else []
        if instance is not None:
            kwargs.setdefault("initial", {"code": instance.code, "name": instance.name,
                                          "description": instance.description,
                                          "permissions": [p.pk for p in current]})
        super().__init__(*args, actor=actor, **kwargs)
        offered = {p.pk: p for p in grantable_permissions(actor)}
        offered.update({p.pk: p for p in current})
        self.fields["permissions"].choices = grouped_permission_choices(offered.values())
        self._offered = offered

    def service_data(self) -> dict:
        data = {key: self.cleaned_data[key] for key in ("code", "name", "description")}
        data["permissions"] = [self._offered[pk] for pk in self.cleaned_data.get("permissions", [])]
        return data


class AccessRequestForm(ServiceForm):
    system = forms.ChoiceField(label=_("申请系统"), choices=TargetSystem.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=1000)


class DecisionForm(ServiceForm):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("驳回时必填。"))
