"""Seal lifecycle (LIC-7.4–7.8, LIC-8.2–8.7): request → impression approval → production → valid,
then freeze/unfreeze, report lost, revoke, cancel, renew, change. Every change is a recorded
transition plus an audit record; production and renewal rebuild the SESeal signed by the
registered maker's key (key store)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ..crypto.keystore import signer_for
from ..crypto.seal import make_seal_v4
from ..models import CertificateKind, Seal, SealIssuer, SealMaker, SealStatus
from .kernel import audit_record, record_transition, require_in_scope, require_permission

MAX_IMPRESSION_BYTES = 512 * 1024


def _check_impression(data: bytes) -> None:
    if not data or len(data) > MAX_IMPRESSION_BYTES:
        raise ValidationError({"impression": _("请上传不超过 512KB 的 PNG 印模。")})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValidationError({"impression": _("印模必须是 PNG 图片。")})
    except UnidentifiedImageError as exc:
        raise ValidationError({"impression": _("印模文件无法识别为图片。")}) from exc


def _next_es_id(issuer: SealIssuer) -> str:
    """Region code (6 digits) + 8-digit sequence per region; serialised on the issuer row."""
    SealIssuer.objects.select_for_update().get(pk=issuer.pk)
    prefix = issuer.organisation.region_id[:6]
    last = (Seal.objects.filter(es_id__startswith=prefix).order_by("-es_id").values_list("es_id", flat=True).first())
    return f"{prefix}{(int(last[6:]) + 1 if last else 1):08d}"


@transaction.atomic
def seal_request(*, actor, organisation, issuer: SealIssuer, name: str, impression: bytes, certificates,
                 valid_until: dt.datetime, seal_type: int = 1, width_mm: int = 40, height_mm: int = 40,
                 production_mode: str = "centralised") -> Seal:
    """A unit applies for a seal (申领, LIC-7.4)."""
    require_permission(actor, "licences.add_seal")
    require_in_scope(actor, organisation)
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写印章名称。")
    if not issuer.is_enabled:
        errors["issuer"] = _("制发单位已停用。")
    if valid_until <= timezone.now():
        errors["valid_until"] = _("有效期截止时间必须晚于当前时间。")
    if not (10 <= width_mm <= 80 and 10 <= height_mm <= 80):
        errors["width_mm"] = _("印章尺寸应在 10–80 毫米之间。")
    certificates = list(certificates)
    if not certificates or any(c.kind != CertificateKind.SIGNER for c in certificates):
        errors["certificates"] = _("请选择至少一张签章人证书。")
    if errors:
        raise ValidationError(errors)
    _check_impression(impression)
    seal = Seal.objects.create(
        es_id=_next_es_id(issuer), name=name.strip(), seal_type=seal_type, organisation=organisation, issuer=issuer,
        production_mode=production_mode, impression=impression, width_mm=width_mm, height_mm=height_mm,
        valid_until=valid_until, requested_by=actor,
    )
    seal.certificates.set(certificates)
    record_transition(obj=seal, from_state="", to_state=SealStatus.REQUESTED, actor=actor, action="request")
    audit_record(actor=actor, action="create", obj=seal, changes={"name": [None, seal.name]})
    return seal


def _locked(seal: Seal) -> Seal:
    return Seal.objects.select_for_update().get(pk=seal.pk)


def _move(seal: Seal, *, actor, to: str, action: str, comment: str = "", allowed_from: tuple, **changes) -> Seal:
    if seal.status not in allowed_from:
        raise ValidationError(_("印章当前状态为“%(s)s”，不能执行此操作。") % {"s": seal.get_status_display()})
    before = seal.status
    seal.status = to
    seal.status_comment = comment[:255]
    for field, value in changes.items():
        setattr(seal, field, value)
    seal.save()
    record_transition(obj=seal, from_state=before, to_state=to, actor=actor, action=action, comment=comment)
    audit_record(actor=actor, action="update", obj=seal, changes={"status": [before, to]}, detail=action)
    return seal


@transaction.atomic
def seal_review_impression(*, actor, seal: Seal, approve: bool, comment: str = "") -> Seal:
    """Approve or reject the requested impression (印模审批, LIC-7.7)."""
    require_permission(actor, "licences.approve_seal")
    seal = _locked(seal)
    require_in_scope(actor, seal)
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("驳回时请填写原因。")})
    return _move(seal, actor=actor, to=SealStatus.IMPRESSION_APPROVED if approve else SealStatus.REJECTED,
                 action="approve_impression" if approve else "reject_impression", comment=comment,
                 allowed_from=(SealStatus.REQUESTED,))


def _build_der(seal: Seal, maker: SealMaker, *, start: dt.datetime) -> bytes:
    return make_seal_v4(
        es_id=seal.es_id, name=seal.name, seal_type=seal.seal_type,
        signer_certs=[c.der_bytes for c in seal.certificates.order_by("pk")], picture=bytes(seal.impression),
        picture_type="PNG", width_mm=seal.width_mm, height_mm=seal.height_mm, valid_start=start,
        valid_end=seal.valid_until, maker_cert=maker.certificate.der_bytes, maker_key=signer_for(maker.certificate),
    )


def _registered(maker: SealMaker) -> SealMaker:
    if not maker.is_registered:
        raise PermissionDenied(_("制章系统“%(m)s”未注册，不能接入制章。") % {"m": maker.name})
    return maker


def seal_produce(*, actor, seal: Seal, maker: SealMaker, system=None) -> Seal:
    """Produce the seal (印章制作, LIC-7.5): the registered maker signs the SESeal; the seal becomes valid.
    A maker with an endpoint is an external seal-making system (provincial or national) reached over
    HTTP (``seal_makers.produce_remote``); otherwise the platform's own maker key in the key store signs."""
    if maker.endpoint:
        from .seal_makers import produce_remote

        return produce_remote(actor=actor, seal=seal, maker=maker, system=system)
    return _produce_local(actor=actor, seal=seal, maker=maker)


