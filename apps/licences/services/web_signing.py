"""Web-page signing (网页签章, LIC-9.6): a form's data is signed with a seal through the holder's UKey.

The signed data is the canonical JSON of the form (keys sorted, no spaces, UTF-8); the SES_Signature v4
carries SM3 of it as dataHash and ``web-form:<form name, percent-encoded>`` as propertyInfo. The page keeps the signature
(Base64 DER) with its record; ``web_verify`` checks it later against the data shown:
data digest, signer's signature, seal maker's signature, signer certificate in the seal's list, signing
time inside the seal's validity, and the seal's status in our register."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.crypto import sm3_hex

from ..crypto.seal import parse_signature, tbs_sign_v4
from ..crypto.sm import sm3
from ..models import ClientSigningRequest, Seal, SigningCertificate
from .signing import _authorised, seal_status_lookup, seal_usable

MAX_FORM_BYTES = 256 * 1024
PREFIX = "web-form:"


def canonical(data: dict) -> bytes:
    if not isinstance(data, dict) or not data:
        raise ValidationError(_("表单数据应为非空对象。"))
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    if len(body) > MAX_FORM_BYTES:
        raise ValidationError(_("表单数据超过 256KB。"))
    return body


def web_tbs(seal: Seal, body: bytes, document_name: str, when: dt.datetime) -> bytes:
    return tbs_sign_v4(seal_der=bytes(seal.seal_der), data_hash=sm3(body), property_info=document_name, when=when)


def web_sign_prepare(*, actor, seal: Seal, certificate: SigningCertificate, form_name: str,
                     data: dict) -> tuple[ClientSigningRequest, bytes]:
    """Open a UKey request over a form's data; complete it with ``client_sign_complete``."""
    from .client_signing import _check_ukey

    _authorised(actor, seal)
    seal = Seal.objects.get(pk=seal.pk)
    certificate = SigningCertificate.objects.get(pk=certificate.pk)
    seal_usable(seal)
    _check_ukey(actor, seal, certificate)
    name = (form_name or "").strip()
    # propertyInfo is an IA5String: the name is percent-encoded (UTF-8)
    document_name = PREFIX + quote(name, safe="")
    if not name or len(document_name) > 200:
        raise ValidationError(_("请填写表单名称（不超过 20 个汉字）。"))
    body = canonical(data)
    when = timezone.now().replace(microsecond=0)
    tbs = web_tbs(seal, body, document_name, when)
    request = ClientSigningRequest.objects.create(
        seal=seal, certificate=certificate, requested_by=actor, document=body, document_name=document_name,
        position=[], signed_when=when, tbs_sm3=sm3_hex(tbs))
    return request, tbs


def web_verify(*, data: dict, signature: bytes) -> dict:
    """Per-step verdict of a web-form signature: {"verdict": valid|fail, "steps": [(key, ok, detail)…]}."""
    steps = []
    try:
        parsed = parse_signature(signature)
    except (ValueError, TypeError, KeyError):
        return {"verdict": "fail", "steps": [("structure", False, _("不是有效的 SES_Signature 结构"))]}
    steps.append(("structure", True, f"v{parsed.version}"))
    try:
        body_ok = parsed.data_hash == sm3(canonical(data)) and parsed.property_info.startswith(PREFIX)
    except ValidationError:
        body_ok = False
    steps.append(("data_digest", body_ok, _("表单数据与签章时一致") if body_ok else _("表单数据已被修改")))
    steps.append(("signer_signature", parsed.signature_valid(), parsed.algorithm))
    steps.append(("seal_signature", parsed.seal.maker_signature_valid(), parsed.seal.es_id))
    in_list = parsed.signer_cert in parsed.seal.signer_certs
    steps.append(("certificate_in_seal", in_list, ""))
    seal = parsed.seal
    in_window = bool(parsed.time_info and seal.valid_start and seal.valid_end
                     and seal.valid_start <= parsed.time_info <= seal.valid_end)
    steps.append(("seal_validity", in_window, f"{seal.valid_start} — {seal.valid_end}"))
    status = seal_status_lookup(seal.es_id)
    if status is not None:
        steps.append(("seal_status", status[0] == "valid", status[1]))
    return {"verdict": "valid" if all(ok for _k, ok, _d in steps) else "fail",
            "steps": [{"key": k, "ok": ok, "detail": str(d)} for k, ok, d in steps]}
