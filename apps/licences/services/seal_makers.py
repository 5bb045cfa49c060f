"""Seal issuing units (LIC-7.2), seal-making unit synchronisation with the provincial e-seal platform
(LIC-7.3) and production by an external registered seal-making system (LIC-7.5, 8.2).

Production by an external maker: the approved application goes to the maker's endpoint over HTTP
(outside any row lock); the SESeal that comes back is accepted only when its maker signature verifies
with the registered maker certificate (which chains to a root registered here) and every field matches
the approved application (code, name, type, picture, size, signer certificates, validity). Only then is
the seal moved to "valid", under a row lock that re-checks the state — nothing is written otherwise.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import PeerPermanentError, PeerTemporaryError

from ..crypto.seal import parse_seal
from ..models import CertificateKind, KeyStorage, Seal, SealIssuer, SealMaker, SealStatus, SigningCertificate
from ..peers.seal_platform import HttpSealMakingSystem, SealMakingSystem
from .kernel import audit_record, require_in_scope, require_permission


# -- issuing units (制发单位管理, LIC-7.2) -------------------------------------------------------------

@transaction.atomic
def seal_issuer_save(*, actor, organisation, is_enabled: bool = True) -> SealIssuer:
    """Register an organisation as a seal issuing unit, or enable / disable it."""
    require_permission(actor, "licences.add_sealissuer")
    require_in_scope(actor, organisation)
    if not organisation.is_enabled:
        raise ValidationError({"organisation": _("该机构已停用，不能作为制发单位。")})
    issuer, created = SealIssuer.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"is_enabled": is_enabled})
    if not created and issuer.is_enabled != is_enabled:
        before = issuer.is_enabled
        issuer.is_enabled = is_enabled
        issuer.save(update_fields=["is_enabled"])
        audit_record(actor=actor, action="update", obj=issuer, changes={"is_enabled": [before, is_enabled]})
    elif created:
        audit_record(actor=actor, action="create", obj=issuer, changes={"organisation": [None, organisation.name]})
    return issuer


# -- synchronisation (制章单位同步, LIC-7.3) -------------------------------------------------------------

@dataclass
class SyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _maker_certificate(actor, der: bytes, organisation) -> SigningCertificate:
    from .pki import certificate_import

    existing = next((c for c in SigningCertificate.objects.filter(kind=CertificateKind.MAKER,
                                                                  organisation=organisation)
                     if c.der_bytes == der), None)
    if existing:
        return existing
    return certificate_import(actor=actor, data=der, kind=CertificateKind.MAKER, organisation=organisation,
                              storage=KeyStorage.EXTERNAL)


def seal_makers_sync(*, actor, system: SealMakingSystem | None = None) -> SyncResult:
    """Pull the seal-making units from the provincial platform and upsert them by code. New units start
    unregistered (an administrator registers them, LIC-8.2); units the platform no longer lists are
    unregistered. A unit whose certificate does not chain to a registered root is reported, not stored."""
    from apps.core.models import Organisation

    require_permission(actor, "licences.change_sealmaker")
    system = system or HttpSealMakingSystem()
    try:
        units = system.fetch_units()
    except (PeerTemporaryError, PeerPermanentError, ValueError) as exc:
        raise ValidationError(_("省电子印章平台暂时无法访问：%(e)s") % {"e": exc}) from exc
    result, seen = SyncResult(), set()
    now = timezone.now()
    for unit in units:
        code = str(unit.get("code", "")).strip()[:32]
        organisation = Organisation.objects.filter(credit_code=unit.get("credit_code", "")).first()
        if not code or organisation is None:
            result.errors.append(_("制章单位 %(c)s：统一社会信用代码在本平台没有对应机构。") % {"c": code or "?"})
            continue
        try:
            with transaction.atomic():
                certificate = _maker_certificate(actor, base64.b64decode(unit.get("certificate", "")), organisation)
                maker, created = SealMaker.objects.select_for_update().get_or_create(
                    code=code, defaults={"name": unit.get("name", code)[:128], "organisation": organisation,
                                         "certificate": certificate})
                maker.name, maker.organisation, maker.certificate = unit.get("name", code)[:128], organisation, certificate
                maker.endpoint, maker.synced_at = str(unit.get("endpoint", ""))[:200], now
                maker.save()
                audit_record(actor=actor, action="create" if created else "update", obj=maker,
                             changes={"endpoint": [None, maker.endpoint]}, detail="sync")
        except (ValidationError, ValueError) as exc:
            message = "；".join(getattr(exc, "messages", [str(exc)]))
            result.errors.append(_("制章单位 %(c)s：%(e)s") % {"c": code, "e": message})
            continue
        seen.add(code)
        (result.created if created else result.updated).append(code)
    with transaction.atomic():
        for maker in SealMaker.objects.select_for_update().filter(synced_at__isnull=False, is_registered=True) \
                .exclude(code__in=seen):
            maker.is_registered, maker.registered_at = False, None
            maker.save(update_fields=["is_registered", "registered_at"])
            audit_record(actor=actor, action="update", obj=maker, changes={"is_registered": [True, False]},
                         detail="withdrawn by provincial platform")
            result.withdrawn.append(maker.code)
    return result


# -- production by an external maker (印章制作, LIC-7.5) --------------------------------------------------

def application_payload(seal: Seal, *, start: dt.datetime) -> dict:
    return {
        "es_id": seal.es_id, "name": seal.name, "seal_type": seal.seal_type, "production_mode": seal.production_mode,
        "picture": base64.b64encode(bytes(seal.impression)).decode(), "picture_type": "PNG",
        "width_mm": seal.width_mm, "height_mm": seal.height_mm,
        "signer_certs": [base64.b64encode(c.der_bytes).decode() for c in seal.certificates.order_by("pk")],
        "valid_start": start.replace(microsecond=0).isoformat(), "valid_end": seal.valid_until.isoformat(),
        "organisation": seal.organisation.credit_code,
    }


def check_produced(seal: Seal, maker: SealMaker, der: bytes):
    """The maker's SESeal must carry exactly the approved application and verify with its certificate."""
    try:
        parsed = parse_seal(der)
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError(_("制章系统返回的数据不是有效的 SESeal 结构。")) from exc
    problems = []
    if parsed.version != 4:
        problems.append(_("版本不是 GB/T 38540"))
    if parsed.maker_cert != maker.certificate.der_bytes:
        problems.append(_("制章人证书不是登记的证书"))
    elif not parsed.maker_signature_valid():
        problems.append(_("制章人签名验证失败"))
    expected = {"es_id": seal.es_id, "name": seal.name, "seal_type": seal.seal_type, "picture": bytes(seal.impression),
                "width_mm": seal.width_mm, "height_mm": seal.height_mm,
                "signer_certs": [c.der_bytes for c in seal.certificates.order_by("pk")]}
    problems += [_("%(f)s 与申请不符") % {"f": name} for name, value in expected.items()
                 if getattr(parsed, name) != value]
    if parsed.valid_end != seal.valid_until.replace(microsecond=0):
        problems.append(_("有效期与申请不符"))
    if problems:
        raise ValidationError(_("制章系统返回的印章不能接受：%(p)s。") % {"p": "，".join(problems)})
    return parsed


