"""APIs for integrated systems (★ IDN-14): staff users for the matters system (14.1) and the
national hash values (14.4). Callers authenticate as a client system and need an API grant (5.4)."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.outbox import PeerPermanentError, PeerTemporaryError
from apps.core.validators import validate_credit_code, validate_id_number
from apps.identity.adapters.thirdparty import national_hash
from apps.identity.api.client_auth import ClientSystemAuthentication, HasApiGrant
from apps.identity.models import User, UserKind

TAG = "identity"


class IdentityStaffUserSerializer(serializers.ModelSerializer):
    platform_id = serializers.CharField(source="username", help_text="访问平台唯一标识（统一身份认证登录名）")
    organisation_name = serializers.CharField(source="organisation.name", default="")
    organisation_credit_code = serializers.CharField(source="organisation.credit_code", default="")
    region = serializers.CharField(source="organisation.region_id", default="")
    mobile_number = serializers.CharField(source="masked_mobile_number")

    class Meta:
        model = User
        fields = ["id", "platform_id", "full_name", "organisation_name", "organisation_credit_code", "region",
                  "mobile_number", "is_active"]


class StaffUsersApi(APIView):
    """IDN-14.1: the matters system reads staff users by platform identifier and organisation code."""

    authentication_classes = [ClientSystemAuthentication]
    permission_classes = [HasApiGrant]
    api_code = "staff-users"

    @extend_schema(tags=[TAG], summary="政务服务事项系统用户获取接口", parameters=[
        OpenApiParameter("platform_id", str, description="访问平台唯一标识（登录名）"),
        OpenApiParameter("credit_code", str, description="所属机构统一社会信用代码")],
        responses={200: IdentityStaffUserSerializer(many=True), 400: OpenApiResponse(description="缺少查询条件"),
                   401: OpenApiResponse(description="应用认证失败"), 403: OpenApiResponse(description="未授权")})
    def get(self, request):
        platform_id = request.query_params.get("platform_id", "").strip()
        credit_code = request.query_params.get("credit_code", "").strip().upper()
        if not platform_id and not credit_code:
            raise ValidationError({"non_field_errors": ["请提供访问平台唯一标识或所属机构信用代码。"]})
        users = User.objects.filter(kind=UserKind.STAFF).select_related("organisation").order_by("username")
        if platform_id:
            users = users.filter(username=platform_id)
        if credit_code:
            users = users.filter(organisation__credit_code=credit_code)
        return Response(IdentityStaffUserSerializer(users[:500], many=True).data)


class NationalUnavailable(APIException):
    status_code = 503
    default_detail = "国家政务服务平台暂时无法访问，请稍后再试。"


class IdentityHashSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "legal"])
    hash = serializers.CharField(help_text="国家散列值（十六进制）")


class _HashApi(APIView):
    authentication_classes = [ClientSystemAuthentication]
    permission_classes = [HasApiGrant]
    kind = ""
    parameter = ""

    def identifier(self, value: str) -> str:
        raise NotImplementedError

    def get(self, request):
        try:
            identifier = self.identifier(request.query_params.get(self.parameter, "").strip().upper())
        except DjangoValidationError as exc:
            raise ValidationError({self.parameter: exc.messages}) from None
        try:
            value = national_hash(kind=self.kind, identifier=identifier)
        except (PeerTemporaryError, PeerPermanentError):
            raise NationalUnavailable() from None
        return Response({"kind": self.kind, "hash": value})


class PersonHashApi(_HashApi):
    """IDN-14.4: the national personal hash value for an ID number."""

    api_code, kind, parameter = "hash-person", "person", "id_number"

    def identifier(self, value):
        validate_id_number(value)
        return value

    @extend_schema(tags=[TAG], summary="获取国家个人散列值", parameters=[OpenApiParameter("id_number", str, required=True)],
                   responses={200: IdentityHashSerializer, 400: OpenApiResponse(description="证件号码无效"),
                              503: OpenApiResponse(description="国家平台不可用")})
    def get(self, request):
        return super().get(request)


class LegalHashApi(_HashApi):
    """IDN-14.4: the national legal-person hash value for a credit code."""

    api_code, kind, parameter = "hash-legal", "legal", "credit_code"

    def identifier(self, value):
        validate_credit_code(value)
        return value

    @extend_schema(tags=[TAG], summary="获取国家法人散列值", parameters=[OpenApiParameter("credit_code", str, required=True)],
                   responses={200: IdentityHashSerializer, 400: OpenApiResponse(description="信用代码无效"),
                              503: OpenApiResponse(description="国家平台不可用")})
    def get(self, request):
        return super().get(request)
