"""LeanFilterSet: django-filter's FilterSet without its per-request deep copies.

django-filter deep-copies every filter of the class on each request, then builds a new form class
from them, and Django's form deep-copies the fields once more. On a busy list API that is ~1 ms of
a ~7 ms request (docs/supervision-bench.md). The filters are only mutated by binding them to the
filter set (`model`, `parent`) and by caching their form field, so a shallow copy per request is
enough; and a form class whose fields do not depend on the request can be built once per class.
"""
from __future__ import annotations

import copy

import django_filters
from django.http import QueryDict


def _bound_copy(base_filter, model, filterset):
    """A per-request copy of a class-level filter, bound to `filterset`."""
    bound = copy.copy(base_filter)
    if base_filter.method is not None:
        bound.method = base_filter.method     # a FilterMethod of its own, resolving against `filterset`
    bound.model = model
    bound.parent = filterset
    return bound


class LeanFilterSet(django_filters.FilterSet):
    """A FilterSet that copies its filters shallowly and builds its form class once per class.

    A filter whose form field depends on the request (a callable `queryset`) keeps the form class
    per request, exactly as django-filter does."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _bound_copy(base, queryset.model, self) for name, base in self.base_filters.items()}

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_lean_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            if not self._fields_depend_on_request():
                cls._lean_form_class = form_class
        return form_class

    def _fields_depend_on_request(self) -> bool:
        return any(callable(f.extra.get("queryset")) or callable(f.extra.get("choices"))
                   for f in self.filters.values())
