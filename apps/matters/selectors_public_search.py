"""The public guide search in plain SQL (decisions 0105, 0106): the API's cold path without ORM
compilation or FilterSet construction, as ONE server-side prepared statement per filter shape that returns
the page as JSON text, the bounded count and (above the bound) PostgreSQL's estimate in one round trip.

`search_filters` reads the five parameters exactly as `filters.PublicGuideFilterSet` does (stripped,
empty = no filter); a value the FilterSet would refuse (a non-numeric department, an unknown matter
type) returns None and the caller falls back to the FilterSet path, which answers 400 as before.
`guide_search_page_sql` then builds the same WHERE clause the FilterSet builds — tests compare both
paths on a matrix of parameters (tests/test_public_read.py)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from django.db import DatabaseError, connection
from django.utils.translation import get_language
from psycopg2 import errors as pg_errors

from apps.core.models.regions import prefix_of_code
from apps.matters.models import MatterStatus, MatterType
from apps.matters.selectors_public import GuidePage, _two_figures

_MATTER_TYPES = frozenset(MatterType.values)
PREPARED_ATTR = "_matters_search_prepared"   # on the DatabaseWrapper: (raw connection, {names})


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


# One row of the answer, in the key order the ORM path yields (values() fields, annotations, then the
# keys `selectors_public._finish` adds). `$L` is the per-language label map (a json parameter).
_ROW_JSON = ("json_build_object('id', h.id, 'name', h.name, 'implementation_code', h.implementation_code,"
             " 'basic_code', h.basic_code, 'matter_type', h.matter_type, 'theme', h.theme,"
             " 'is_immediate', h.is_immediate, 'statutory_limit_working_days', h.statutory_limit_working_days,"
             " 'committed_limit_working_days', h.committed_limit_working_days,"
             " 'online_handling_url', h.online_handling_url, 'version', h.version, 'region_code', h.region_id,"
             " 'region_name', h.region_name, 'department', h.department, 'implementing_body', h.body,"
             " 'matter_type_display', coalesce($L::json ->> h.matter_type::text, ''))")
_PAGE = ("SELECT i.id, i.name, i.implementation_code, i.basic_code, i.matter_type, i.theme, i.is_immediate,"
         " i.statutory_limit_working_days, i.committed_limit_working_days, i.online_handling_url, i.version,"
         " i.region_id, r.name AS region_name, d.name AS department, b.name AS body"
         " FROM matters_implementationitem i JOIN core_region r ON r.code = i.region_id"
         " JOIN core_organisation d ON d.id = i.handling_department_id"
         " JOIN core_organisation b ON b.id = i.implementing_body_id")


def _shape(filters: SearchFilters) -> tuple:
    """What decides the SQL text: which filters are present (not their values)."""
    q = "" if not filters.q else ("ascii" if filters.q.isascii() else "name")
    region = None if filters.region_prefix is None else bool(filters.region_prefix)
    return (q, filters.department is not None, region, bool(filters.theme), bool(filters.matter_type))


def _values(filters: SearchFilters) -> list:
    """The filter parameters, in the order `_where` numbers them."""
    values = []
    if filters.q:
        values.append(f"%{_like_escaped(filters.q)}%")
        if filters.q.isascii():
            values.append(f"{_like_escaped(filters.q.upper())}%")
    if filters.department is not None:
        values.append(filters.department)
    if filters.region_prefix:
        values.append(f"{_like_escaped(filters.region_prefix)}%")
    if filters.theme:
        values.append(filters.theme)
    if filters.matter_type:
        values.append(filters.matter_type)
    return values


def _where(shape: tuple) -> tuple[str, list[str]]:
    """The WHERE clause PublicGuideFilterSet produces for this shape (published; q by name, and by code
    prefix when the term is ASCII; department as handling department or implementing body; region by
    prefix), with $1…$n for the values and their types. The status is a literal so that the partial
    indexes (WHERE status = 'published') serve generic plans too."""
    q, department, region, theme, matter_type = shape
    clauses, types = [f"i.status = '{MatterStatus.PUBLISHED}'"], []

    def arg(kind: str) -> str:
        types.append(kind)
        return f"${len(types)}"

    if q:
        # the same rows as UPPER(name) LIKE UPPER($1), matched among the distinct names first (decision 0107)
        name = (f"UPPER(i.name::text) IN (SELECT n.upper_name FROM matters_itemname n"
                f" WHERE n.upper_name LIKE UPPER({arg('text')}))")
        if q == "ascii":
            code = arg("text")
            clauses.append(f"({name} OR i.basic_code::text LIKE {code} OR i.implementation_code::text LIKE {code})")
        else:
            clauses.append(name)
    if department:
        dept = arg("bigint")
        clauses.append(f"(i.handling_department_id = {dept} OR i.implementing_body_id = {dept})")
    if region is False:
        clauses.append("FALSE")
    elif region:
        clauses.append(f"i.region_id::text LIKE {arg('text')}")
    if theme:
        clauses.append(f"i.theme::text = {arg('text')}")
    if matter_type:
        clauses.append(f"i.matter_type::text = {arg('text')}")
    return " WHERE " + " AND ".join(clauses), types


@dataclass(frozen=True)
class _Statement:
    name: str
    prepare: str          # PREPARE text ('%' doubled: it is sent with client-side parameters)
    execute: str          # EXECUTE name(%s, …)


@lru_cache(maxsize=None)
def _statement(shape: tuple) -> _Statement:
    """The prepared statement of one filter shape. Its parameters: the filter values, then the label
    map, LIMIT (page size + 1), OFFSET, page size and the count bound (COUNT_EXACT_UP_TO + 1).
    One round trip answers: rows on the page (+1), the matches counted up to the bound, PostgreSQL's
    row estimate for the filter when the bound is reached (matters_plan_rows, migration 0010), and the
    page's rows as one JSON array text."""
    where, types = _where(shape)
    n = len(types)
    labels, limit, offset, size, bound = (f"${n + k}" for k in range(1, 6))
    # EXPLAIN's text for the estimate: the same WHERE with the values quoted in by format().
    template = (f"SELECT 1 FROM matters_implementationitem i{where}".replace("'", "''")
                .replace("%", "%%"))
    for k in range(n, 0, -1):
        template = template.replace(f"${k}", f"%{k}$L")
    estimate = (f"matters_plan_rows(format('{template}'{''.join(f', ${k}' for k in range(1, n + 1))}))")
    found = f"SELECT i.id, i.implementation_code FROM matters_implementationitem i{where} LIMIT {bound}"
    walk = f"SELECT i.id, i.implementation_code FROM matters_implementationitem i{where}"
    total = "(SELECT count(*) FROM found)"
    # One scan of the matches (up to the bound, unordered) gives the count; when it holds every match the
    # page is sorted out of it, else (more than COUNT_EXACT_UP_TO matches) the page walks the code index.
    sql = (f"WITH found AS MATERIALIZED ({found}),"
           f" page AS MATERIALIZED ((SELECT id, implementation_code FROM found WHERE {total} < {bound}"
           f" ORDER BY implementation_code LIMIT {limit} OFFSET {offset})"
           f" UNION ALL ({walk} AND {total} >= {bound} ORDER BY i.implementation_code LIMIT {limit} OFFSET {offset}))"
           f" SELECT (SELECT count(*) FROM page), c, CASE WHEN c >= {bound} THEN {estimate} END,"
           f" (SELECT json_agg({_ROW_JSON.replace('$L', labels)} ORDER BY h.implementation_code)"
           f" FROM (SELECT p.id FROM page p ORDER BY p.implementation_code LIMIT {size}) p"
           f" JOIN ({_PAGE}) h ON h.id = p.id)::text FROM (SELECT {total} AS c) counted")
    types = [*types, "json", "bigint", "bigint", "bigint", "bigint"]
    name = "matters_search_" + hashlib.sha1(sql.encode()).hexdigest()[:16]
    prepare = f"PREPARE {name} ({', '.join(types)}) AS {sql}"
    return _Statement(name=name, prepare=prepare.replace("%", "%%"),
                      execute=f"EXECUTE {name}({', '.join(['%s'] * len(types))})")


