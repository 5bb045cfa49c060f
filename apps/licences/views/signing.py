"""Portal pages of seal use: authorisations by user or role (LIC-9.14), signing rules (LIC-9.8) and the
signing log (LIC-9.10)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.identity.models import Role, User

from ..models import Seal, SealGrant, SealStatus, SigningLog, SigningRule
from ..services import grants
from .management import run_action


class SealGrantView(StaffPermissionMixin, View):
    permission_required = "licences.view_sealgrant"

    def get(self, request):
        seals = restrict(Seal.objects.exclude(status__in=[SealStatus.REQUESTED, SealStatus.REJECTED]),
                         request.user).select_related("organisation").order_by("name")
        grant_rows = restrict(SealGrant.objects.all(), request.user).select_related("seal", "user", "role")
        return render(request, "licences/seal_grants.html", {
            "seals": seals, "grants": grant_rows, "roles": Role.objects.order_by("name"),
            "users": restrict(User.objects.filter(kind="staff"), request.user).order_by("username")[:500]})

    def post(self, request):
        user = request.user
        if request.POST.get("action") == "revoke":
            grant = get_object_or_404(restrict(SealGrant.objects.all(), user), pk=request.POST.get("grant") or 0)
            run_action(request, lambda: grants.seal_grant_revoke(actor=user, grant=grant), _("已撤销授权。"))
            return redirect("licences:seal-grants")
        seal = get_object_or_404(restrict(Seal.objects.all(), user), pk=request.POST.get("seal") or 0)
        grantee = User.objects.filter(pk=request.POST.get("user") or 0).first()
        role = Role.objects.filter(pk=request.POST.get("role") or 0).first()
        run_action(request, lambda: grants.seal_grant(actor=user, seal=seal, user=grantee, role=role), _("已授权。"))
        return redirect("licences:seal-grants")


class SigningRuleListView(ScopedListView):
    model = SigningRule
    permission_required = "licences.view_signingrule"
    title = _("签章规则")
    filterset_fields = ["business_code"]
    columns = [ExportColumn("业务系统", "system.name"), ExportColumn("业务编码", "business_code"),
               ExportColumn("签章模板", "template.name"), ExportColumn("盖章位置", "position"),
               ExportColumn("印章", "seal.name"), ExportColumn("代表盖章人", "signer.username")]

    def get_queryset(self):
        return super().get_queryset().select_related("system", "template", "seal", "signer")


class SigningLogListView(ScopedListView):
    """签章日志: sealer, time, IP, seal, request message."""

    model = SigningLog
    permission_required = "licences.view_signinglog"
    title = _("签章日志")
    filterset_fields = ["client", "ip_address"]
    columns = [ExportColumn("盖章人", lambda log: log.sealer.username if log.sealer else ""),
               ExportColumn("业务系统", "client"),
               ExportColumn("盖章时间", lambda log: log.signed_at.strftime("%Y-%m-%d %H:%M:%S")),
               ExportColumn("盖章 IP", "ip_address"), ExportColumn("印章", "seal.name"),
               ExportColumn("文件名", "document_name"), ExportColumn("请求报文", "request_message")]

    def get_queryset(self):
        return super().get_queryset().select_related("seal", "sealer")
