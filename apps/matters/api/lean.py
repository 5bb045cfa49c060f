"""The lean path of the public read API: a JSON GET answered without DRF's request wrapping, content
negotiation and renderers, for the two endpoints that must run at bench speed (decisions 0104, 0105).
The views stay DRF views (so the OpenAPI schema and the browsable API are unchanged); only their
`dispatch` short-cuts the plain JSON case."""
from __future__ import annotations

import json

from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.matters.public_cache import cached
from apps.matters.selectors_public_search import guide_search_json, search_filters

COUNT_ESTIMATED_HEADER = "X-Count-Estimated"
SEARCH_PARAMS = frozenset({"q", "department", "region", "theme", "matter_type", "page", "page_size"})
PAGE_SIZE, MAX_PAGE_SIZE = 20, 200          # apps.core.api.pagination.StandardPagination


def _page_size(request) -> int:
    """StandardPagination's rule: a positive `page_size` capped at 200, else the default 20."""
    value = request.GET.get("page_size")
    if value is None:
        return PAGE_SIZE
    try:
        size = int(value)
    except ValueError:
        return PAGE_SIZE
    return min(size, MAX_PAGE_SIZE) if size > 0 else PAGE_SIZE


def guide_search_answer(request) -> tuple[bytes, bool] | None:
    """(JSON bytes, count exact?) of one search page, from the cache or built; None sends the request
    down DRF's path: unknown parameters, a page number DRF would refuse or a page past the end (404),
    a filter that does not validate (400) — so those answers stay exactly DRF's."""
    params = request.GET
    if not SEARCH_PARAMS.issuperset(params.keys()) or any(len(params.getlist(k)) > 1 for k in params):
        return None
    page = params.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        return None
    part = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    return cached("search-json", f"{request.get_host()}|{request.is_secure()}|{part}",
                  lambda: _build(request, int(page), _page_size(request)))


def _build(request, page: int, page_size: int) -> tuple[bytes, bool] | None:
    """The answer bytes, built once (and cached as they are): the envelope around the JSON array text
    PostgreSQL returned for the page's rows."""
    filters = search_filters(request.GET)
    if filters is None:                      # PublicGuideFilterSet refuses it: DRF answers the 400
        return None
    found = guide_search_json(filters, page=page, page_size=page_size)
    if found is None:
        return None
    url = request.build_absolute_uri()
    previous = None
    if page > 1:
        previous = remove_query_param(url, "page") if page == 2 else replace_query_param(url, "page", page - 1)
    following = replace_query_param(url, "page", page + 1) if found.has_next else None
    head = f'{{"count":{found.count},"next":{_json(following)},"previous":{_json(previous)},"results":'
    return b"".join((head.encode(), found.results.encode(), b"}")), found.count_exact


def _json(value: str | None) -> str:
    return json.dumps(value, ensure_ascii=False)
