"""Licence issuance and lifecycle (LIC-1.6–1.18, 1.25, 3.2): entry (or draft) → submit → review →
sealing (centralised, batch-safe) → valid; change / annual inspection make version + 1 with the same
identifier and archive the old version; cancel / abolish / report lost go straight to the history
library; purge is the only deletion."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.crypto import sm3_hex

from .. import identifiers
from ..models import FaceParameterKind, Licence, LicenceStatus, LicenceTemplate
from ..rendering import render_licence_ofd, seal_position
from .kernel import audit_record, record_transition, require_in_scope, require_permission
from .signing import document_sign

BASIC_FIELDS = ("name", "licence_number", "holder_name", "holder_kind", "holder_code", "valid_from", "valid_until")
HISTORY = (LicenceStatus.SUPERSEDED, LicenceStatus.CANCELLED, LicenceStatus.ABOLISHED, LicenceStatus.REPORTED_LOST)


def _validate(template: LicenceTemplate, data: dict, *, draft: bool) -> dict:
    errors = {}
    if not template.is_valid:
        errors["template"] = _("模板已设为无效，不能用于录入。")
    required = ("name", "licence_number", "holder_name", "holder_code", "valid_from")
    for field in required if not draft else ("name",):
        if not str(data.get(field) or "").strip():
            errors[field] = _("此项为必填项。")
    face = dict(data.get("face_data") or {})
    if not draft:
        for p in template.parameters.all():
            if p.required and p.kind == FaceParameterKind.TEXT and not str(face.get(p.key, "")).strip():
                errors[f"face_data.{p.key}"] = _("请填写照面信息“%(l)s”。") % {"l": p.label}
    start, end = data.get("valid_from"), data.get("valid_until")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        errors["valid_until"] = _("有效期截止日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)
    return face


def licence_enter(*, actor, template: LicenceTemplate, issuer, data: dict, draft: bool = False,
                  source: str = "system_entry") -> Licence:
    """Single entry (LIC-1.7) or save to the drafts box (LIC-1.9); allocates the identifier."""
    require_permission(actor, "licences.add_licence")
    require_in_scope(actor, issuer)
    face = _validate(template, data, draft=draft)
    with transaction.atomic():
        code = identifiers.allocate(template.type_code, issuer.credit_code, timezone.localdate().year)
        licence = Licence.objects.create(
            licence_code=code, template=template, issuer=issuer, face_data=face, created_by=actor, source=source,
            status=LicenceStatus.DRAFT if draft else LicenceStatus.ENTERED,
            name=data.get("name", "").strip(), licence_number=data.get("licence_number", "").strip(),
            holder_name=data.get("holder_name", "").strip(), holder_kind=data.get("holder_kind") or template.holder_kind,
            holder_code=data.get("holder_code", "").strip(),
            valid_from=data.get("valid_from") or timezone.localdate(), valid_until=data.get("valid_until"),
        )
        record_transition(obj=licence, from_state="", to_state=licence.status, actor=actor, action="enter")
        audit_record(actor=actor, action="create", obj=licence, changes={"licence_code": [None, code]})
    return licence


def licence_complete_draft(*, actor, licence: Licence, data: dict) -> Licence:
    """Complete a draft from the drafts box and save it into licence entry (LIC-1.9)."""
    require_permission(actor, "licences.change_licence")
    with transaction.atomic():
        licence = _lock(licence)
        require_in_scope(actor, licence)
        if licence.status != LicenceStatus.DRAFT:
            raise ValidationError(_("只有草稿可以补全后转入录入。"))
        merged = {field: getattr(licence, field) for field in BASIC_FIELDS}
        merged.update({k: v for k, v in data.items() if k in BASIC_FIELDS or k == "face_data"})
        merged["face_data"] = {**licence.face_data, **(data.get("face_data") or {})}
        face = _validate(licence.template, merged, draft=False)
        for field in BASIC_FIELDS:
            value = merged.get(field)
            setattr(licence, field, value.strip() if isinstance(value, str) else value)
        licence.face_data = face
        return _move(licence, actor=actor, to=LicenceStatus.ENTERED, allowed=(LicenceStatus.DRAFT,),
                     action="complete_draft")


def _lock(licence: Licence) -> Licence:
    return Licence.objects.select_for_update().select_related("template", "issuer").get(pk=licence.pk)


def _move(licence: Licence, *, actor, to: str, allowed: tuple, action: str, comment: str = "", **changes):
    if licence.status not in allowed:
        raise ValidationError(_("证照当前状态为“%(s)s”，不能执行此操作。") % {"s": licence.get_status_display()})
    before = licence.status
    licence.status = to
    for field, value in changes.items():
        setattr(licence, field, value)
    licence.save()
    record_transition(obj=licence, from_state=before, to_state=to, actor=actor, action=action, comment=comment)
    audit_record(actor=actor, action="update", obj=licence, changes={"status": [before, to]}, detail=action)
    return licence


@transaction.atomic
def licence_submit(*, actor, licences) -> int:
    """Submit one or several entered licences for review (LIC-1.7 3)."""
    require_permission(actor, "licences.change_licence")
    count = 0
    for licence in licences:
        licence = _lock(licence)
        require_in_scope(actor, licence)
        _move(licence, actor=actor, to=LicenceStatus.IN_REVIEW, allowed=(LicenceStatus.ENTERED,), action="submit",
              reject_reason="")
        count += 1
    return count


@transaction.atomic
def licence_review(*, actor, licence: Licence, approve: bool, reason: str = "") -> Licence:
    """Approve (→ awaiting sealing) or reject with a reason (→ entered, reason shown there) (LIC-1.8)."""
    require_permission(actor, "licences.review_licence")
    licence = _lock(licence)
    require_in_scope(actor, licence)
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("退回时请填写原因。")})
    if approve:
        return _move(licence, actor=actor, to=LicenceStatus.AWAITING_SEALING, allowed=(LicenceStatus.IN_REVIEW,),
                     action="approve")
    return _move(licence, actor=actor, to=LicenceStatus.ENTERED, allowed=(LicenceStatus.IN_REVIEW,),
                 action="reject", comment=reason, reject_reason=reason.strip()[:255])


def licence_seal(*, actor, licence: Licence, seal, certificate, ip_address: str | None = None) -> Licence | None:
    """Render, seal and store one approved licence. Returns None when it is no longer awaiting sealing
    (a resumed batch skips what an interrupted run already sealed — never sealed twice)."""
    require_permission(actor, "licences.seal_licence")
    with transaction.atomic():
        licence = _lock(licence)
        require_in_scope(actor, licence)
        if licence.status != LicenceStatus.AWAITING_SEALING:
            return None
        unsigned = render_licence_ofd(licence)
        signed = document_sign(actor=actor, seal=seal, certificate=certificate, data=unsigned,
                               position=seal_position(licence, seal), document_name=f"{licence.licence_code}.ofd",
                               ip_address=ip_address, request_message={"licence": licence.licence_code,
                                                                       "version": licence.version})
        licence.ofd_file.save(f"{sm3_hex(signed.data)[:24]}.ofd", ContentFile(signed.data), save=False)
        now = timezone.now()
        return _move(licence, actor=actor, to=LicenceStatus.VALID, allowed=(LicenceStatus.AWAITING_SEALING,),
                     action="seal", seal=seal, ofd_sm3=sm3_hex(signed.data), sealed_at=now, operation="valid",
                     issued_at=licence.issued_at or now)


def licences_seal_batch(*, actor, licence_ids, seal, certificate, progress=None) -> dict:
    """Centralised sealing of several licences (LIC-1.18); each licence commits on its own."""
    sealed, skipped = 0, 0
    for done, pk in enumerate(sorted(licence_ids), start=1):
        result = licence_seal(actor=actor, licence=Licence(pk=pk), seal=seal, certificate=certificate)
        sealed, skipped = sealed + (result is not None), skipped + (result is None)
        if progress:
            progress(done)
    return {"sealed": sealed, "skipped": skipped}


def _new_version(licence: Licence, *, actor, action: str, changes: dict) -> Licence:
    old = _lock(licence)
    require_in_scope(actor, old)
    if old.status != LicenceStatus.VALID:
        raise ValidationError(_("只有有效的证照可以变更或年检。"))
    face = dict(old.face_data)
    face.update(changes.pop("face_data", {}) or {})
    new = Licence.objects.create(
        licence_code=old.licence_code, version=old.version + 1, template=old.template, issuer=old.issuer,
        name=old.name, licence_number=changes.get("licence_number", old.licence_number),
        holder_name=old.holder_name, holder_kind=changes.get("holder_kind", old.holder_kind),
        holder_code=old.holder_code, valid_from=changes.get("valid_from", old.valid_from),
        valid_until=changes.get("valid_until", old.valid_until), face_data=face, status=LicenceStatus.IN_REVIEW,
        source=old.source, created_by=actor, issued_at=old.issued_at,
    )
    _move(old, actor=actor, to=LicenceStatus.SUPERSEDED, allowed=(LicenceStatus.VALID,), action=action,
          operation=action)
    record_transition(obj=new, from_state="", to_state=LicenceStatus.IN_REVIEW, actor=actor, action=action)
    return new


ALLOWED_CHANGES = {"licence_number", "holder_kind", "valid_from", "valid_until", "face_data"}


@transaction.atomic
def licence_change(*, actor, licence: Licence, changes: dict) -> Licence:
    """Change (LIC-1.11): number, holder kind, validity and face data; version + 1, back to review."""
    require_permission(actor, "licences.change_licence")
    unknown = set(changes) - ALLOWED_CHANGES
    if unknown or not changes:
        raise ValidationError(_("变更只能修改证照编号、持证主体类型、有效期和照面信息。"))
    if "licence_number" in changes and not str(changes["licence_number"]).strip():
        raise ValidationError({"licence_number": _("此项为必填项。")})
    start = changes.get("valid_from", licence.valid_from)
    end = changes.get("valid_until", licence.valid_until)
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        raise ValidationError({"valid_until": _("有效期截止日期不能早于开始日期。")})
    return _new_version(licence, actor=actor, action="change", changes=dict(changes))


@transaction.atomic
def licence_annual_inspection(*, actor, licence: Licence) -> Licence:
    """Annual inspection (LIC-1.12): no edits; version + 1, back to review."""
    require_permission(actor, "licences.change_licence")
    return _new_version(licence, actor=actor, action="annual_inspection", changes={})


END_ACTIONS = {"cancel": LicenceStatus.CANCELLED, "abolish": LicenceStatus.ABOLISHED,
               "report_lost": LicenceStatus.REPORTED_LOST}


@transaction.atomic
def licence_end(*, actor, licence: Licence, action: str, reason: str = "") -> Licence:
    """Cancel, abolish or report lost (LIC-1.13–1.15): straight to the history library, file kept."""
    if action not in END_ACTIONS:
        raise ValidationError(_("未知的证照操作。"))
    require_permission(actor, "licences.change_licence")
    licence = _lock(licence)
    require_in_scope(actor, licence)
    return _move(licence, actor=actor, to=END_ACTIONS[action], allowed=(LicenceStatus.VALID,), action=action,
                 comment=reason, operation=action)


@transaction.atomic
def licence_purge(*, actor, licence_code: str, reason: str = "", request=None) -> int:
    """Hard delete of every version and file of a licence (LIC-1.27); system
    administrators only, with a reason. History rows are otherwise protected by a database trigger
    (migration 0002): only this function opens it, with ``SET LOCAL licences.purge = 'on'`` inside its
    own transaction. The audit log keeps one row naming the identifier, versions, actor and reason; the
    kernel's transition rows (states, actors, times — no licence content) stay, because the kernel makes
    core_statetransition append-only."""
    if not (actor and actor.is_authenticated and actor.is_system_admin):
        raise PermissionDenied(_("只有系统管理员可以清除证照数据。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写清除原因。")})
    rows = list(Licence.objects.select_for_update().filter(licence_code=licence_code).order_by("version"))
    if not rows:
        raise ValidationError(_("没有这个证照标识。"))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL licences.purge = 'on'")
    files = [row.ofd_file.name for row in rows if row.ofd_file]
    audit_record(actor=actor, action="delete", obj=rows[-1], request=request,
                 changes={"licence_code": [licence_code, None], "versions": [[r.version for r in rows], None]},
                 detail=f"purge {licence_code}: {reason.strip()[:200]}")
    Licence.objects.filter(pk__in=[row.pk for row in rows]).delete()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL licences.purge = 'off'")
    storage = Licence._meta.get_field("ofd_file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return len(rows)


def valid_licences():
    """Current valid licences (search, download, sharing)."""
    return Licence.objects.filter(status=LicenceStatus.VALID)


def history_library():
    return Licence.objects.filter(status__in=HISTORY)
