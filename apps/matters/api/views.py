"""Public read API of matters: guide search and guide detail (same source as the public site).

Both answer from plain rows built in the database (selectors_public): no model instances and no
per-request serializer construction; the serializers document the shapes for the schema."""
import json

from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.core.api.lean import json_text_response, lean_read
from apps.matters import selectors
from apps.matters.api.serializers import GuideDetailSerializer, GuideListSerializer
from apps.matters.filters import PublicGuideFilterSet
from apps.matters.api.lean import COUNT_ESTIMATED_HEADER, guide_search_answer
from apps.matters.public_cache import cached
from apps.matters.services.public_guides import guide_document_for_read
from apps.matters.selectors_public import finish_rows, guide_rows_queryset


class GuideListApi(generics.ListAPIView):
    """Published implementation items, searchable by name/code (`q`), `department`, `region`, `theme`.

    `count` is exact up to 1,000 matches; above that it is an estimate and the response carries the
    header `X-Count-Estimated: true`. Follow `next` to page: it is always exact."""

    # A plain JSON GET is answered by the lean path (api/lean.py, decision 0105: no DRF dispatch, the
    # rendered page cached under the public generation key); other requests (browsable API, unusual
    # parameters, errors) go through DRF as before.

    permission_classes = [AllowAny]
    serializer_class = GuideListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicGuideFilterSet

    def dispatch(self, request, *args, **kwargs):
        if lean_read(request):
            answer = guide_search_answer(request)
            if answer is not None:
                body, exact = answer
                response = json_text_response(body)
                if not exact:
                    response[COUNT_ESTIMATED_HEADER] = "true"
                return response
        return super().dispatch(request, *args, **kwargs)

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

    # A JSON GET is answered straight from the stored guide document (decision 0104): one indexed
    # lookup, the stored text as the body, no DRF request/negotiation/serializer. Everything else — the
    # browsable API, other methods, a guide that is not published (404) — goes through DRF as before.

    permission_classes = [AllowAny]
    serializer_class = GuideDetailSerializer

    def dispatch(self, request, *args, **kwargs):
        if lean_read(request):
            self._looked_up = guide_document_for_read(kwargs["pk"])
            if self._looked_up is not None:
                return json_text_response(self._looked_up)
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(responses=GuideDetailSerializer)
    def get(self, request, *args, **kwargs):
        # the lean path already looked it up (and found nothing) for a JSON GET: no second lookup
        body = self._looked_up if hasattr(self, "_looked_up") else guide_document_for_read(self.kwargs["pk"])
        if body is None:
            raise Http404(_("办事指南不存在或未发布。"))
        return Response(json.loads(body))
