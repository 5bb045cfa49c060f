"""Organisation information sync (组织机构信息同步, MAT-7.7).

The unified user centre sends organisation changes (add / modify / delete, keyed by credit code); they wait
on the sync page until staff apply or decline them. Applying goes through the kernel's organisation
services (same validation and scope as the organisation pages); either way the processing result is
written back to the original item library (原事项库) through the outbox peer `item_library`, which the
adapter delivers over HTTP (adapters/item_library.py) — a peer that is down gets it on a later attempt."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Organisation, OrganisationKind, Region
from apps.matters.models import OrganisationChange, OrgChangeOperation, OrgChangeStatus
from apps.matters.services.kernel import audit_record, enqueue, record_transition, require_permission

PEER = "item_library"
FIELDS = ("name", "short_name", "region", "parent_credit_code", "kind")


def _row_errors(row: dict) -> list[str]:
    errors = []
    if not str(row.get("external_id") or "").strip():
        errors.append(_("缺少变更流水号"))
    if row.get("operation") not in OrgChangeOperation.values:
        errors.append(_("变更类型须为 add / modify / delete"))
    if not str(row.get("credit_code") or "").strip():
        errors.append(_("缺少统一社会信用代码"))
    if row.get("operation") == OrgChangeOperation.ADD and not (row.get("name") and row.get("region")):
        errors.append(_("新增机构须有名称和区划"))
    if row.get("kind") and row["kind"] not in OrganisationKind.values:
        errors.append(_("机构类型无效"))
    return errors


def organisation_changes_receive(*, rows: list[dict]) -> dict:
    """Store the user centre's change rows (a repeated external_id is received once). Bad rows are
    refused with their reasons and nothing of the batch is written."""
    problems = {i: errs for i, row in enumerate(rows, start=1) if (errs := _row_errors(row))}
    if problems:
        raise ValidationError([_("第%(n)s行：%(e)s") % {"n": n, "e": "；".join(e)} for n, e in problems.items()])
    codes = {str(row["region"]) for row in rows if row.get("region")}
    regions = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = sorted(codes - regions)
    if unknown:
        raise ValidationError(_("区划代码不存在：%(c)s") % {"c": "、".join(unknown)})
    created = 0
    with transaction.atomic():
        for row in rows:
            existing = Organisation.objects.filter(credit_code=row["credit_code"].strip().upper()).first()
            region = row.get("region") or (existing.region_id if existing else None)
            _change, made = OrganisationChange.objects.get_or_create(
                external_id=row["external_id"].strip(),
                defaults={"operation": row["operation"], "credit_code": row["credit_code"].strip().upper(),
                          "data": {k: row[k] for k in FIELDS if row.get(k) not in (None, "")},
                          "region_id": region, "organisation": existing})
            created += made
    return {"received": len(rows), "created": created}


def _apply(actor, change: OrganisationChange) -> Organisation:
    from apps.core.services.organisations import organisation_create, organisation_update

    data = change.data
    parent = None
    if data.get("parent_credit_code"):
        parent = Organisation.objects.filter(credit_code=data["parent_credit_code"]).first()
        if parent is None:
            raise ValidationError(_("上级机构 %(c)s 不存在。") % {"c": data["parent_credit_code"]})
    if change.operation == OrgChangeOperation.ADD:
        if Organisation.objects.filter(credit_code=change.credit_code).exists():
            raise ValidationError(_("统一社会信用代码 %(c)s 的机构已存在。") % {"c": change.credit_code})
        return organisation_create(actor=actor, name=data["name"], credit_code=change.credit_code,
                                   region=Region.objects.get(pk=data["region"]), parent=parent,
                                   kind=data.get("kind") or OrganisationKind.DEPARTMENT,
                                   short_name=data.get("short_name", ""))
    organisation = Organisation.objects.filter(credit_code=change.credit_code).first()
    if organisation is None:
        raise ValidationError(_("统一社会信用代码 %(c)s 的机构不存在。") % {"c": change.credit_code})
    if change.operation == OrgChangeOperation.DELETE:
        return organisation_update(actor=actor, organisation=organisation, is_enabled=False)
    changes = {k: data[k] for k in ("name", "short_name", "kind") if k in data}
    if "region" in data:
        changes["region"] = Region.objects.get(pk=data["region"])
    if parent is not None:
        changes["parent"] = parent
    return organisation_update(actor=actor, organisation=organisation, **changes)


def _message(errors) -> str:
    if hasattr(errors, "message_dict"):
        return "；".join(f"{'；'.join(v)}" for v in errors.message_dict.values())
    return "；".join(getattr(errors, "messages", [str(errors)]))


def _finish(change: OrganisationChange, *, actor, status: str, result: str, organisation=None) -> None:
    from_state = change.status
    change.status, change.result = status, result[:500]
    change.processed_by, change.processed_at = actor, timezone.now()
    if organisation is not None:
        change.organisation = organisation
        change.region_id = organisation.region_id
    change.save(update_fields=["status", "result", "processed_by", "processed_at", "organisation", "region"])
    record_transition(obj=change, from_state=from_state, to_state=status, actor=actor, action=status, comment=result)
    enqueue(peer=PEER, kind="org_sync.result", region=change.region,
            payload={"external_id": change.external_id, "credit_code": change.credit_code,
                     "operation": change.operation, "status": status, "result": change.result,
                     "organisation_id": change.organisation_id},
            idempotency_key=f"matters:org-sync:{change.external_id}:{status}")


def organisation_change_process(*, actor, change: OrganisationChange, apply: bool, reason: str = "") -> OrganisationChange:
    """Apply a received change to the organisations (or decline it with a reason) and write the result back.
    A change the kernel refuses (bad credit code, parent outside the region …) is recorded as 同步失败 with
    the kernel's message — the organisations stay as they were and the user centre learns why."""
    require_permission(actor, "matters.process_organisationchange")
    if not apply and not reason.strip():
        raise ValidationError({"reason": _("不予同步须说明理由。")})
    with transaction.atomic():
        change = OrganisationChange.objects.select_for_update().get(pk=change.pk)
        if change.status not in (OrgChangeStatus.PENDING, OrgChangeStatus.FAILED):
            raise ValidationError(_("该变更已处理。"))
        if not apply:
            _finish(change, actor=actor, status=OrgChangeStatus.IGNORED, result=reason.strip())
            return change
        try:
            with transaction.atomic():
                organisation = _apply(actor, change)
        except PermissionDenied:
            raise
        except (ValidationError, IntegrityError) as error:
            _finish(change, actor=actor, status=OrgChangeStatus.FAILED, result=_message(error))
            return change
        _finish(change, actor=actor, status=OrgChangeStatus.APPLIED, organisation=organisation,
                result=_("已%(op)s机构“%(n)s”") % {"op": change.get_operation_display(), "n": organisation.name})
        audit_record(actor=actor, action="update", obj=organisation,
                     changes={"org_sync": [None, change.external_id]})
    return change