@transaction.atomic
def _produce_local(*, actor, seal: Seal, maker: SealMaker) -> Seal:
    from .pki import certificate_usable

    require_permission(actor, "licences.produce_seal")
    seal = _locked(seal)
    require_in_scope(actor, seal)
    _registered(maker)
    certificate_usable(maker.certificate)
    if seal.status != SealStatus.IMPRESSION_APPROVED:
        raise ValidationError(_("印模审批通过后才能制作印章。"))
    now = timezone.now()
    der = _build_der(seal, maker, start=now)
    return _move(seal, actor=actor, to=SealStatus.VALID, action="produce", allowed_from=(SealStatus.IMPRESSION_APPROVED,),
                 seal_der=der, maker=maker, valid_from=now, produced_at=now, version=seal.version + 1)


SIMPLE_TRANSITIONS = {
    # action: (target, allowed sources, comment required)
    "freeze": (SealStatus.FROZEN, (SealStatus.VALID,), True),
    "unfreeze": (SealStatus.VALID, (SealStatus.FROZEN,), False),
    "report_lost": (SealStatus.REPORTED_LOST, (SealStatus.VALID, SealStatus.FROZEN), True),
    "revoke": (SealStatus.REVOKED, (SealStatus.VALID, SealStatus.FROZEN, SealStatus.REPORTED_LOST), True),
    "cancel": (SealStatus.CANCELLED, (SealStatus.VALID, SealStatus.FROZEN, SealStatus.REPORTED_LOST,
                                      SealStatus.EXPIRED), True),
}


@transaction.atomic
def seal_transition(*, actor, seal: Seal, action: str, comment: str = "") -> Seal:
    """Freeze, unfreeze, report lost, revoke or cancel a seal (LIC-7.6, 8.3, 8.4)."""
    if action not in SIMPLE_TRANSITIONS:
        raise ValidationError(_("未知的印章操作。"))
    require_permission(actor, "licences.manage_seal")
    seal = _locked(seal)
    require_in_scope(actor, seal)
    target, sources, needs_reason = SIMPLE_TRANSITIONS[action]
    if needs_reason and not comment.strip():
        raise ValidationError({"comment": _("请填写操作原因。")})
    return _move(seal, actor=actor, to=target, action=action, comment=comment, allowed_from=sources)


