"""The public guide search in plain SQL (decision 0105): the API's cold path without ORM compilation or
FilterSet construction, which cost more than the query itself (≈ 4 ms of the ≈ 11 ms per request).

`search_filters` reads the five parameters exactly as `filters.PublicGuideFilterSet` does (stripped,
empty = no filter); a value the FilterSet would refuse (a non-numeric department, an unknown matter
type) returns None and the caller falls back to the FilterSet path, which answers 400 as before.
`guide_search_page_sql` then builds the same WHERE clause the FilterSet builds — tests compare both
paths on a matrix of parameters (tests/test_public_read.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection

from apps.core.models.regions import prefix_of_code
from apps.matters.models import MatterStatus, MatterType
from apps.matters.selectors_public import GuidePage, _two_figures, finish_rows

_MATTER_TYPES = frozenset(MatterType.values)
_COLUMNS = (  # (output key, SQL) in the order the ORM path's values() yields them (fields, then annotations)
    ("id", "i.id"), ("name", "i.name"), ("implementation_code", "i.implementation_code"),
    ("basic_code", "i.basic_code"), ("matter_type", "i.matter_type"), ("theme", "i.theme"),
    ("is_immediate", "i.is_immediate"), ("statutory_limit_working_days", "i.statutory_limit_working_days"),
    ("committed_limit_working_days", "i.committed_limit_working_days"),
    ("online_handling_url", "i.online_handling_url"), ("version", "i.version"), ("region_code", "i.region_id"),
    ("region_name", "r.name"), ("department", "d.name"), ("implementing_body_name", "b.name"),
)
_KEYS = tuple(key for key, _sql in _COLUMNS)
_SELECT = ("SELECT " + ", ".join(sql for _key, sql in _COLUMNS) +
           " FROM matters_implementationitem i JOIN core_region r ON r.code = i.region_id"
           " JOIN core_organisation d ON d.id = i.handling_department_id"
           " JOIN core_organisation b ON b.id = i.implementing_body_id")


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    department: int | None = None
    region_prefix: str | None = None     # "" = an invalid region code: matches nothing
    theme: str = ""
    matter_type: str = ""


def search_filters(params) -> SearchFilters | None:
    """The filters of a query string, or None when PublicGuideFilterSet would refuse it (→ 400 there)."""
    department = params.get("department", "").strip()
    if department and not department.isdigit():
        return None
    matter_type = params.get("matter_type", "")
    if matter_type and matter_type not in _MATTER_TYPES:
        return None
    region, region_prefix = params.get("region", "").strip(), None
    if region:
        try:
            region_prefix = prefix_of_code(region)
        except Exception:  # noqa: BLE001 — as filter_region: an invalid code matches nothing
            region_prefix = ""
    return SearchFilters(q=params.get("q", "").strip(), department=int(department) if department else None,
                         region_prefix=region_prefix, theme=params.get("theme", "").strip(), matter_type=matter_type)


def _like_escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(filters: SearchFilters) -> tuple[str, list]:
    """The WHERE clause PublicGuideFilterSet produces (published; q by name, and by code prefix when
    the term is ASCII; department as handling department or implementing body; region by prefix)."""
    clauses, params = ["i.status = %s"], [MatterStatus.PUBLISHED]
    if filters.q:
        name = "UPPER(i.name::text) LIKE UPPER(%s)"
        params.append(f"%{_like_escaped(filters.q)}%")
        if filters.q.isascii():
            code = f"{_like_escaped(filters.q.upper())}%"
            clauses.append(f"({name} OR i.basic_code::text LIKE %s OR i.implementation_code::text LIKE %s)")
            params += [code, code]
        else:
            clauses.append(name)
    if filters.department is not None:
        clauses.append("(i.handling_department_id = %s OR i.implementing_body_id = %s)")
        params += [filters.department, filters.department]
    if filters.region_prefix is not None:
        if not filters.region_prefix:
            clauses.append("FALSE")
        else:
            clauses.append("i.region_id::text LIKE %s")
            params.append(f"{_like_escaped(filters.region_prefix)}%")
    if filters.theme:
        clauses.append("i.theme = %s")
        params.append(filters.theme)
    if filters.matter_type:
        clauses.append("i.matter_type = %s")
        params.append(filters.matter_type)
    return " WHERE " + " AND ".join(clauses), params


def guide_search_page_sql(filters: SearchFilters, *, page: int, page_size: int) -> GuidePage | None:
    """selectors_public.guide_search_page over SearchFilters: the page (one row more, to know whether a
    page follows) and, only when one does, the bounded count / estimate. None past the end."""
    from apps.matters import selectors_public

    where, params = _where(filters)
    offset = (page - 1) * page_size
    with connection.cursor() as cursor:
        cursor.execute(f"{_SELECT}{where} ORDER BY i.implementation_code LIMIT %s OFFSET %s",
                       [*params, page_size + 1, offset])
        rows = [dict(zip(_KEYS, row)) for row in cursor.fetchall()]
        has_next = len(rows) > page_size
        rows = rows[:page_size]
        if not rows and page > 1:
            return None
        if not has_next:
            return GuidePage(rows=finish_rows(rows), count=offset + len(rows), count_exact=True, has_next=False)
        bound = selectors_public.COUNT_EXACT_UP_TO
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM matters_implementationitem i{where} LIMIT %s) s",
                       [*params, bound + 1])
        counted = cursor.fetchone()[0]
        exact = counted <= bound
        if not exact:
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM matters_implementationitem i{where}", params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            counted = max(_two_figures(int(plan[0]["Plan"]["Plan Rows"])), counted)
    count = max(counted, offset + len(rows) + 1)
    return GuidePage(rows=finish_rows(rows), count=count, count_exact=exact, has_next=True)
