"""Embed clients of the visualisation invocation interface (ANA-0.1): list, register (the key is shown
once), enable/disable, reset key."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.analytics import selectors
from apps.analytics.charts import CHARTS
from apps.analytics.forms import EmbedClientForm
from apps.analytics.services.embed import (embed_client_register, embed_client_rotate_key,
                                           embed_client_set_enabled)
from apps.core.views.mixins import StaffPermissionMixin


class ClientListView(StaffPermissionMixin, View):
    permission_required = "analytics.view_embedclient"

    def get(self, request):
        return render(request, "analytics/clients.html", {
            "clients": selectors.embed_client_list(user=request.user),
            "can_add": request.user.has_perm("analytics.add_embedclient")})


class ClientCreateView(StaffPermissionMixin, View):
    permission_required = "analytics.add_embedclient"

    def form(self, data=None):
        return EmbedClientForm(data, home=selectors.user_home_region(self.request.user))

    def get(self, request):
        return render(request, "analytics/client_form.html", {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                client, key = embed_client_register(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return render(request, "analytics/client_detail.html", {
                    "client": client, "new_key": key, "charts": [CHARTS[c] for c in client.allowed_charts],
                    "can_change": True})
        return render(request, "analytics/client_form.html", {"form": form}, status=400)


class ClientDetailView(StaffPermissionMixin, View):
    permission_required = "analytics.view_embedclient"

    def get(self, request, pk: int):
        client = get_object_or_404(selectors.embed_client_list(user=request.user), pk=pk)
        return render(request, "analytics/client_detail.html", {
            "client": client, "charts": [CHARTS[c] for c in client.allowed_charts if c in CHARTS],
            "can_change": request.user.has_perm("analytics.change_embedclient")})


class ClientActionView(StaffPermissionMixin, View):
    permission_required = "analytics.change_embedclient"

    def post(self, request, pk: int, action: str):
        client = get_object_or_404(selectors.embed_client_list(user=request.user), pk=pk)
        if action == "rotate":
            key = embed_client_rotate_key(actor=request.user, client=client)
            return render(request, "analytics/client_detail.html", {
                "client": client, "new_key": key, "charts": [CHARTS[c] for c in client.allowed_charts if c in CHARTS],
                "can_change": True})
        embed_client_set_enabled(actor=request.user, client=client, enabled=(action == "enable"))
        messages.success(request, _("已启用。") if action == "enable" else _("已停用。"))
        return redirect("analytics:client-detail", pk=client.pk)
