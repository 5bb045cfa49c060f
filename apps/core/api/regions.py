"""API: regions (PORTAL-8.1) and data-source codes (PORTAL-7.9)."""
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.core.filters.regions import DataSourceCodeFilterSet, RegionFilterSet
from apps.core.models import DataSourceCode, Organisation, Region, RegionLevel
from apps.core.selectors.regions import data_source_code_list
from apps.core.services.datasources import (
    data_source_code_create, data_source_code_delete, data_source_code_update,
)


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, with `view_<model>` required for reads too."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map,
                 "GET": ["%(app_label)s.view_%(model_name)s"], "HEAD": ["%(app_label)s.view_%(model_name)s"]}


class ReadModelPermissions(ModelPermissions):
    """`view_<model>` for reads; writes are workflow steps whose services check permission and scope."""

    def has_permission(self, request, view):
        if request.method not in permissions.SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    parent_code = serializers.CharField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_display", "region_type", "parent_code", "is_enabled"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions are public reference data: not cut by data scope (docs/regions.md)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    lookup_field = "code"

    @extend_schema(responses=RegionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request, code=None):
        region = self.get_object()
        page = self.paginate_queryset(Region.objects.children_of(region))
        return self.get_paginated_response(RegionSerializer(page, many=True).data)


class DataSourceCodeSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level=RegionLevel.CITY),
                                          required=False, allow_null=True)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False,
                                                      allow_null=True)
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = DataSourceCode
        fields = ["id", "code", "name", "region", "organisation", "owner_name", "remarks", "is_enabled",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"code": {"validators": []}}    # uniqueness is the service's job (clear message)

    def get_owner_name(self, obj) -> str:
        return str(obj.owner)


class DataSourceCodeViewSet(viewsets.ModelViewSet):
    serializer_class = DataSourceCodeSerializer
    filterset_class = DataSourceCodeFilterSet
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = DataSourceCode.objects.none()        # for the permission class and the schema

    def get_queryset(self):
        return data_source_code_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = data_source_code_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        instance = data_source_code_update(data_source=instance, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(instance).data)

    def destroy(self, request, *args, **kwargs):
        data_source_code_delete(data_source=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("data-sources", DataSourceCodeViewSet, basename="datasource")
urlpatterns = router.urls
