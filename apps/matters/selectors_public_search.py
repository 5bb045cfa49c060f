"""The public guide search in plain SQL (decisions 0105, 0106): the API's cold path without ORM
compilation or FilterSet construction, as ONE server-side prepared statement per filter shape that returns
the page as JSON text, the bounded count and (above the bound) PostgreSQL's estimate in one round trip.

`search_filters` reads the five parameters exactly as `filters.PublicGuideFilterSet` does (stripped,
empty = no filter); a value the FilterSet would refuse (a non-numeric department, an unknown matter
type) returns None and the caller falls back to the FilterSet path, which answers 400 as before.
`guide_search_page_sql` then builds the same WHERE clause the FilterSet builds — tests compare both
paths on a matrix of parameters (tests/test_public_read.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language

from apps.core.models.regions import prefix_of_code
from apps.core.prepared import Prepared, fetch_one, prepared
from apps.matters.models import MatterStatus, MatterType
from apps.matters.selectors_public import GuidePage, _two_figures

_MATTER_TYPES = frozenset(MatterType.values)


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
    clauses, types = _clauses(shape)
    return " WHERE " + " AND ".join(clauses), types


_NAMES = "SELECT n.upper_name FROM matters_itemname n WHERE n.upper_name LIKE UPPER($1)"


def _clauses(shape: tuple, *, name_clause: str | None = None) -> tuple[list[str], list[str]]:
    """The clauses of `_where` and their parameter types. `name_clause` replaces the name match of a
    name-only term (q == "name"; its parameter stays $1)."""
    q, department, region, theme, matter_type = shape
    clauses, types = [f"i.status = '{MatterStatus.PUBLISHED}'"], []

    def arg(kind: str) -> str:
        types.append(kind)
        return f"${len(types)}"

    if q:
        # the same rows as UPPER(name) LIKE UPPER($1), matched among the distinct names first (decision 0107)
        arg("text")
        name = f"UPPER(i.name::text) IN ({_NAMES})"
        if q == "ascii":
            code = arg("text")
            clauses.append(f"({name} OR i.basic_code::text LIKE {code} OR i.implementation_code::text LIKE {code})")
        else:
            clauses.append(name_clause or name)
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
    return clauses, types


def _found_and_walk(shape: tuple, bound: str) -> tuple[str, str]:
    """The matches up to the bound (unordered) and the walk of the code index (ordered, no LIMIT).
    A name-only term reads the published items of each matching name by the partial UPPER(name) index
    (one index scan per name, LATERAL … OFFSET 0 keeps the planner from a join over all items); its walk
    checks each walked row's name against the matching names, so the walk stays an ordered index scan
    whatever the term (a generic plan knows no term): `IS TRUE` keeps the IN from being pulled up into a
    join, so it is one hashed lookup of the names matched once."""
    columns = "i.id, i.implementation_code"
    if shape[0] != "name":
        where = _where(shape)[0]
        return (f"SELECT {columns} FROM matters_implementationitem i{where} LIMIT {bound}",
                f"SELECT {columns} FROM matters_implementationitem i{where}")
    per_name = _clauses(shape, name_clause="UPPER(i.name::text) = n.upper_name")[0]
    found = (f"SELECT {columns} FROM matters_itemname n CROSS JOIN LATERAL (SELECT {columns}"
             f" FROM matters_implementationitem i WHERE {' AND '.join(per_name)} OFFSET 0) i"
             f" WHERE n.upper_name LIKE UPPER($1) LIMIT {bound}")
    walked = _clauses(shape, name_clause=f"(UPPER(i.name::text) IN ({_NAMES})) IS TRUE")[0]
    return found, f"SELECT {columns} FROM matters_implementationitem i WHERE {' AND '.join(walked)}"


@lru_cache(maxsize=None)
def _statement(shape: tuple) -> Prepared:
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
    found, walk = _found_and_walk(shape, bound)
    total = "(SELECT c FROM counted)"
    # One scan of the matches (up to the bound, unordered) gives the count; when it holds every match the
    # page is sorted out of it, else (more than COUNT_EXACT_UP_TO matches) the page walks the code index.
    sql = (f"WITH found AS MATERIALIZED ({found}), counted AS MATERIALIZED (SELECT count(*) AS c FROM found),"
           f" page AS MATERIALIZED ((SELECT id, implementation_code FROM found WHERE {total} < {bound}"
           f" ORDER BY implementation_code LIMIT {limit} OFFSET {offset})"
           f" UNION ALL ({walk} AND {total} >= {bound} ORDER BY i.implementation_code LIMIT {limit} OFFSET {offset}))"
           f" SELECT (SELECT count(*) FROM page), c, CASE WHEN c >= {bound} THEN {estimate} END,"
           f" (SELECT json_agg({_ROW_JSON.replace('$L', labels)} ORDER BY h.implementation_code)"
           f" FROM (SELECT p.id FROM page p ORDER BY p.implementation_code LIMIT {size}) p"
           f" JOIN ({_PAGE}) h ON h.id = p.id)::text FROM counted")
    return prepared("matters_search", sql, [*types, "json", "bigint", "bigint", "bigint", "bigint"],
                    plan_mode=_plan_mode(shape))


def _plan_mode(shape: tuple) -> str:
    """The plan a shape's EXECUTE uses (decision 0108). Planning the statement costs more than running it
    for most terms (~0.6 ms against ~0.4), so a shape whose best plan does not depend on its values runs
    one generic plan, planned once per session. A prefix match (region, the ASCII term's codes) needs its
    value to become an index range: those shapes keep PostgreSQL's choice (custom plans). Set before each
    EXECUTE (apps.core.prepared)."""
    q, _department, region, _theme, _matter_type = shape
    return "DEFAULT" if q == "ascii" or region else "force_generic_plan"


@lru_cache(maxsize=16)
def _labels_json(language: str | None) -> str:
    """The matter type labels of one language as JSON, computed once per language per process."""
    return json.dumps({value: str(label) for value, label in MatterType.choices}, ensure_ascii=False)


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
    fetched, counted, estimate, results = fetch_one(
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
