"""My delivery addresses on the website (IDN-14.2) — the same address book as the app's API."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.identity.forms import ServiceForm
from apps.identity.models import DeliveryAddress
from apps.identity.services import addresses as services
from apps.identity.services.registration import home_region_choices


class AddressForm(ServiceForm):
    recipient = forms.CharField(label=gettext_lazy("收件人"), max_length=64)
    mobile_number = forms.CharField(label=gettext_lazy("联系电话"), max_length=11)
    region = forms.ChoiceField(label=gettext_lazy("所在区划"))
    detail = forms.CharField(label=gettext_lazy("详细地址"), max_length=200)
    postcode = forms.CharField(label=gettext_lazy("邮政编码"), max_length=6, required=False)
    is_default = forms.BooleanField(label=gettext_lazy("设为默认地址"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in home_region_choices().order_by("code")]


class AddressListView(LoginRequiredMixin, View):
    def render_page(self, request, form):
        rows = DeliveryAddress.objects.filter(user=request.user).select_related("region")
        return render(request, "identity/addresses.html", {"addresses": rows, "form": form})

    def get(self, request):
        return self.render_page(request, AddressForm())

    def post(self, request):
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                services.address_create(user=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("收货地址已保存。"))
                return redirect("sso:addresses")
        return self.render_page(request, form)


class AddressActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        address = get_object_or_404(DeliveryAddress, pk=pk, user=request.user)
        if action == "delete":
            services.address_delete(address=address, actor=request.user)
            messages.success(request, _("收货地址已删除。"))
        elif action in ("default", "undefault"):
            services.address_set_default(address=address, is_default=action == "default", actor=request.user)
        else:
            raise Http404
        return redirect("sso:addresses")


urlpatterns = [
    path("account/addresses/", AddressListView.as_view(), name="addresses"),
    path("account/addresses/<int:pk>/<str:action>/", AddressActionView.as_view(), name="address-action"),
]
