"""IP address planning pages (OPS-10.5, 10.6): subnets by area and group, the address grid of a subnet,
and reserving / allocating an address from the grid."""
from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.core.forms import add_service_errors
from apps.core.views.mixins import StaffPermissionMixin
from apps.ops.models import AddressKind, AddressStatus, IpAddress, Subnet
from apps.ops.services import ipam as services

VIEW, MANAGE = "ops.view_ipam", "ops.manage_ipam"


class SubnetForm(forms.Form):
    network = forms.CharField(label=gettext_lazy("网段（CIDR）"), max_length=64)
    area = forms.CharField(label=gettext_lazy("区域"), max_length=64)
    group = forms.CharField(label=gettext_lazy("分组"), max_length=64, required=False)
    vlan = forms.IntegerField(label="VLAN", required=False, min_value=1, max_value=4094)
    description = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)


class AddressForm(forms.Form):
    address = forms.CharField(label=gettext_lazy("IP地址"), max_length=64)
    status = forms.ChoiceField(label=gettext_lazy("使用状态"), choices=AddressStatus.choices)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=AddressKind.choices)
    holder = forms.CharField(label=gettext_lazy("使用方"), max_length=100, required=False)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


class SubnetListView(StaffPermissionMixin, View):
    permission_required = VIEW
    template_name = "ops/ipam/subnets.html"

    def _render(self, request, form, status=200):
        subnets = Subnet.objects.annotate(
            reserved=Count("addresses", filter=Q(addresses__status=AddressStatus.RESERVED)),
            allocated=Count("addresses", filter=Q(addresses__status=AddressStatus.ALLOCATED)))
        tree = defaultdict(lambda: defaultdict(list))
        for subnet in subnets:
            tree[subnet.area][subnet.group or _("未分组")].append(subnet)
        areas = [(area, list(groups.items())) for area, groups in sorted(tree.items())]
        return render(request, self.template_name, {"title": _("IP地址规划"), "areas": areas, "form": form},
                      status=status)

    def get(self, request):
        return self._render(request, SubnetForm())

    def post(self, request):
        if not request.user.has_perm(MANAGE):
            return self.handle_no_permission()
        form = SubnetForm(request.POST)
        if form.is_valid():
            try:
                subnet = services.subnet_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("网段 %(n)s 已添加。") % {"n": subnet.network})
                return redirect(subnet.get_absolute_url())
        return self._render(request, form, status=400)


class SubnetDetailView(StaffPermissionMixin, View):
    permission_required = VIEW
    template_name = "ops/ipam/subnet.html"

    def _render(self, request, subnet, form, status=200):
        try:
            block = max(0, int(request.GET.get("block", 0)))
            grid = services.subnet_grid(subnet, block=block)
        except (ValueError, ValidationError):
            grid = services.subnet_grid(subnet, block=0)
        return render(request, self.template_name, {"title": subnet.network, "subnet": subnet, "grid": grid,
                                                    "form": form}, status=status)

    def get(self, request, pk):
        subnet = get_object_or_404(Subnet, pk=pk)
        return self._render(request, subnet, AddressForm(initial={"address": request.GET.get("ip", "")}))

    def post(self, request, pk):
        if not request.user.has_perm(MANAGE):
            return self.handle_no_permission()
        subnet = get_object_or_404(Subnet, pk=pk)
        if "release" in request.POST:
            row = get_object_or_404(IpAddress, subnet=subnet, address=request.POST["release"])
            services.address_release(address=row, by=request.user)
            messages.success(request, _("%(ip)s 已释放。") % {"ip": row.address})
            return redirect(subnet.get_absolute_url())
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                row = services.address_set(subnet=subnet, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(ip)s：%(s)s（%(k)s）") % {
                    "ip": row.address, "s": row.get_status_display(), "k": row.get_kind_display()})
                return redirect(subnet.get_absolute_url())
        return self._render(request, subnet, form, status=400)
