"""Licence generation interface for provincial-direct department systems (外部系统接入, LIC-4.1).

A department's business system is a sharing application (own name + password → token, LIC-5.5) with an
access right to the ``licence-generate`` interface (daily and total limits, every call logged, LIC-2.3/2.6)
and a ``GenerationChannel`` (issuer, allowed templates, seal, certificate, signer). One call:

1. the gate admits (or refuses with 401/403/429 and a Chinese reason);
2. the structured data is validated against the catalogue type's data items — the basic catalogue fields
   and the template's face parameters; unknown items, missing required items, bad dates or a holder code
   that is not a valid USCC / ID number are refused, nothing written;
3. in one transaction: the GB/T 36904 identifier is allocated, the licence stored (source "接口产生",
   status awaiting sealing), the OFD rendered from the template (a rendering failure rolls everything back);
4. after commit the sealing task seals it with the channel's seal and reports the catalogue row to the
   national platform through the outbox in the sealing transaction (catalogue data generated automatically).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import enqueue
from apps.core.validators import validate_credit_code, validate_id_number

from .. import identifiers
from ..models import FaceParameterKind, GenerationChannel, HolderKind, Licence, LicenceSource, LicenceStatus
from ..peers.national import PEER
from ..rendering import render_licence_ofd, verification_url
from .kernel import audit_record, record_transition, require_in_scope, require_permission
from .sharing import sharing_admit, sharing_log_failure

INTERFACE = "licence-generate"
BASIC_ITEMS = ("type_code", "licence_number", "holder_name", "holder_kind", "holder_code", "valid_from",
               "valid_until", "face_data", "name")
MAX_IMAGE_BYTES = 512 * 1024


@transaction.atomic
def generation_channel_save(*, actor, application, issuer, templates, seal, certificate, signer,
                            is_enabled: bool = True) -> GenerationChannel:
    """Register (or change) an application's generation channel; the signer must be able to seal."""
    require_permission(actor, "licences.change_sharingapplication")
    require_in_scope(actor, application)
    errors = {}
    if not (signer.has_perm("licences.seal_licence") and signer.has_perm("licences.use_seal")):
        errors["signer"] = _("代表盖章人需要“证照盖章”和“使用印章”权限。")
    if not seal.certificates.filter(pk=certificate.pk).exists():
        errors["certificate"] = _("该证书不在印章的签章证书列表中。")
    if not templates:
        errors["templates"] = _("请至少选择一个证照模板。")
    if errors:
        raise ValidationError(errors)
    channel, created = GenerationChannel.objects.update_or_create(
        application=application, defaults={"issuer": issuer, "seal": seal, "certificate": certificate,
                                           "signer": signer, "is_enabled": bool(is_enabled)})
    channel.templates.set(templates)
    audit_record(actor=actor, action="create" if created else "update", obj=channel,
                 changes={"issuer": [None, str(issuer)], "templates": [None, [t.type_code for t in templates]]})
    return channel


def _date(value, field: str, errors: dict, required: bool):
    if value in (None, ""):
        if required:
            errors[field] = _("此项为必填项。")
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("日期格式应为 YYYY-MM-DD。")
        return None


def _holder_ok(kind: str, code: str) -> bool:
    validator = {HolderKind.NATURAL_PERSON: validate_id_number, HolderKind.LEGAL_PERSON: validate_credit_code}.get(kind)
    if validator is None:
        return bool(code)
    try:
        validator(code)
    except ValidationError:
        return False
    return True


