"""The staff to-do list's GET as a lean view (decision 0503).

`GET /api/v1/supervision/complaints/?done=false&source=provincial&page=2` is the busiest staff call on a
table of a million complaints. Through DRF it cost ~13 ms of CPU per request of which ~1.5 ms was
PostgreSQL (docs/supervision-bench.md): the rest was DRF's dispatch, django-filter's form (deep copies
of its fields), the ORM compiling the same statement again and again, and per-row label lookups.

This module answers the common shape of that request — a staff caller, only the filters `source`,
`kind`, `status`, `done`, plus `page` / `page_size` — without any of that machinery, and with the
same answer byte for byte (tests in test_todo_lean.py):

* the caller is authenticated exactly as DRF would (the session user, else the kernel's
  `ScopedTokenAuthentication`); anything else (no or a bad credential) goes to the DRF view, which
  writes the error answer;
* the data scope is the kernel's `scope_filter(Complaint, user)`; its one prefix value is
  substituted into SQL the ORM compiled once per *filter shape* (scope lookup × filter values that
  the filter set itself validated the first time), so scope and filters mean exactly what they mean
  on the ORM path;
* the total is the one the kernel's RememberedCountPagination remembers (decision 0007), under the
  same cache key, so both paths share it;
* rows are plain tuples; labels are translated once per language, the mobile number decrypted
  and masked as before.

Anything the lean path does not know (other filters, several values for one name, a page that does not
exist, HTML wanted, a citizen caller, an empty scope) is handed to the DRF view unchanged.
"""
from __future__ import annotations

import json
import math

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.core.api.pagination import REMEMBER_COUNT_SECONDS, RememberedCountPagination
from apps.core.crypto import mask_mobile
from apps.core.scope import scope_filter
from apps.identity.authentication import ScopedTokenAuthentication
from apps.supervision.api.serializers import _CHOICES, COMPLAINT_LIST_VALUES, _moment
from apps.supervision.filters import ComplaintFilterSet
from apps.supervision.models import Complaint

LEAN_FILTERS = ("source", "kind", "status", "done")
PAGE, PAGE_SIZE = "page", "page_size"
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 200
_SENTINEL = "ZZLEANSCOPEZZ"        # stands for the scope value while the ORM compiles a shape
_MAX_SHAPES = 512
_TOKEN_AUTH = ScopedTokenAuthentication()
_COUNTER = RememberedCountPagination()


class _Shape:
    """One compiled filter shape: rows and count SQL with the scope value's parameter slot marked."""

    __slots__ = ("count_sql", "like", "params", "rows_sql", "slot")

    def __init__(self, rows_sql: str, count_sql: str, params: list, slot: int | None, like: bool):
        self.rows_sql, self.count_sql, self.params, self.slot, self.like = rows_sql, count_sql, params, slot, like

    def bind(self, scope_value: str | None) -> list:
        params = list(self.params)
        if self.slot is not None:
            value = connection.ops.prep_for_like_query(scope_value) if self.like else scope_value
            params[self.slot] = params[self.slot].replace(_SENTINEL, value)
        return params


_shapes: dict[tuple, _Shape] = {}
_labels: dict[str | None, dict] = {}


class _CountView:
    """Stands for the DRF view in the remembered-count key (the key names the view class)."""


_CountView.__name__ = "ComplaintListApi"


class _CountRequest:
    """What RememberedCountPagination's key reads from a DRF request."""

    __slots__ = ("query_params", "user")

    def __init__(self, query_params, user):
        self.query_params, self.user = query_params, user


def lean_todo_response(request):
    """The answer to a to-do list GET, or None when the DRF view must answer it."""
    query = request.GET
    if any(name not in LEAN_FILTERS and name not in (PAGE, PAGE_SIZE) for name in query) or \
            any(len(values) > 1 for _, values in query.lists()) or not _json_wanted(request):
        return None
    user = _authenticated(request)
    if user is None or not getattr(user, "is_staff_user", False) and not user.is_superuser:
        return None
    raw_page = query.get(PAGE, "")
    number = _page_number(raw_page)
    if number is None:
        return None
    scope = _scope(user)
    if scope is False:
        return None
    lookup, scope_value = scope
    shape = _shape(lookup, tuple(query.get(name) for name in LEAN_FILTERS))
    if shape is None:
        return None
    params = shape.bind(scope_value)
    per_page = _page_size(query.get(PAGE_SIZE))
    count = _count(request, user, shape, params, first_page=raw_page in ("", "1"))
    pages = max(1, math.ceil(count / per_page))
    if number > pages:
        return None                                   # DRF answers 404 "Invalid page."
    offset = (number - 1) * per_page
    limit = min(per_page, count - offset) if number == pages else per_page
    request.user = user
    body = {"count": count, "next": _link(request, number + 1) if number < pages else None,
            "previous": _link(request, number - 1) if number > 1 else None,
            "results": _rows(shape, params, limit, offset) if limit > 0 else []}
    return _json(body)


def _json_wanted(request) -> bool:
    """DRF would pick its JSON renderer (no HTML, no `; indent=` or other media type parameters)."""
    return all(part.strip() in ("", "*/*", "application/json")
               for part in request.META.get("HTTP_ACCEPT", "").split(","))


