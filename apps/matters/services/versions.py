"""Snapshots and field-by-field comparison of matter versions (MAT-2.1.3, 2.2.5, 5.5.2)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from apps.matters.models import CatalogueItem, MatterElements

# Editable scalar elements, in display order (the form, the snapshot and the diff share this list).
NOT_ELEMENTS = {"id", "level", "status", "version", "published_at", "created_by", "created_at", "updated_at"}
ELEMENT_FIELDS = [f.name for f in MatterElements._meta.get_fields() if f.concrete and f.name not in NOT_ELEMENTS]
CHILD_SETS = {
    "situations": ("situations", ["name", "conditions"], "办理情形"),
    "materials": ("materials", ["name", "is_required", "original_copies", "photocopy_copies", "source",
                                           "is_proof", "situation_name"], "申请材料"),
    "steps": ("steps", ["name", "is_acceptance", "step_limit_working_days", "description"], "办理环节"),
    "fees": ("fees", ["name", "amount_fen", "basis"], "收费项目"),
}
CODE_FIELDS = {"catalogue": ["basic_code"], "implementation": ["basic_code", "implementation_code"]}


def _scalar(item, name: str) -> Any:
    field = MatterElements._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        related = getattr(item, name)
        return {"id": related.pk, "label": str(related)} if related is not None else None
    return getattr(item, name)


def matter_snapshot(item) -> dict:
    """Every element of `item`, children included, as JSON-ready data."""
    data = {name: _scalar(item, name) for name in ELEMENT_FIELDS}
    for name in CODE_FIELDS[item.kind]:
        data[name] = getattr(item, name)
    for key, (related, fields, _label) in CHILD_SETS.items():
        rows = getattr(item, related).all()
        if key == "materials":
            rows = rows.select_related("situation")
        data[key] = [{f: getattr(row, f) for f in fields} for row in rows]
    return data


@dataclass
class DiffRow:
    field: str
    label: str
    old: str
    new: str
    changed: bool


def _label(field: str) -> str:
    if field in CHILD_SETS:
        return CHILD_SETS[field][2]
    try:
        return str(CatalogueItem._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 — implementation-only field
        from apps.matters.models import ImplementationItem

        return str(ImplementationItem._meta.get_field(field).verbose_name)


def _display(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "label" in value:
        return value["label"]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "\n".join("；".join(_display(k, v) for k, v in row.items()) for row in value) or "—"
    if field in ELEMENT_FIELDS:
        choices = dict(MatterElements._meta.get_field(field).flatchoices)
        if choices:
            return str(choices.get(value, value))
    return str(value)


def _comparable(value: Any) -> Any:
    return value["id"] if isinstance(value, dict) and "id" in value else value


def version_diff(old: dict, new: dict) -> list[DiffRow]:
    """Field-by-field comparison of two snapshots; `changed` marks the rows to highlight."""
    rows = []
    for field in list(new.keys() | old.keys()):
        before, after = old.get(field), new.get(field)
        rows.append(DiffRow(field, _label(field), _display(field, before), _display(field, after),
                            _comparable(before) != _comparable(after)))
    order = {name: i for i, name in enumerate([*CODE_FIELDS["implementation"], *ELEMENT_FIELDS, *CHILD_SETS])}
    return sorted(rows, key=lambda row: order.get(row.field, 999))


def changed_fields(old: dict, new: dict) -> list[str]:
    return [row.field for row in version_diff(old, new) if row.changed]
