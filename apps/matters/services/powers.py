"""Power-and-responsibility list (权责清单, MAT-7.8): departments enter or import their list entries and
link them to their implementation items; every change of an entry or its links sends the entry with all
its links back to the list owner (outbox peer `power_list`, latest state per entry code)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.scope import can_see
from apps.matters.models import ImplementationItem, MatterStatus, PowerItemLink, PowerListEntry, PowerType
from apps.matters.services.kernel import audit_record, enqueue, require_permission

PEER = "power_list"
COLUMNS = ("code", "name", "power_type", "legal_basis", "responsibilities", "accountability")
TYPE_BY_LABEL = {str(label): value for value, label in PowerType.choices}


def _clean(data: dict) -> tuple[dict, dict]:
    values = {k: str(data.get(k) or "").strip() for k in COLUMNS}
    values["power_type"] = TYPE_BY_LABEL.get(values["power_type"], values["power_type"])
    errors = {}
    for key, message in (("code", _("请填写权力编码。")), ("name", _("请填写权力名称。")),
                         ("legal_basis", _("请填写设定依据。"))):
        if not values[key]:
            errors[key] = message
    if values["power_type"] not in PowerType.values:
        errors["power_type"] = _("权力类型须为：%(t)s。") % {"t": "、".join(TYPE_BY_LABEL)}
    return values, errors


def _check_department(actor, department) -> None:
    if not can_see(actor, department):
        raise ValidationError({"department": _("只能录入本部门（或下属部门）的权责清单。")})


def _send_back(entry: PowerListEntry) -> None:
    links = list(entry.links.select_related("implementation_item").order_by("implementation_item__implementation_code"))
    version = max([entry.updated_at.timestamp()] + [link.created_at.timestamp() for link in links])
    enqueue(peer=PEER, kind="power_list.entry", region=entry.region,
            payload={"code": entry.code, "name": entry.name, "power_type": entry.power_type,
                     "department": entry.department.credit_code, "legal_basis": entry.legal_basis,
                     "responsibilities": entry.responsibilities, "accountability": entry.accountability,
                     "links": [{"implementation_code": link.implementation_item.implementation_code,
                                "name": link.implementation_item.name} for link in links]},
            idempotency_key=f"matters:power:{entry.pk}:{len(links)}:{version:.6f}")


def power_entry_save(*, actor, department, data: dict, entry: PowerListEntry | None = None) -> PowerListEntry:
    """Enter (or edit) one entry; a duplicate code in the department is refused with nothing written."""
    require_permission(actor, "matters.change_powerlistentry" if entry else "matters.add_powerlistentry")
    _check_department(actor, department)
    values, errors = _clean(data)
    clash = PowerListEntry.objects.filter(department=department, code=values["code"])
    if entry is not None:
        clash = clash.exclude(pk=entry.pk)
    if values["code"] and clash.exists():
        errors["code"] = _("本部门已有权力编码为 %(c)s 的事项。") % {"c": values["code"]}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if entry is None:
            entry = PowerListEntry(department=department, region_id=department.region_id, created_by=actor)
        for key, value in values.items():
            setattr(entry, key, value)
        entry.extra = {k: v for k, v in data.items() if k not in COLUMNS and isinstance(v, (str, int, float))}
        entry.save()
        audit_record(actor=actor, action="update", obj=entry, changes={"power_entry": [None, values["code"]]})
        _send_back(entry)
    return entry


def power_entries_import(*, actor, department, rows: list[dict]) -> list[PowerListEntry]:
    """Import a list (rows of the spreadsheet): every row checked first, then all written or none."""
    require_permission(actor, "matters.add_powerlistentry")
    _check_department(actor, department)
    problems, seen = [], set()
    existing = set(PowerListEntry.objects.filter(department=department).values_list("code", flat=True))
    for number, row in enumerate(rows, start=2):
        values, errors = _clean(row)
        if values["code"] in seen or values["code"] in existing:
            errors["code"] = _("权力编码 %(c)s 重复。") % {"c": values["code"]}
        seen.add(values["code"])
        problems += [_("第%(n)s行：%(e)s") % {"n": number, "e": message} for message in errors.values()]
    if not rows:
        problems.append(_("文件中没有数据行。"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return [power_entry_save(actor=actor, department=department, data=row) for row in rows]


def power_entries_from_workbook(content: bytes) -> list[dict]:
    """Rows of the first sheet; the header row names the columns (Chinese labels or field names)."""
    from io import BytesIO

    from openpyxl import load_workbook

    labels = {"权力编码": "code", "权力名称": "name", "权力类型": "power_type", "设定依据": "legal_basis",
              "责任事项": "responsibilities", "追责情形": "accountability"}
    try:
        sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # noqa: BLE001 — any unreadable upload
        raise ValidationError(_("无法读取该文件，请上传 Excel（.xlsx）文件。")) from exc
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    header = [labels.get(str(cell or "").strip(), str(cell or "").strip()) for cell in rows[0]]
    return [{key: ("" if value is None else value) for key, value in zip(header, row)}
            for row in rows[1:] if any(value not in (None, "") for value in row)]


def power_link_set(*, actor, entry: PowerListEntry, items) -> PowerListEntry:
    """Link the entry to exactly these implementation items (of the entry's department or below, in use)."""
    require_permission(actor, "matters.change_powerlistentry")
    _check_department(actor, entry.department)
    items = list(items)
    wrong = [item.name for item in items
             if not can_see(actor, item) or item.status != MatterStatus.PUBLISHED]
    if wrong:
        raise ValidationError({"items": _("只能关联本部门在用的实施清单事项：%(n)s") % {"n": "、".join(wrong)}})
    wanted = {item.pk for item in items}
    with transaction.atomic():
        entry = PowerListEntry.objects.select_for_update().get(pk=entry.pk)
        current = set(entry.links.values_list("implementation_item_id", flat=True))
        entry.links.filter(implementation_item_id__in=current - wanted).delete()
        PowerItemLink.objects.bulk_create([PowerItemLink(entry=entry, implementation_item_id=pk, created_by=actor)
                                           for pk in wanted - current])
        if current != wanted:
            entry.save(update_fields=["updated_at"])
            audit_record(actor=actor, action="update", obj=entry,
                         changes={"links": [sorted(current), sorted(wanted)]})
            _send_back(entry)
    return entry


def linkable_items(*, user, entry: PowerListEntry):
    from apps.core.scope import restrict

    return (restrict(ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED), user)
            .filter(implementing_body__tree_path__startswith=entry.department.tree_path)
            .only("pk", "name", "implementation_code").order_by("implementation_code"))