@transaction.atomic
def seal_renew(*, actor, seal: Seal, valid_until: dt.datetime) -> Seal:
    """Renew an expired (or expiring valid) seal with a new period (续期, LIC-8.5)."""
    require_permission(actor, "licences.manage_seal")
    seal = _locked(seal)
    require_in_scope(actor, seal)
    if valid_until <= max(timezone.now(), seal.valid_until):
        raise ValidationError({"valid_until": _("新的有效期必须晚于原有效期和当前时间。")})
    maker = _registered(seal.maker)
    now = timezone.now()
    seal.valid_until = valid_until
    der = _build_der(seal, maker, start=now)
    return _move(seal, actor=actor, to=SealStatus.VALID, action="renew", allowed_from=(SealStatus.EXPIRED, SealStatus.VALID),
                 seal_der=der, valid_from=now, version=seal.version + 1)


@transaction.atomic
def seal_change(*, actor, seal: Seal, name: str | None = None, impression: bytes | None = None,
                certificates=None, comment: str = "") -> Seal:
    """Change a valid seal's name, impression or certificate list (印章变更, LIC-8.7); es_id is kept."""
    require_permission(actor, "licences.manage_seal")
    seal = _locked(seal)
    require_in_scope(actor, seal)
    if seal.status != SealStatus.VALID:
        raise ValidationError(_("只有有效的印章可以变更。"))
    if name is not None and not name.strip():
        raise ValidationError({"name": _("请填写印章名称。")})
    if impression is not None:
        _check_impression(impression)
    certificates = list(certificates) if certificates is not None else None
    if certificates is not None and (not certificates or any(c.kind != CertificateKind.SIGNER for c in certificates)):
        raise ValidationError({"certificates": _("请选择至少一张签章人证书。")})
    before = {"name": seal.name, "version": seal.version}
    seal.name = name.strip() if name else seal.name
    if impression is not None:
        seal.impression = impression
    if certificates is not None:
        seal.certificates.set(certificates)
    seal.seal_der = _build_der(seal, _registered(seal.maker), start=timezone.now())
    seal.version += 1
    seal.status_comment = comment[:255]
    seal.save()
    record_transition(obj=seal, from_state=SealStatus.VALID, to_state=SealStatus.VALID, actor=actor, action="change",
                      comment=comment)
    audit_record(actor=actor, action="update", obj=seal,
                 changes={"name": [before["name"], seal.name], "version": [before["version"], seal.version]})
    return seal


@transaction.atomic
def seals_expire_due(*, now: dt.datetime | None = None) -> int:
    """Mark valid/frozen seals past valid_until as expired (periodic job)."""
    now = now or timezone.now()
    count = 0
    for seal in Seal.objects.select_for_update().filter(status__in=[SealStatus.VALID, SealStatus.FROZEN],
                                                         valid_until__lt=now):
        before = seal.status
        seal.status = SealStatus.EXPIRED
        seal.save(update_fields=["status"])
        record_transition(obj=seal, from_state=before, to_state=SealStatus.EXPIRED, actor=None, action="expire")
        count += 1
    return count


@transaction.atomic
def seal_maker_register(*, actor, maker: SealMaker, registered: bool = True) -> SealMaker:
    """Register (or unregister) a seal-making system (LIC-8.2)."""
    require_permission(actor, "licences.change_sealmaker")
    maker = SealMaker.objects.select_for_update().get(pk=maker.pk)
    if maker.certificate.kind != CertificateKind.MAKER:
        raise ValidationError(_("制章系统必须绑定制章人证书。"))
    maker.is_registered = registered
    maker.registered_at = timezone.now() if registered else None
    maker.save(update_fields=["is_registered", "registered_at"])
    audit_record(actor=actor, action="update", obj=maker, changes={"is_registered": [not registered, registered]})
    return maker
