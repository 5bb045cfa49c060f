"""Fast public read side (MAT-2.2.14): the guide search rows and the guide detail as plain dicts,
built in the database — the detail (item, materials, steps, fees, situations) is ONE query with
JSON sub-selects, the search page one query plus the count. The shapes match
api/serializers.py (GuideListSerializer / GuideDetailSerializer), which document them."""
from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef
from django.db.models.functions import JSONObject

from apps.matters.models import (
    ApplicationMaterial, FeeItem, HandlingForm, ImplementationItem, MatterType, ProcessStep, Situation,
)

LIST_FIELDS = ("id", "name", "implementation_code", "basic_code", "matter_type", "region_code", "region_name",
               "department", "implementing_body", "theme", "is_immediate", "statutory_limit_working_days",
               "committed_limit_working_days", "online_handling_url", "version")
DETAIL_FIELDS = ("legal_basis", "acceptance_conditions", "handling_location", "handling_hours", "consultation_phone",
                 "supervision_phone", "handling_form", "is_charged", "fee_standard", "fee_basis", "result_name",
                 "quantity_limit", "service_targets", "cross_region_scope", "supports_appointment",
                 "supports_online_payment", "supports_express_delivery", "faq", "handling_process")
CHILDREN = {
    "materials": (ApplicationMaterial, {"name": "name", "is_required": "is_required",
                                        "original_copies": "original_copies", "photocopy_copies": "photocopy_copies",
                                        "source": "source", "is_proof": "is_proof", "situation": "situation_id"}),
    "steps": (ProcessStep, {"name": "name", "is_acceptance": "is_acceptance",
                            "step_limit_working_days": "step_limit_working_days", "description": "description"}),
    "fees": (FeeItem, {"name": "name", "amount_fen": "amount_fen", "basis": "basis"}),
    "situations": (Situation, {"id": "id", "name": "name", "conditions": "conditions"}),
}
_TYPE_LABELS = dict(MatterType.choices)
_FORM_LABELS = dict(HandlingForm.choices)


def _base(queryset=None):
    return (queryset if queryset is not None else ImplementationItem.objects.published()).annotate(
        region_code=F("region_id"), region_name=F("region__name"), department=F("handling_department__name"),
        implementing_body_name=F("implementing_body__name"))


def _list_values(queryset):
    return queryset.values(*(f for f in LIST_FIELDS if f not in ("implementing_body",)), "implementing_body_name")


def _finish(row: dict) -> dict:
    row["implementing_body"] = row.pop("implementing_body_name")
    row["matter_type_display"] = str(_TYPE_LABELS.get(row["matter_type"], ""))
    if "handling_form" in row:
        row["handling_form_display"] = str(_FORM_LABELS.get(row["handling_form"], ""))
    return row


def guide_rows(queryset) -> list[dict]:
    """Search rows for a (filtered, sliced) queryset of published implementation items."""
    return [_finish(row) for row in _list_values(_base(queryset))]


def guide_rows_queryset(queryset):
    """The values() queryset the paginator slices; rows still need `finish_rows`."""
    return _list_values(_base(queryset)).order_by("implementation_code")


def finish_rows(rows) -> list[dict]:
    return [_finish(dict(row)) for row in rows]


def guide_detail_row(pk) -> dict | None:
    """One published guide with its child rows, in one query; None when not published."""
    children = {name: ArraySubquery(model.objects.filter(implementation_item=OuterRef("pk")).order_by("order", "pk")
                                    .values(json=JSONObject(**fields)))
                for name, (model, fields) in CHILDREN.items()}
    row = (_base().filter(pk=pk).annotate(**{f"{name}_json": expr for name, expr in children.items()})
           .values(*(f for f in LIST_FIELDS if f != "implementing_body"), "implementing_body_name", *DETAIL_FIELDS,
                   *(f"{name}_json" for name in CHILDREN)).first())
    if row is None:
        return None
    for name in CHILDREN:
        row[name] = row.pop(f"{name}_json") or []
    return _finish(row)
