"""Authorised proxy handling pages (MAT-2.1.6 (7)): the agent's /matters/proxy/ page (grants, proxy
items, start) and the department's switch on the implementation item page."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin
from apps.matters import selectors
from apps.matters.models import ProxyAuthorisation
from apps.matters.selectors_proxy import (
    proxy_grants_given, proxy_grants_held, proxy_handlings, proxy_items, proxy_principals,
)
from apps.matters.services import proxy as services


def _messages(request, error) -> None:
    for text in getattr(error, "messages", [str(error)]):
        messages.error(request, text)


def apply_url(handling) -> str:
    """The acceptance application form of the item, carrying the proxy number (the matter guide when
    the acceptance app is not installed)."""
    try:
        base = reverse("acceptance-public:apply", args=[handling.item_id])
    except NoReverseMatch:
        base = reverse("matters-public:guide-detail", args=[handling.item_id])
    return f"{base}?{urlencode({'proxy': handling.number})}"


class ProxyCentreView(LoginRequiredMixin, View):
    """授权代办: request and confirm grants, find proxy items, start one for a principal."""

    def get(self, request):
        q = request.GET.get("q", "")
        page = Paginator(proxy_items(q=q), 20).get_page(request.GET.get("page"))
        user = request.user
        return render(request, "matters/public/proxy.html", {
            "q": q, "page_obj": page, "principals": proxy_principals(agent=user),
            "held": proxy_grants_held(agent=user), "given": proxy_grants_given(principal=user),
            "handlings": proxy_handlings(user=user)})

    def post(self, request):
        action = request.POST.get("action", "")
        try:
            if action == "request":
                services.proxy_grant_request(principal_name=request.POST.get("principal_name", ""),
                                             principal_id_number=request.POST.get("principal_id_number", ""),
                                             actor=request.user)
                messages.success(request, _("验证码已发送到委托人手机，请委托人将验证码告诉您后填写确认。"))
            elif action in ("confirm", "revoke"):
                grant = get_object_or_404(ProxyAuthorisation, pk=_int(request.POST.get("grant")))
                if action == "confirm":
                    services.proxy_grant_confirm(authorisation=grant, code=request.POST.get("code", ""),
                                                 actor=request.user)
                    messages.success(request, _("委托已生效，您可以为委托人代办授权代办事项。"))
                else:
                    services.proxy_grant_revoke(authorisation=grant, actor=request.user)
                    messages.success(request, _("委托已撤销。"))
            elif action == "start":
                item = proxy_items().filter(pk=_int(request.POST.get("item"))).first()
                if item is None:
                    raise ValidationError(_("该事项未开通授权代办。"))
                handling = services.proxy_handling_start(item=item, principal_id=_int(request.POST.get("principal")),
                                                         actor=request.user)
                messages.success(request, _("已发起代办，代办编号 %(n)s，请为委托人填写申报材料。") % {"n": handling.number})
                return redirect(apply_url(handling))
        except (ValidationError, PermissionDenied) as error:
            _messages(request, error)
        return redirect("matters-public:proxy")


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


class ProxyHandlingSetView(StaffPermissionMixin, View):
    """The implementing department's switch: 授权代办事项 on/off with its note."""

    permission_required = "matters.change_implementationitem"

    def post(self, request, pk):
        item = selectors.access_implementation_item(request.user, pk)
        try:
            services.proxy_handling_set(item=item, enabled=request.POST.get("enabled") == "1",
                                        note=request.POST.get("note", ""), actor=request.user)
            messages.success(request, _("授权代办设置已保存。"))
        except (ValidationError, PermissionDenied) as error:
            _messages(request, error)
        return redirect("matters:implementation-detail", pk=item.pk)