@lru_cache(maxsize=16)
def _labels_json(language: str | None) -> str:
    """The matter type labels of one language as JSON, computed once per language per process."""
    return json.dumps({value: str(label) for value, label in MatterType.choices}, ensure_ascii=False)


def _prepared_names() -> set:
    """The statements prepared on the current database session. Kept on the connection wrapper
    together with the driver connection they were prepared on: a reconnect (new driver connection)
    starts an empty set, so the next search prepares again."""
    connection.ensure_connection()
    raw = connection.connection
    state = getattr(connection, PREPARED_ATTR, None)
    if state is None or state[0] is not raw:
        state = (raw, set())
        setattr(connection, PREPARED_ATTR, state)
    return state[1]


def _run(statement: _Statement, args: list) -> tuple:
    """EXECUTE the statement, preparing it first in the same round trip when this session lacks it."""
    names = _prepared_names()
    with connection.cursor() as cursor:
        if statement.name in names:
            try:
                cursor.execute(statement.execute, args)
                return cursor.fetchone()
            except DatabaseError as error:
                if not isinstance(error.__cause__, pg_errors.InvalidSqlStatementName):
                    raise
                # The session lost it (DISCARD/DEALLOCATE behind our back): outside a transaction the
                # statement failed alone, so prepare again; inside one, the transaction is aborted anyway.
                names.discard(statement.name)
                if connection.in_atomic_block:
                    raise
        try:
            cursor.execute(f"{statement.prepare}; {statement.execute}", args)
        except DatabaseError as error:
            names.add(statement.name)        # PREPARE outlives a failed EXECUTE and any rollback
            if not isinstance(error.__cause__, pg_errors.DuplicatePreparedStatement):
                raise
            # Prepared by an earlier round trip whose EXECUTE failed (PREPARE outlives the error and
            # any rollback): record it; outside a transaction run the EXECUTE alone.
            if connection.in_atomic_block:
                raise
            cursor.execute(statement.execute, args)
            return cursor.fetchone()
        names.add(statement.name)
        return cursor.fetchone()


