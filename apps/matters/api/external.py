"""API of MAT-7.7 (the unified user centre posts organisation changes) and MAT-7.8 (the power-and-
responsibility list with its links, for the list owner and department systems). Token or session;
the caller's matters permissions and data scope apply."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.scope import restrict
from apps.matters.models import PowerItemLink, PowerListEntry
from apps.matters.services.org_sync import organisation_changes_receive


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied("您没有执行此操作的权限。")


class MattersPowerLinkSerializer(serializers.Serializer):
    implementation_code = serializers.CharField(source="implementation_item.implementation_code")
    name = serializers.CharField(source="implementation_item.name")


class MattersPowerEntrySerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name")
    department_credit_code = serializers.CharField(source="department.credit_code")
    power_type_label = serializers.CharField(source="get_power_type_display")
    links = MattersPowerLinkSerializer(many=True)

    class Meta:
        model = PowerListEntry
        fields = ["id", "code", "name", "power_type", "power_type_label", "department", "department_credit_code",
                  "region", "legal_basis", "responsibilities", "accountability", "links", "updated_at"]


class PowerEntryListApi(generics.ListAPIView):
    """权责清单 entries in the caller's scope with their linked implementation items (?q= name or code)."""

    serializer_class = MattersPowerEntrySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PowerListEntry.objects.none()
        _require(self.request, "matters.view_powerlistentry")
        links = Prefetch("links", PowerItemLink.objects.select_related("implementation_item").order_by("pk"))
        entries = restrict(PowerListEntry.objects.select_related("department"), self.request.user)
        q = self.request.query_params.get("q", "").strip()
        if q:
            entries = entries.filter(name__icontains=q) | entries.filter(code__icontains=q)
        return entries.prefetch_related(links).order_by("code")


class MattersOrgChangeRowSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=64)
    operation = serializers.ChoiceField(choices=["add", "modify", "delete"])
    credit_code = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=128, required=False)
    short_name = serializers.CharField(max_length=64, required=False)
    region = serializers.CharField(max_length=12, required=False)
    parent_credit_code = serializers.CharField(max_length=18, required=False)
    kind = serializers.CharField(max_length=32, required=False)


class MattersOrgChangeBatchSerializer(serializers.Serializer):
    changes = MattersOrgChangeRowSerializer(many=True)


class MattersOrgChangeReceiptSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    created = serializers.IntegerField()


class OrganisationChangeReceiveApi(APIView):
    """POST {"changes": [...]} from the unified user centre; all rows stored or none (400 with reasons)."""

    serializer_class = MattersOrgChangeBatchSerializer

    @extend_schema(operation_id="matters_org_changes_receive", request=MattersOrgChangeBatchSerializer,
                   responses=MattersOrgChangeReceiptSerializer)
    def post(self, request):
        _require(request, "matters.add_organisationchange")
        batch = MattersOrgChangeBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        try:
            receipt = organisation_changes_receive(rows=batch.validated_data["changes"])
        except ValidationError as error:
            raise ApiValidationError({"changes": error.messages}) from error
        return Response(MattersOrgChangeReceiptSerializer(receipt).data, status=status.HTTP_200_OK)