def validate_payload(channel: GenerationChannel, payload: dict):
    """(template, cleaned data) or ValidationError with every problem, keyed by data item."""
    if not isinstance(payload, dict):
        raise ValidationError(_("请求体应为 JSON 对象。"))
    errors = {}
    unknown = sorted(set(payload) - set(BASIC_ITEMS))
    if unknown:
        errors["unknown"] = _("不是该目录的数据项：%(k)s。") % {"k": "、".join(unknown)}
    template = channel.templates.filter(type_code=str(payload.get("type_code") or ""), is_valid=True).first()
    if template is None:
        raise ValidationError({"type_code": _("证照类型代码“%(c)s”不在本接入应用允许的有效目录中。")
                               % {"c": payload.get("type_code", "")}, **errors})
    for field in ("licence_number", "holder_name", "holder_code"):
        if not str(payload.get(field) or "").strip():
            errors[field] = _("此项为必填项。")
    kind = str(payload.get("holder_kind") or template.holder_kind)
    if kind not in HolderKind.values:
        errors["holder_kind"] = _("持证主体类型只能是 natural_person、legal_person 或 project。")
    elif str(payload.get("holder_code") or "").strip() and not _holder_ok(kind, str(payload["holder_code"]).strip()):
        errors["holder_code"] = _("持证主体代码不是有效的统一社会信用代码或身份证号码。")
    valid_from = _date(payload.get("valid_from"), "valid_from", errors, required=True)
    valid_until = _date(payload.get("valid_until"), "valid_until", errors, required=False)
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("有效期截止日期不能早于开始日期。")
    face = payload.get("face_data") or {}
    if not isinstance(face, dict):
        errors["face_data"] = _("face_data 应为对象。")
        face = {}
    params = {p.key: p for p in template.parameters.all()}
    extra = sorted(set(face) - set(params))
    if extra:
        errors["face_data"] = _("不是该目录的照面数据项：%(k)s。") % {"k": "、".join(extra)}
    for key, p in params.items():
        value = face.get(key)
        if p.kind == FaceParameterKind.IMAGE:
            if value:
                try:
                    if len(base64.b64decode(str(value), validate=True)) > MAX_IMAGE_BYTES:
                        errors[f"face_data.{key}"] = _("图片超过 512KB。")
                except (binascii.Error, ValueError):
                    errors[f"face_data.{key}"] = _("“%(l)s”应为 Base64 图片。") % {"l": p.label}
        elif p.required and not str(value or "").strip():
            errors[f"face_data.{key}"] = _("请填写照面信息“%(l)s”。") % {"l": p.label}
        elif len(str(value or "")) > 500:
            errors[f"face_data.{key}"] = _("“%(l)s”超过 500 字。") % {"l": p.label}
    if errors:
        raise ValidationError(errors)
    cleaned = {"licence_number": str(payload["licence_number"]).strip()[:64],
               "holder_name": str(payload["holder_name"]).strip()[:128], "holder_kind": kind,
               "holder_code": str(payload["holder_code"]).strip(), "valid_from": valid_from,
               "valid_until": valid_until, "name": str(payload.get("name") or template.name).strip()[:128],
               "face_data": {k: (v if params[k].kind == FaceParameterKind.IMAGE else str(v).strip())
                             for k, v in face.items() if v not in (None, "")}}
    return template, cleaned


def _channel_for(application) -> GenerationChannel:
    channel = (GenerationChannel.objects.select_related("issuer", "signer", "seal", "certificate")
               .filter(application=application, is_enabled=True).first())
    if channel is None:
        raise PermissionDenied(_("该接入应用未开通证照生成。"))
    return channel


def licence_generate_external(*, token: str, payload: dict, ip: str | None = None) -> Licence:
    """Admit, validate, create + render, queue sealing. Raises SharingRefused, PermissionDenied or
    ValidationError (logged as a failed call; no licence written)."""
    application = sharing_admit(token=token, interface_code=INTERFACE, ip=ip)
    try:
        channel = _channel_for(application)
        template, data = validate_payload(channel, payload)
        with transaction.atomic():
            code = identifiers.allocate(template.type_code, channel.issuer.credit_code, timezone.localdate().year)
            licence = Licence.objects.create(
                licence_code=code, template=template, issuer=channel.issuer, created_by=channel.signer,
                source=LicenceSource.INTERFACE, status=LicenceStatus.AWAITING_SEALING,
                generation_channel=channel, **data)
            try:
                render_licence_ofd(licence)
            except (ValueError, OSError) as exc:
                raise ValidationError(_("照面数据无法生成版式文件：%(e)s") % {"e": str(exc)[:120]}) from exc
            record_transition(obj=licence, from_state="", to_state=licence.status, actor=channel.signer,
                              action="interface_generate", comment=application.name)
            audit_record(actor=channel.signer, action="create", obj=licence,
                         changes={"licence_code": [None, code], "source": [None, "interface"]},
                         detail=f"licence-generate by {application.name}")
            transaction.on_commit(lambda: _queue_sealing(licence.pk, channel.pk))
    except (PermissionDenied, ValidationError) as exc:
        detail = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        sharing_log_failure(application=application, interface_code=INTERFACE, ip=ip, detail=detail)
        raise
    return licence


