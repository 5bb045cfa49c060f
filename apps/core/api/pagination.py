"""Page-number pagination for every API list, and a variant for large lists that remembers the total.

On a table of a million rows the COUNT(*) behind "共 N 条" costs more than the page itself. A caller who
pages through a list sees the count computed on the first page; the following pages reuse it for
REMEMBER_COUNT_SECONDS (same user, same filters). The first page always counts afresh, so the total a
user sees after a change is never older than their last visit to page 1 (decision 0007).
"""
from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

REMEMBER_COUNT_SECONDS = 60


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class _RememberedCountPaginator(Paginator):
    """A Paginator whose count comes from the cache when the first page of the same list stored it."""

    def __init__(self, *args, count_key: str, first_page: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._count_key = count_key
        self._first_page = first_page

    @cached_property
    def count(self) -> int:
        if not self._first_page:
            remembered = cache.get(self._count_key)
            if remembered is not None:
                return remembered
        counted = super().count
        cache.set(self._count_key, counted, REMEMBER_COUNT_SECONDS)
        return counted


class RememberedCountPagination(StandardPagination):
    """StandardPagination for lists too large to COUNT on every page (see the module docstring)."""

    def paginate_queryset(self, queryset, request, view=None):
        self._count_key = self._key(request, view)
        self._first_page = request.query_params.get(self.page_query_param, "1") in ("", "1")
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page, *args, **kwargs):
        return _RememberedCountPaginator(object_list, per_page, *args, count_key=self._count_key,
                                         first_page=self._first_page, **kwargs)

    def _key(self, request, view) -> str:
        filters = sorted((name, tuple(values)) for name, values in request.query_params.lists()
                         if name != self.page_query_param)
        fingerprint = hashlib.blake2b(repr((type(view).__name__, filters)).encode(), digest_size=12).hexdigest()
        return f"api:count:{request.user.pk}:{fingerprint}"
