"""Digital-certificate login to the seal system (LIC-7.1; password login is the platform's own).

The server issues a random challenge kept in the session (5 minutes, single use); the holder's UKey
signs it (SM2 with SM3, default ID); the server verifies the signature with a registered certificate
that is bound to the user (``holder``), enabled, not revoked and inside its validity window."""

from __future__ import annotations

import base64
import binascii
import secrets
import time

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record

from ..crypto.certs import public_key_of
from ..crypto.sm import normalise_signature
from ..models import SigningCertificate

SESSION_KEY = "licences_cert_login_challenge"
CHALLENGE_SECONDS = 300


def login_challenge(session) -> str:
    challenge = "HLJ-SEAL-LOGIN:" + secrets.token_hex(24)
    session[SESSION_KEY] = {"value": challenge, "at": time.time()}
    return challenge


def certificate_login(*, session, serial: str, signature_b64: str, request=None):
    """The user the certificate belongs to, or PermissionDenied with the reason; the challenge is used up."""
    stored = session.pop(SESSION_KEY, None)
    if not stored or time.time() - stored["at"] > CHALLENGE_SECONDS:
        raise PermissionDenied(_("登录挑战已失效，请刷新页面重试。"))
    now = timezone.now()
    certificate = (SigningCertificate.objects.select_related("holder")
                   .filter(serial=serial.strip(), holder__isnull=False, revoked_at__isnull=True, is_enabled=True,
                           valid_from__lte=now, valid_until__gte=now).first())
    if certificate is None or not certificate.holder.is_active:
        raise PermissionDenied(_("证书未登记、未绑定用户、已吊销或不在有效期内。"))
    try:
        value, _raw = normalise_signature(base64.b64decode(signature_b64, validate=True))
        valid = public_key_of(certificate.der_bytes).verify(stored["value"].encode(), value)
    except (binascii.Error, ValueError, TypeError):
        valid = False
    if not valid:
        raise PermissionDenied(_("证书签名验证失败。"))
    audit_record(actor=certificate.holder, action="login", obj=certificate, request=request,
                 changes={"method": [None, "certificate"]})
    return certificate.holder
