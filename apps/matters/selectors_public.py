"""Fast public read side (MAT-2.2.14): the guide search rows and the guide detail as plain dicts,
built in the database — the detail (item, materials, steps, fees, situations) is ONE query with
JSON sub-selects, the search page one query plus the count. The shapes match
api/serializers.py (GuideListSerializer / GuideDetailSerializer), which document them."""
from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
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


# Totals up to this many matches are counted exactly; above it the search answer carries PostgreSQL's
# estimate, flagged as such (decision 0105).
COUNT_EXACT_UP_TO = 1000


@dataclass(frozen=True)
class GuidePage:
    """One page of the public search: finished rows, the total and whether it is exact."""

    rows: list
    count: int
    count_exact: bool
    has_next: bool


def guide_search_page(queryset, *, page: int, page_size: int) -> GuidePage | None:
    """Page `page` of a filtered queryset of published items, without a full COUNT: the page query
    reads one row more than the page to know whether another page follows; a page that reaches the
    end knows the total from its own offset; otherwise the total is counted up to COUNT_EXACT_UP_TO
    (`guide_count`). None when the page is past the end (the API answers 404, as DRF's paginator does)."""
    offset = (page - 1) * page_size
    rows = list(guide_rows_queryset(queryset)[offset:offset + page_size + 1])
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    if not rows and page > 1:
        return None
    if has_next:
        count, exact = guide_count(queryset)
        count = max(count, offset + len(rows) + (1 if has_next else 0))
    else:
        count, exact = offset + len(rows), True
    return GuidePage(rows=finish_rows(rows), count=count, count_exact=exact, has_next=has_next)


def guide_count(queryset) -> tuple[int, bool]:
    """(total, exact): the exact number of matches when it is at most COUNT_EXACT_UP_TO (a count that
    stops there), else PostgreSQL's row estimate for the filter, to two significant figures and never
    below the bound."""
    bounded = queryset.order_by()[:COUNT_EXACT_UP_TO + 1].count()
    if bounded <= COUNT_EXACT_UP_TO:
        return bounded, True
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return max(_two_figures(int(plan[0]["Plan"]["Plan Rows"])), bounded), False


def _two_figures(n: int) -> int:
    """An estimate is shown as one: 12,345 → 12,000."""
    step = 10 ** max(len(str(n)) - 2, 0)
    return round(n / step) * step


STAMPS = ("_updated_at", "_department_updated_at", "_body_updated_at")


def _stamped(queryset):
    """The source stamps a stored guide document is checked against (models/public.py)."""
    return queryset.annotate(_updated_at=F("updated_at"), _department_updated_at=F("handling_department__updated_at"),
                             _body_updated_at=F("implementing_body__updated_at"))


def _detail_rows(queryset):
    children = {name: ArraySubquery(model.objects.filter(implementation_item=OuterRef("pk")).order_by("order", "pk")
                                    .values(json=JSONObject(**fields)))
                for name, (model, fields) in CHILDREN.items()}
    rows = (_base(queryset).annotate(**{f"{name}_json": expr for name, expr in children.items()})
            .values(*(f for f in LIST_FIELDS if f != "implementing_body"), "implementing_body_name", *DETAIL_FIELDS,
                    *(f"{name}_json" for name in CHILDREN), *STAMPS))
    return rows


def _finish_detail(row: dict) -> dict:
    for name in CHILDREN:
        row[name] = row.pop(f"{name}_json") or []
    for name in STAMPS:                                # kept last: callers pop them before rendering
        row[name] = row.pop(name)
    return _finish(row)


def guide_detail_row(pk) -> dict | None:
    """One published guide with its child rows, in one query; None when not published. The row carries
    its source stamps (STAMPS), which callers pop before rendering it."""
    row = _detail_rows(_stamped(ImplementationItem.objects.published().filter(pk=pk))).first()
    return None if row is None else _finish_detail(row)


def guide_detail_rows(pks) -> list[dict]:
    """guide_detail_row for many items at once (published ones only), in one query."""
    queryset = _stamped(ImplementationItem.objects.published().filter(pk__in=list(pks)))
    return [_finish_detail(row) for row in _detail_rows(queryset).order_by("pk")]
