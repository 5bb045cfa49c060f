"""Public read API of matters: guide search and guide detail (same source as the public site)."""
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics
from rest_framework.permissions import AllowAny

from apps.matters import selectors
from apps.matters.api.serializers import GuideDetailSerializer, GuideListSerializer
from apps.matters.filters import PublicGuideFilterSet


class GuideListApi(generics.ListAPIView):
    """Published implementation items, searchable by name/code (`q`), `department`, `region`, `theme`."""

    permission_classes = [AllowAny]
    serializer_class = GuideListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicGuideFilterSet

    def get_queryset(self):
        return selectors.public_guides()


class GuideDetailApi(generics.RetrieveAPIView):
    """One published matter guide with materials, steps, fees and situations."""

    permission_classes = [AllowAny]
    serializer_class = GuideDetailSerializer

    def get_object(self):
        return selectors.public_guide(self.kwargs["pk"])
