"""Portal pages: integrated applications (对接应用管理, IDN-13.5)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.identity.filters import ClientSystemFilterSet
from apps.identity.forms import ServiceForm
from apps.identity.models import ClientSystem, ClientSystemKind
from apps.identity.models.sso import CLAIM_CHOICES
from apps.identity.services import clients as services
from apps.identity.views.base import ServiceFormView


class ClientSystemForm(ServiceForm):
    code = forms.SlugField(label=_("应用标识"), max_length=64)
    name = forms.CharField(label=_("应用名称"), max_length=128)
    owner = forms.CharField(label=_("所属单位"), max_length=128)
    kind = forms.ChoiceField(label=_("应用类别"), choices=ClientSystemKind.choices)
    service_url = forms.URLField(label=_("服务地址（CAS / 票据回调前缀）"), required=False, assume_scheme="https")
    redirect_uris = forms.CharField(label=_("OIDC 回调地址（空格分隔）"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))
    allowed_claims = forms.MultipleChoiceField(label=_("允许获取的用户信息"), choices=CLAIM_CHOICES,
                                               widget=forms.CheckboxSelectMultiple, required=False)
    min_real_name_level = forms.TypedChoiceField(label=_("最低实名等级"), coerce=int,
                                                 choices=[(0, "0"), (1, "1"), (2, "2"), (3, "3")])
    for_staff = forms.BooleanField(label=_("面向政务工作人员"), required=False)
    is_enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["code"].disabled = True
            for name in self.fields:
                if hasattr(instance, name):
                    self.initial[name] = getattr(instance, name)
            application = instance.application
            self.initial["redirect_uris"] = application.redirect_uris if application else ""


class ClientSystemListView(ScopedListView):
    model = ClientSystem
    filterset_class = ClientSystemFilterSet
    permission_required = "identity.view_clientsystem"
    template_name = "identity/client_list.html"
    columns = [ExportColumn("应用标识", "code", 24), ExportColumn("应用名称", "name", 32),
               ExportColumn("所属单位", "owner", 28), ExportColumn("应用类别", "get_kind_display", 14),
               ExportColumn("最低实名等级", "min_real_name_level", 10), ExportColumn("启用", "is_enabled", 6)]
    title = "对接应用管理"

    def get_queryset(self):
        return ClientSystem.objects.all()


def _data(form) -> dict:
    keys = ("code", "name", "owner", "kind", "service_url", "allowed_claims", "min_real_name_level", "for_staff",
            "is_enabled")
    return {k: form.cleaned_data[k] for k in keys}


class ClientSystemCreateView(ServiceFormView):
    form_class = ClientSystemForm
    permission_required = "identity.add_clientsystem"
    title = _("新增对接应用")
    success_message = _("已新增对接应用，请重置密钥后交付对接单位。")

    def perform(self, form):
        return services.client_system_create(data=_data(form), redirect_uris=form.cleaned_data["redirect_uris"],
                                             actor=self.request.user)

    def get_success_url(self, result):
        return reverse("identity:client-edit", args=[result.pk])


class ClientSystemEditView(ServiceFormView):
    form_class = ClientSystemForm
    permission_required = "identity.change_clientsystem"
    template_name = "identity/client_form.html"
    title = _("编辑对接应用")
    success_message = _("已保存。")

    def get_object(self):
        return get_object_or_404(ClientSystem, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def perform(self, form):
        data = _data(form)
        data.pop("code")
        return services.client_system_update(client=self.object, data=data,
                                             redirect_uris=form.cleaned_data["redirect_uris"], actor=self.request.user)

    def get_success_url(self, result):
        return reverse("identity:client-list")


class ClientSystemActionView(StaffPermissionMixin, View):
    permission_required = "identity.change_clientsystem"

    def post(self, request, pk, action):
        client = get_object_or_404(ClientSystem, pk=pk)
        try:
            if action == "reset":
                secrets = services.client_system_reset_secrets(client=client, actor=request.user)
                return render(request, "identity/client_secrets.html", {"object": client, "secrets": secrets})
            if action == "delete":
                services.client_system_delete(client=client, actor=request.user)
                messages.success(request, _("已删除对接应用。"))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, str(exc))
        return redirect("identity:client-list")


urlpatterns = [
    path("clients/", ClientSystemListView.as_view(), name="client-list"),
    path("clients/new/", ClientSystemCreateView.as_view(), name="client-create"),
    path("clients/<int:pk>/edit/", ClientSystemEditView.as_view(), name="client-edit"),
    path("clients/<int:pk>/<str:action>/", ClientSystemActionView.as_view(), name="client-action"),
]
