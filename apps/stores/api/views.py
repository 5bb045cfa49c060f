"""Stores API (/api/v1/stores/): smart search, zones, recommendations, stores and proofs for the app and
mini-programs (public reads), the matter lookup and keyword associations for portal administrators."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.stores import selectors
from apps.stores.api import serializers as s
from apps.stores.models import KeywordAssociation, ProofListEntry, Zone, ZoneMatter
from apps.stores.selectors_search import smart_search
from apps.stores.services.search import keyword_association_delete, keyword_association_save
from apps.stores.services.zones import recommended_matter_lookup


def _bad(error: ValidationError) -> Response:
    return Response({"message": "输入有误", "errors": error.message_dict if hasattr(error, "error_dict")
                     else {"non_field_errors": error.messages}}, status=status.HTTP_400_BAD_REQUEST)


class SmartSearchApi(APIView):
    """STORE-2.f: segmented search of published guides, widened by keyword associations, in a division."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="stores_search", parameters=[s.SmartSearchQuerySerializer],
                   responses=s.SmartSearchResultSerializer)
    def get(self, request):
        query = s.SmartSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            found = smart_search(text=query.validated_data["q"], region_code=query.validated_data.get("region", ""),
                                 page=query.validated_data["page"])
        except ValidationError as error:
            return _bad(error)
        page = found.page
        return Response(s.SmartSearchResultSerializer({
            "q": found.text, "words": found.words, "terms": found.terms, "expansions": found.expansions,
            "related": found.related, "region": found.region.code if found.region else None,
            "count": page.count if page else 0, "relaxed": found.relaxed, "has_next": bool(page and page.has_next),
            "results": page.rows if page else []}).data)


class ZoneMatterListApi(generics.ListAPIView):
    """STORE-2.a/2.b/2.c: a zone's matter list, filterable by classification."""

    permission_classes = [AllowAny]
    serializer_class = s.ZoneMatterSerializer

    @extend_schema(parameters=[OpenApiParameter("classification", str, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):          # schema generation: no URL kwargs
            return ZoneMatter.objects.none()
        zone = self.kwargs["zone"]
        if zone not in Zone.values:
            raise NotFound("没有这个专区。")
        return selectors.zone_matters(zone, classification=self.request.query_params.get("classification", ""))


class RecommendedMatterListApi(generics.ListAPIView):
    """STORE-2.e: the recommendations in force today, in order (home page and user centre)."""

    permission_classes = [AllowAny]
    serializer_class = s.RecommendedMatterSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.current_recommendations()


class MatterLookupApi(APIView):
    """STORE-2.e: fetch a matter by its 33-digit code from the standardised matter library (auto-fill)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("code", str, required=True)], responses=s.MatterLookupSerializer)
    def get(self, request):
        if not request.user.has_perm("stores.manage_recommendedmatter"):
            raise ApiPermissionDenied("您没有设置推荐事项的权限。")
        try:
            item = recommended_matter_lookup(matter_code=request.query_params.get("code", ""))
        except ValidationError as error:
            return _bad(error)
        return Response(s.MatterLookupSerializer({
            "id": item.pk, "implementation_code": item.implementation_code, "name": item.name,
            "implementing_body": item.implementing_body.name, "region_name": item.region.name,
            "matter_type": item.get_matter_type_display()}).data)


class FlagshipStoreListApi(generics.ListAPIView):
    """STORE-4.5: every published store."""

    permission_classes = [AllowAny]
    serializer_class = s.FlagshipStoreSerializer

    def get_queryset(self):
        return (selectors.FlagshipStore.objects.published().select_related("template")
                .order_by("level", "order", "id"))


class FlagshipStoreDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=s.FlagshipStoreDetailSerializer)
    def get(self, request, slug):
        store = selectors.published_store(slug)
        return Response(s.FlagshipStoreDetailSerializer(
            store, context={"services": selectors.store_services(store)}).data)


class ProofListApi(generics.ListAPIView):
    """STORE-2.h: proofs, `status=retained|voided`."""

    permission_classes = [AllowAny]
    serializer_class = s.ProofListEntrySerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, required=False, enum=["retained", "voided"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = ProofListEntry.objects.select_related("department").order_by("status", "name")
        wanted = self.request.query_params.get("status", "")
        return rows.filter(status=wanted) if wanted else rows


class KeywordAssociationListApi(generics.ListCreateAPIView):
    """STORE-2.f back office: keyword → associated words."""

    serializer_class = s.KeywordAssociationSerializer
    queryset = KeywordAssociation.objects.order_by("keyword")

    def list(self, request, *args, **kwargs):
        if not request.user.has_perm("stores.manage_keywordassociation"):
            raise ApiPermissionDenied("您没有维护搜索关键字关联的权限。")
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        data = request.data
        try:
            saved = keyword_association_save(actor=request.user, keyword=data.get("keyword", ""),
                                             associated_words=data.get("associated_words") or [],
                                             is_enabled=bool(data.get("is_enabled", True)), request=request)
        except ValidationError as error:
            return _bad(error)
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)


class KeywordAssociationDeleteApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        association = get_object_or_404(KeywordAssociation, pk=pk)
        try:
            keyword_association_delete(actor=request.user, association=association, request=request)
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class EnterpriseMessageListApi(generics.ListAPIView):
    """STORE-2.d: the logged-in enterprise's reminders (refreshed first), unread first; `?kind=`."""

    serializer_class = s.EnterpriseMessageSerializer

    @extend_schema(parameters=[OpenApiParameter("kind", str, required=False,
                                                enum=["case_progress", "licence", "policy", "feedback"])])
    def get(self, request, *args, **kwargs):
        from apps.stores.services.enterprise import enterprise_messages_refresh, require_enterprise

        try:
            require_enterprise(request.user)
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        enterprise_messages_refresh(user=request.user)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        from apps.stores.models import EnterpriseMessage

        if getattr(self, "swagger_fake_view", False):          # schema generation: no signed-in enterprise
            return EnterpriseMessage.objects.none()
        rows = EnterpriseMessage.objects.filter(enterprise=self.request.user).order_by("read_at", "-created_at", "-id")
        kind = self.request.query_params.get("kind", "")
        return rows.filter(kind=kind) if kind else rows


class EnterpriseMessageReadApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk):
        from apps.stores.services.enterprise import enterprise_message_read, require_enterprise

        try:
            require_enterprise(request.user)
            enterprise_message_read(user=request.user, message_id=pk)
        except PermissionDenied as error:
            raise NotFound(str(error)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