def produce_remote(*, actor, seal: Seal, maker: SealMaker, system: SealMakingSystem | None = None) -> Seal:
    """Ask the registered external maker to produce the approved seal, check what it returns, then store it."""
    from .pki import certificate_usable
    from .seals import _move, _registered

    require_permission(actor, "licences.produce_seal")
    require_in_scope(actor, seal)
    maker = SealMaker.objects.select_related("certificate").get(pk=maker.pk)
    _registered(maker)
    certificate_usable(maker.certificate)
    if seal.status != SealStatus.IMPRESSION_APPROVED:
        raise ValidationError(_("印模审批通过后才能制作印章。"))
    start = timezone.now().replace(microsecond=0)
    system = system or HttpSealMakingSystem()
    try:
        der = system.produce(maker.endpoint, application_payload(seal, start=start),
                             idempotency_key=f"seal:{seal.es_id}:v{seal.version + 1}")
    except (PeerTemporaryError, PeerPermanentError, ValueError, KeyError) as exc:
        raise ValidationError(_("制章系统“%(m)s”制作失败：%(e)s") % {"m": maker.name, "e": exc}) from exc
    parsed = check_produced(seal, maker, der)
    with transaction.atomic():
        locked = Seal.objects.select_for_update().get(pk=seal.pk)
        if locked.version != seal.version:
            raise ValidationError(_("印章已被他人处理，请刷新后重试。"))
        return _move(locked, actor=actor, to=SealStatus.VALID, action="produce",
                     comment=_("由制章系统“%(m)s”制作") % {"m": maker.name},
                     allowed_from=(SealStatus.IMPRESSION_APPROVED,), seal_der=der, maker=maker,
                     valid_from=parsed.valid_start or start, produced_at=timezone.now(), version=seal.version + 1)

