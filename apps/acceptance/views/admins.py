"""分级权限 page (ACC-5.12): the administrators below the actor, opening and revoking them."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.acceptance.models import AdminCapability, AdminGrant, Hall
from apps.acceptance.services import admins as svc
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin


class AdminOpenForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("登录账号"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=64)
    mobile_number = forms.CharField(label=gettext_lazy("手机号码"), max_length=11)
    password = forms.CharField(label=gettext_lazy("初始密码"), widget=forms.PasswordInput, min_length=10)
    organisation = forms.ModelChoiceField(label=gettext_lazy("管理单位"), queryset=None)
    hall = forms.ModelChoiceField(label=gettext_lazy("管理大厅"), queryset=Hall.objects.none(), required=False,
                                  help_text=gettext_lazy("开通大厅或分厅管理员时选择；不选则按单位开通。"))
    capabilities = forms.MultipleChoiceField(label=gettext_lazy("授权范围"), choices=AdminCapability.choices,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = svc.manageable_organisations(user)
        self.fields["hall"].queryset = restrict(Hall.objects.all(), user)


def grant_list(user):
    return restrict(AdminGrant.objects.select_related("user", "organisation", "hall", "granted_by"), user)


class AdminGrantView(StaffPermissionMixin, TemplateView):
    permission_required = "acceptance.view_admingrant"
    template_name = "acceptance/admins.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        grants = grant_list(user)
        name = self.request.GET.get("q", "").strip()
        if name:
            grants = grants.filter(user__full_name__icontains=name)
        own = svc.active_grant(user)
        kwargs.setdefault("form", AdminOpenForm(user=user))
        return super().get_context_data(grants=grants, own=own, q=name, **kwargs)

    def post(self, request):
        user, action = request.user, request.POST.get("action", "")
        try:
            if action == "open":
                form = AdminOpenForm(request.POST, user=user)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form), status=400)
                grant = svc.admin_account_open(actor=user, **form.cleaned_data)
                messages.success(request, _("已开通%(level)s：%(name)s。") % {
                    "level": grant.get_level_display(), "name": grant.user.full_name})
            elif action in ("revoke", "change"):
                grant = grant_list(user).filter(pk=request.POST.get("grant")).first()
                if grant is None:
                    raise PermissionDenied(_("该管理员不在您的管理范围内。"))
                if action == "revoke":
                    svc.admin_grant_revoke(actor=user, grant=grant, reason=request.POST.get("reason", ""))
                    messages.success(request, _("已撤销。"))
                else:
                    svc.admin_grant_change(actor=user, grant=grant,
                                           capabilities=request.POST.getlist("capabilities"))
                    messages.success(request, _("授权已调整。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return self.render_to_response(self.get_context_data(), status=400)
        return redirect("acceptance:admin-grants")
