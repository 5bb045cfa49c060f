"""Public pages (no login): online verification of sealed files (LIC-8.6, 9.3) and seal status (LIC-8.1)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..models import Licence, LicenceStatus, Seal
from ..ratelimit import allow, client_ip
from ..services.signing import MAX_DOCUMENT_BYTES, document_verify


class VerifyForm(forms.Form):
    document = forms.FileField(label=gettext_lazy("签章文件（OFD）"))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("文件超过 20MB。"))
        return upload


@require_http_methods(["GET", "POST"])
def verify(request):
    """Upload an OFD and see each signature's per-step verdict."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        if not allow(request, bucket="verify"):
            form.add_error(None, _("验证过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            report = document_verify(data=form.cleaned_data["document"].read(), ip_address=client_ip(request))
    return render(request, "licences/public/verify.html", {"form": form, "report": report}, status=status)


def seal_status(request, es_id: str):
    """Published status of one seal (电子印章状态发布): minimal fields only."""
    if not allow(request, bucket="seal-status", limit=60):
        return render(request, "licences/public/seal_status.html", {"throttled": True}, status=429)
    seal = Seal.objects.filter(es_id=es_id).select_related("organisation").first()
    if seal is None:
        raise Http404(_("没有这个印章编码。"))
    return render(request, "licences/public/seal_status.html", {"seal": seal})


def licence_verify(request, licence_code: str):
    """Target of the QR code on a licence: the current state of that identifier, minimal fields, no login."""
    if not allow(request, bucket="licence-verify", limit=60):
        return render(request, "licences/public/licence_verify.html", {"throttled": True}, status=429)
    latest = (Licence.objects.filter(licence_code=licence_code).exclude(status=LicenceStatus.DRAFT)
              .select_related("issuer").order_by("-version").first())
    if latest is None:
        raise Http404(_("没有这个证照标识。"))
    current = latest.status == LicenceStatus.VALID and (latest.valid_until is None
                                                         or latest.valid_until >= timezone.localdate())
    return render(request, "licences/public/licence_verify.html", {"licence": latest, "current": current})


@require_http_methods(["GET", "POST"])
def certificate_login(request):
    """数字证书登录 (LIC-7.1): the UKey plug-in signs the challenge shown on the page."""
    from django.contrib.auth import login
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    from ..services.cert_login import certificate_login as verify_login, login_challenge

    error, status = "", 200
    if request.method == "POST":
        if not allow(request, bucket="cert-login", limit=20):
            error, status = _("登录过于频繁，请稍后再试。"), 429
        else:
            try:
                user = verify_login(session=request.session, serial=request.POST.get("serial", ""),
                                    signature_b64=request.POST.get("signature", ""), request=request)
            except PermissionDenied as exc:
                error, status = str(exc), 400
            else:
                login(request, user, backend="apps.identity.backends.RolePermissionBackend")
                return redirect("portal:home")
    return render(request, "licences/public/cert_login.html",
                  {"challenge": login_challenge(request.session), "error": error}, status=status)