def _queue_sealing(licence_id: int, channel_id: int) -> None:
    from ..tasks import seal_generated

    seal_generated.delay(licence_id, channel_id)


def catalogue_row(licence: Licence) -> dict:
    """The catalogue data of one licence as reported to the national platform."""
    return {"licence_code": licence.licence_code, "operation": "insert", "name": licence.name,
            "type_code": licence.template.type_code, "issuer_code": licence.issuer.credit_code,
            "issuer_name": licence.issuer.name, "holder_name": licence.holder_name,
            "holder_kind": licence.holder_kind, "issued_on": (licence.issued_at or timezone.now()).date().isoformat(),
            "version": licence.version, "access_url": verification_url(licence.licence_code)}


def generated_licence_seal(*, licence_id: int, channel_id: int) -> Licence | None:
    """Seal one interface-generated licence and report its catalogue row, in one transaction. Safe to
    redeliver: a licence no longer awaiting sealing is skipped (never sealed or reported twice). A refusal
    (seal frozen, revoked or expired, grant withdrawn…) leaves the licence awaiting sealing, nothing
    half-written, and is written to the sharing log as a failed sealing of the channel's application; the
    channel page shows it and retries (``generation_channel_retry``)."""
    from .licences import licence_seal

    channel = (GenerationChannel.objects.select_related("signer", "seal", "certificate", "application")
               .get(pk=channel_id))
    try:
        with transaction.atomic():
            sealed = licence_seal(actor=channel.signer, licence=Licence(pk=licence_id), seal=channel.seal,
                                  certificate=channel.certificate)
            if sealed is not None:
                enqueue(peer=PEER, kind="catalogue",
                        payload={"source": "licence-generate", "rows": [catalogue_row(sealed)]},
                        idempotency_key=f"licences:generated:{sealed.licence_code}:{sealed.version}",
                        region=sealed.issuer.region)
    except (ValidationError, PermissionDenied) as exc:
        reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or _("无盖章权限"))
        code = Licence.objects.filter(pk=licence_id).values_list("licence_code", flat=True).first() or ""
        sharing_log_failure(application=channel.application, interface_code=INTERFACE, ip=None,
                            detail=(SEALING_FAILED_PREFIX + reason)[:255], licence_code=code)
        return None
    return sealed


SEALING_FAILED_PREFIX = "盖章失败："
RETRY_BATCH = 100


def generation_channel_retry(*, actor, channel: GenerationChannel) -> dict:
    """Seal again, now, the channel's licences still awaiting sealing (at most ``RETRY_BATCH`` per call,
    oldest first). Each licence commits on its own; one already sealed meanwhile is skipped, never sealed
    twice. Returns counts: sealed, failed (with the sharing-log reason), remaining."""
    require_permission(actor, "licences.change_sharingapplication")
    require_in_scope(actor, channel)
    pending = list(Licence.objects.filter(generation_channel=channel, status=LicenceStatus.AWAITING_SEALING)
                   .order_by("pk").values_list("pk", flat=True)[:RETRY_BATCH])
    sealed = 0
    for pk in pending:
        sealed += generated_licence_seal(licence_id=pk, channel_id=channel.pk) is not None
    remaining = Licence.objects.filter(generation_channel=channel, status=LicenceStatus.AWAITING_SEALING).count()
    audit_record(actor=actor, action="other", obj=channel, detail="retry sealing of generated licences",
                 changes={"sealed": [None, sealed], "failed": [None, len(pending) - sealed]})
    return {"tried": len(pending), "sealed": sealed, "failed": len(pending) - sealed, "remaining": remaining}
