"""Seal application page (印章申请, LIC-7.4): a unit applies online; the impression then waits for
approval on the seal's page (LIC-7.7)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin

from ..models import CertificateKind, ProductionMode, SealIssuer, SigningCertificate
from ..services.seals import seal_request
from .management import error_text


class SealApplyView(StaffPermissionMixin, View):
    permission_required = "licences.add_seal"

    def _render(self, request, status=200):
        return render(request, "licences/seal_apply.html", {
            "organisations": restrict(Organisation.objects.all(), request.user).order_by("name")[:500],
            "issuers": SealIssuer.objects.filter(is_enabled=True).select_related("organisation"),
            "certificates": SigningCertificate.objects.filter(kind=CertificateKind.SIGNER, is_enabled=True),
            "modes": ProductionMode.choices, "data": request.POST}, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        post, upload = request.POST, request.FILES.get("impression")
        try:
            organisation = restrict(Organisation.objects.all(), request.user).filter(
                pk=post.get("organisation") or 0).first()
            issuer = SealIssuer.objects.filter(pk=post.get("issuer") or 0).first()
            if organisation is None or issuer is None or upload is None:
                raise ValidationError(_("请选择用章单位、制发单位并上传印模。"))
            try:
                until = timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(post.get("valid_until", "")),
                                                                dt.time(23, 59, 59)))
            except ValueError as exc:
                raise ValidationError({"valid_until": _("请填写有效期截止日期。")}) from exc
            seal = seal_request(
                actor=request.user, organisation=organisation, issuer=issuer, name=post.get("name", ""),
                impression=upload.read(), valid_until=until, production_mode=post.get("production_mode") or
                ProductionMode.CENTRALISED,
                certificates=SigningCertificate.objects.filter(pk__in=post.getlist("certificates")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
            return self._render(request, status=400)
        messages.success(request, _("印章申请已提交，等待印模审批。"))
        return redirect(seal.get_absolute_url())
