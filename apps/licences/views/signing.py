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


class DocumentSignView(StaffPermissionMixin, View):
    """文件签章 (LIC-9.2): upload an OFD, choose a seal and certificate, place the seal by page and mm or by
    a signing template's position (LIC-9.7); the signed OFD comes back as a download and is logged."""

    permission_required = "licences.use_seal"

    def _context(self, request):
        from ..models import KeyStorage, SigningCertificate, SigningTemplate

        seals = list(restrict(Seal.objects.filter(status=SealStatus.VALID), request.user).order_by("name"))
        certificates = (SigningCertificate.objects.filter(seals__in=seals, revoked_at__isnull=True,
                                                          storage__in=[KeyStorage.SOFTWARE, KeyStorage.HSM])
                        .defer("private_key").distinct().order_by("subject"))
        templates = restrict(SigningTemplate.objects.filter(is_enabled=True), request.user).order_by("name")
        return {"seals": seals, "certificates": certificates,
                "positions": [(t, key) for t in templates for key in sorted(t.positions or {})]}

    def get(self, request):
        return render(request, "licences/document_sign.html", self._context(request))

    def post(self, request):
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied, ValidationError
        from django.http import HttpResponse

        from ..models import SigningCertificate, SigningTemplate
        from ..ofd.sign import StampPosition
        from ..ratelimit import client_ip
        from ..services.autosign import _position
        from ..services.signing import MAX_DOCUMENT_BYTES, document_sign
        from .management import error_text

        user = request.user
        seal = get_object_or_404(restrict(Seal.objects.all(), user), pk=request.POST.get("seal") or 0)
        certificate = get_object_or_404(SigningCertificate.objects.defer("private_key"),
                                        pk=request.POST.get("certificate") or 0)
        upload = request.FILES.get("document")
        try:
            if upload is None or upload.size > MAX_DOCUMENT_BYTES:
                raise ValidationError(_("请上传不超过 20MB 的 OFD 文件。"))
            template_key = request.POST.get("template_position", "")
            if template_key:
                code, _sep, key = template_key.partition(":")
                template = get_object_or_404(restrict(SigningTemplate.objects.all(), user), code=code)
                position = _position(template, key, seal)
            else:
                try:
                    position = StampPosition(int(request.POST.get("page", "1")) - 1, float(request.POST.get("x", "")),
                                             float(request.POST.get("y", "")), seal.width_mm, seal.height_mm)
                except ValueError as exc:
                    raise ValidationError(_("请填写页码和盖章位置（毫米）。")) from exc
            if position.page_index < 0 or position.x < 0 or position.y < 0:
                raise ValidationError(_("页码从 1 开始，位置不能为负。"))
            signed = document_sign(actor=user, seal=seal, certificate=certificate, data=upload.read(),
                                   position=position, document_name=upload.name, ip_address=client_ip(request),
                                   client="portal")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
            return render(request, "licences/document_sign.html", self._context(request), status=400)
        name = (upload.name.rsplit(".", 1)[0] or "document") + "-signed.ofd"
        response = HttpResponse(signed.data, content_type="application/ofd")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class SealUsageView(StaffPermissionMixin, View):
    """用章监管 (LIC-9.13): a department's supervision account sees its own seals' use in real time."""

    permission_required = "licences.view_signinglog"

    def get(self, request):
        from ..selectors import seal_usage

        recent = (restrict(SigningLog.objects.all(), request.user).select_related("seal", "sealer")
                  .defer("request_message")[:20])
        return render(request, "licences/seal_usage.html", {"seals": seal_usage(request.user), "recent": recent})
