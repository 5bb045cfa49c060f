"""Portal pages: business rule controls (业务规则控制管理, IDN-5.3) and API permission management
(接口权限管理, IDN-5.4). Both are provincial configuration (no region scope): permission-gated."""
from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin
from apps.identity.forms import ServiceForm
from apps.identity.models import ApiEndpoint, ApiGrant, BusinessControl, ClientSystem
from apps.identity.services import apis as services
from apps.identity.views.base import ServiceFormView


class BusinessControlFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=gettext_lazy("业务名称"), lookup_expr="icontains")
    is_enabled = django_filters.BooleanFilter(label=gettext_lazy("启用"))

    class Meta:
        model = BusinessControl
        fields = ["name", "is_enabled"]


class ApiEndpointFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=gettext_lazy("接口名称"), lookup_expr="icontains")
    code = django_filters.CharFilter(label=gettext_lazy("接口编码"), lookup_expr="icontains")
    is_enabled = django_filters.BooleanFilter(label=gettext_lazy("启用"))

    class Meta:
        model = ApiEndpoint
        fields = ["name", "code", "is_enabled"]


class BusinessControlForm(ServiceForm):
    code = forms.SlugField(label=gettext_lazy("业务编码"), max_length=64)
    name = forms.CharField(label=gettext_lazy("业务名称"), max_length=128)
    description = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_enabled = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.initial.update({f: getattr(instance, f) for f in self.fields})


class ApiEndpointForm(BusinessControlForm):
    code = forms.SlugField(label=gettext_lazy("接口编码"), max_length=64)
    name = forms.CharField(label=gettext_lazy("接口名称"), max_length=128)
    path = forms.CharField(label=gettext_lazy("接口地址"), max_length=200)
    field_order = ["code", "name", "path", "description", "is_enabled"]


class _ListView(StaffPermissionMixin, View):
    model = None
    filterset_class = None
    template_name = ""

    def context(self) -> dict:
        filterset = self.filterset_class(self.request.GET or None, queryset=self.model.objects.all())
        return {"filter": filterset, "object_list": filterset.qs}

    def get(self, request):
        return render(request, self.template_name, self.context())


class BusinessControlListView(_ListView):
    permission_required = "identity.view_businesscontrol"
    model, filterset_class, template_name = BusinessControl, BusinessControlFilterSet, "identity/control_list.html"


class ApiEndpointListView(_ListView):
    permission_required = "identity.view_apiendpoint"
    model, filterset_class, template_name = ApiEndpoint, ApiEndpointFilterSet, "identity/api_list.html"


class _EditView(ServiceFormView):
    model = None
    list_url = ""

    def get_object(self):
        return get_object_or_404(self.model, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_form_kwargs(self):
        return {"instance": self.object}

    def perform(self, form):
        return self.call(form)

    def call(self, form):
        raise NotImplementedError

    def get_success_url(self, result):
        return reverse(self.list_url)


class BusinessControlEditView(_EditView):
    permission_required = "identity.change_businesscontrol"
    form_class, model, list_url = BusinessControlForm, BusinessControl, "identity:control-list"
    title = gettext_lazy("业务控制")
    success_message = gettext_lazy("已保存。")

    def call(self, form):
        return services.business_control_save(control=self.object, data=form.cleaned_data, actor=self.request.user)


class ApiEndpointEditView(_EditView):
    permission_required = "identity.change_apiendpoint"
    form_class, model, list_url = ApiEndpointForm, ApiEndpoint, "identity:api-list"
    title = gettext_lazy("接口信息")
    success_message = gettext_lazy("已保存。")

    def call(self, form):
        return services.api_endpoint_save(endpoint=self.object, data=form.cleaned_data, actor=self.request.user)


class BusinessControlActionView(StaffPermissionMixin, View):
    permission_required = "identity.change_businesscontrol"

    def post(self, request, pk, action):
        control = get_object_or_404(BusinessControl, pk=pk)
        try:
            if action == "delete":
                services.business_control_delete(control=control, actor=request.user)
            elif action in ("enable", "disable"):
                services.business_control_save(control=control, data={"is_enabled": action == "enable"},
                                               actor=request.user)
            messages.success(request, _("已保存。"))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, str(exc))
        return redirect("identity:control-list")


class ApiEndpointDeleteView(StaffPermissionMixin, View):
    permission_required = "identity.change_apiendpoint"

    def post(self, request, pk):
        services.api_endpoint_delete(endpoint=get_object_or_404(ApiEndpoint, pk=pk), actor=request.user)
        messages.success(request, _("已删除接口。"))
        return redirect("identity:api-list")


class ApiGrantView(StaffPermissionMixin, View):
    """Grants of one application: the authorised APIs, grant another, revoke one."""

    permission_required = "identity.view_apiendpoint"

    def get(self, request):
        client = ClientSystem.objects.filter(pk=request.GET.get("client") or 0).first()
        grants = (ApiGrant.objects.filter(client=client, revoked_at__isnull=True).select_related("endpoint")
                  if client else ApiGrant.objects.none())
        granted = {g.endpoint_id for g in grants}
        return render(request, "identity/api_grants.html", {
            "clients": ClientSystem.objects.order_by("kind", "code").only("pk", "name", "code"), "client": client,
            "grants": grants, "available": ApiEndpoint.objects.exclude(pk__in=granted) if client else []})

    def post(self, request):
        if not request.user.has_perm(services.API_PERMISSION):
            raise PermissionDenied
        client = get_object_or_404(ClientSystem, pk=request.POST.get("client") or 0)
        try:
            if request.POST.get("revoke"):
                services.api_revoke(grant=get_object_or_404(ApiGrant, pk=request.POST["revoke"], client=client),
                                    actor=request.user)
                messages.success(request, _("已撤销接口授权。"))
            else:
                endpoint = get_object_or_404(ApiEndpoint, pk=request.POST.get("endpoint") or 0)
                services.api_grant(client=client, endpoint=endpoint, actor=request.user)
                messages.success(request, _("已授权。"))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect(f"{reverse('identity:api-grants')}?client={client.pk}")


urlpatterns = [
    path("business-controls/", BusinessControlListView.as_view(), name="control-list"),
    path("business-controls/new/", BusinessControlEditView.as_view(), name="control-create"),
    path("business-controls/<int:pk>/edit/", BusinessControlEditView.as_view(), name="control-edit"),
    path("business-controls/<int:pk>/<str:action>/", BusinessControlActionView.as_view(), name="control-action"),
    path("apis/", ApiEndpointListView.as_view(), name="api-list"),
    path("apis/new/", ApiEndpointEditView.as_view(), name="api-create"),
    path("apis/<int:pk>/edit/", ApiEndpointEditView.as_view(), name="api-edit"),
    path("apis/<int:pk>/delete/", ApiEndpointDeleteView.as_view(), name="api-delete"),
    path("apis/grants/", ApiGrantView.as_view(), name="api-grants"),
]