@dataclass(frozen=True)
class JsonPage:
    """One page of the public search with its rows as JSON array text (built by PostgreSQL)."""

    results: str
    rows: int
    count: int
    count_exact: bool
    has_next: bool


def guide_search_json(filters: SearchFilters, *, page: int, page_size: int) -> JsonPage | None:
    """selectors_public.guide_search_page over SearchFilters, in one round trip: the page (one row more,
    to know whether a page follows), the matches counted up to COUNT_EXACT_UP_TO and, above it,
    PostgreSQL's estimate. None past the end."""
    from apps.matters import selectors_public

    offset = (page - 1) * page_size
    bound = selectors_public.COUNT_EXACT_UP_TO
    statement = _statement(_shape(filters))
    fetched, counted, estimate, results = _run(
        statement, [*_values(filters), _labels_json(get_language()), page_size + 1, offset, page_size, bound + 1])
    has_next = fetched > page_size
    rows = min(fetched, page_size)
    if not rows and page > 1:
        return None
    if not has_next:
        return JsonPage(results=results or "[]", rows=rows, count=offset + rows, count_exact=True, has_next=False)
    exact = counted <= bound
    if not exact:
        counted = max(_two_figures(int(estimate)), counted)
    return JsonPage(results=results, rows=rows, count=max(counted, offset + rows + 1), count_exact=exact,
                    has_next=True)


def guide_search_page_sql(filters: SearchFilters, *, page: int, page_size: int) -> GuidePage | None:
    """guide_search_json with the rows decoded (for callers that want dicts)."""
    found = guide_search_json(filters, page=page, page_size=page_size)
    if found is None:
        return None
    return GuidePage(rows=json.loads(found.results), count=found.count, count_exact=found.count_exact,
                     has_next=found.has_next)