def _authenticated(request):
    """DRF's order: the session user (a safe method needs no CSRF check), then the token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_active:
        return user
    try:
        found = _TOKEN_AUTH.authenticate(request)
    except AuthenticationFailed:
        return None
    return found[0] if found else None


def _page_number(raw: str) -> int | None:
    if raw == "":
        return 1
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        return None
    return int(raw)


def _page_size(raw: str | None) -> int:
    """DRF's StandardPagination: a positive integer, at most 200; anything else means 20."""
    try:
        size = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE) if size > 0 else DEFAULT_PAGE_SIZE


def _scope(user):
    """(lookup, value) of the user's scope; (None, None) for no limit; False when not a prefix."""
    condition = scope_filter(Complaint, user)
    if condition is None:
        return None, None
    if condition.negated or len(condition.children) != 1 or not isinstance(condition.children[0], tuple):
        return False
    lookup, value = condition.children[0]
    if not isinstance(value, str) or not value or _SENTINEL in value:
        return False
    return lookup, value


def _shape(lookup: str | None, values: tuple) -> _Shape | None:
    key = (lookup, values)
    shape = _shapes.get(key)
    if shape is None:
        shape = _compile(lookup, dict(zip(LEAN_FILTERS, values)))
        if shape is None:
            return None
        if len(_shapes) >= _MAX_SHAPES:
            _shapes.clear()
        _shapes[key] = shape
    return shape


def _compile(lookup: str | None, data: dict) -> _Shape | None:
    """Compile a shape through the ORM path itself: the selector's queryset and the filter set (which
    validates the values; invalid ones go to DRF for its 400 answer)."""
    base = Complaint.objects.select_related("region", "department")
    if lookup is not None:
        base = base.filter(**{lookup: _SENTINEL})
    filterset = ComplaintFilterSet(data={k: v for k, v in data.items() if v is not None}, queryset=base)
    if not filterset.is_valid():
        return None
    queryset = filterset.qs
    rows_sql, params = queryset.values_list(*COMPLAINT_LIST_VALUES).query.sql_with_params()
    count_sql, count_params = queryset.order_by().values_list("pk").query.sql_with_params()
    if list(params) != list(count_params):
        return None
    slots = [n for n, p in enumerate(params) if isinstance(p, str) and _SENTINEL in p]
    if len(slots) != (0 if lookup is None else 1):
        return None
    like = bool(slots) and params[slots[0]] != _SENTINEL
    return _Shape(rows_sql + " LIMIT %s OFFSET %s", f"SELECT COUNT(*) FROM ({count_sql}) AS counted",
                  list(params), slots[0] if slots else None, like)


def _count(request, user, shape: _Shape, params: list, *, first_page: bool) -> int:
    """The total as RememberedCountPagination keeps it (decision 0007): page 1 counts and stores it."""
    key = _COUNTER._key(_CountRequest(request.GET, user), _CountView())
    if not first_page:
        remembered = cache.get(key)
        if remembered is not None:
            return remembered
    with connection.cursor() as cursor:
        cursor.execute(shape.count_sql, params)
        counted = cursor.fetchone()[0]
    cache.set(key, counted, REMEMBER_COUNT_SECONDS)
    return counted


_MOBILE = Complaint._meta.get_field("complainant_mobile")


def _rows(shape: _Shape, params: list, limit: int, offset: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(shape.rows_sql, [*params, limit, offset])
        rows = cursor.fetchall()
    labels = _labels_now()
    zone = timezone.get_current_timezone()
    source, kind, status = labels["source"], labels["kind"], labels["status"]
    result = []
    for (pk, case_number, title, src, knd, sts, department, region, name, mobile, email, submitted, deadline,
         item_code, item_name) in rows:
        mobile = _MOBILE.from_db_value(mobile, None, connection)
        result.append({
            "id": pk, "case_number": case_number, "title": title,
            "source": src, "source_display": source.get(src, src),
            "kind": knd, "kind_display": kind.get(knd, knd),
            "status": sts, "status_display": status.get(sts, sts),
            "department_name": department or "", "region_name": region,
            "complainant_name": name, "mobile": mask_mobile(mobile), "email": email,
            "submitted_at": _moment(submitted, zone), "deadline": _moment(deadline, zone),
            "item_code": item_code, "item_name": item_name,
        })
    return result


def _labels_now() -> dict:
    """Choice labels of the active language, translated once per process."""
    language = get_language()
    labels = _labels.get(language)
    if labels is None:
        labels = _labels[language] = {field: {value: str(label) for value, label in choices}
                                      for field, choices in _CHOICES}
    return labels


def _link(request, number: int) -> str:
    url = request.build_absolute_uri()
    return remove_query_param(url, PAGE) if number == 1 else replace_query_param(url, PAGE, number)


def _json(body: dict) -> HttpResponse:
    """As DRF's JSONRenderer writes it (compact, UTF-8, U+2028/2029 escaped), with DRF's headers."""
    text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    response = HttpResponse(text.encode(), content_type="application/json")
    response["Vary"] = "Accept"
    response["Allow"] = "GET, POST, HEAD, OPTIONS"
    return response
