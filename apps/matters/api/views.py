"""Public read API of matters: guide search and guide detail (same source as the public site).

Both answer from plain rows built in the database (selectors_public): no model instances and no
per-request serializer construction; the serializers document the shapes for the schema."""
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.matters import selectors
from apps.matters.api.serializers import GuideDetailSerializer, GuideListSerializer
from apps.matters.filters import PublicGuideFilterSet
from apps.matters.public_cache import cached
from apps.matters.selectors_public import finish_rows, guide_detail_row, guide_rows_queryset


class GuideListApi(generics.ListAPIView):
    """Published implementation items, searchable by name/code (`q`), `department`, `region`, `theme`."""

    permission_classes = [AllowAny]
    serializer_class = GuideListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicGuideFilterSet

    def get_queryset(self):
        return selectors.public_guides()

    def list(self, request, *args, **kwargs):
        """The answer for one normalised query string is cached under the public generation key."""
        part = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.items()))
        return Response(cached("search", f"{request.get_host()}|{part}", self._page_data))

    def _page_data(self):
        rows = guide_rows_queryset(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        if page is None:
            return finish_rows(rows)
        return self.get_paginated_response(finish_rows(page)).data


class GuideDetailApi(generics.RetrieveAPIView):
    """One published matter guide with materials, steps, fees and situations."""

    permission_classes = [AllowAny]
    serializer_class = GuideDetailSerializer

    @extend_schema(responses=GuideDetailSerializer)
    def get(self, request, *args, **kwargs):
        pk = self.kwargs["pk"]
        row = cached("detail", str(pk), lambda: guide_detail_row(pk))
        if row is None:
            raise Http404(_("办事指南不存在或未发布。"))
        return Response(row)
