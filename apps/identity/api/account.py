"""Account APIs: change password (IDN-13.7), work-portal user maintenance — add, modify and
duplicate checks (IDN-14.3)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.identity import selectors
from apps.identity.api.permissions import IsStaffUser, model_permission
from apps.identity.api.serializers import UserSerializer
from apps.identity.services.password import duplicate_check, user_change_password
from apps.identity.services.users import user_create, user_update


class IdentityPasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(style={"input_type": "password"})
    new_password = serializers.CharField(style={"input_type": "password"})


class IdentityDuplicateCheckSerializer(serializers.Serializer):
    field = serializers.CharField()
    duplicate = serializers.BooleanField()


class PasswordChangeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["identity"], summary="修改密码", request=IdentityPasswordChangeSerializer,
                   responses={204: None, 400: OpenApiResponse(description="原密码错误或新密码不符合要求")})
    def post(self, request):
        serializer = IdentityPasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user_change_password(user=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        return Response(status=204)


class DuplicateCheckApi(APIView):
    """The work portal checks a login name, ID number or mobile number before adding a user."""

    permission_classes = [IsStaffUser, model_permission("identity.add_user")]

    @extend_schema(tags=["identity"], summary="用户信息查重（登录名、身份证号、手机号）",
                   parameters=[OpenApiParameter("value", str, required=True)],
                   responses=IdentityDuplicateCheckSerializer)
    def get(self, request, field):
        try:
            duplicate = duplicate_check(field=field, value=request.query_params.get("value", ""))
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        return Response({"field": field, "duplicate": duplicate})


class IdentityPortalUserWriteSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, required=False)
    password = serializers.CharField(required=False, write_only=True)
    organisation = serializers.IntegerField(required=False, allow_null=True)
    full_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    telephone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    mobile_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    kind = serializers.CharField(required=False)
    roles = serializers.ListField(child=serializers.IntegerField(), required=False)
    remarks = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


def _service(function, **kwargs):
    try:
        return function(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


class PortalUserCreateApi(APIView):
    """IDN-14.3: the provincial work portal adds a user (same rules as the user management page)."""

    permission_classes = [IsStaffUser, model_permission("identity.add_user")]

    @extend_schema(tags=["identity"], summary="工作门户新增用户", request=IdentityPortalUserWriteSerializer,
                   responses={201: UserSerializer})
    def post(self, request):
        serializer = IdentityPortalUserWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"kind": "staff", **serializer.validated_data}
        user = _service(user_create, data=data, actor=request.user)
        return Response(UserSerializer(user).data, status=201)


class PortalUserUpdateApi(APIView):
    """IDN-14.3: the work portal modifies a user inside the caller's data scope."""

    permission_classes = [IsStaffUser, model_permission("identity.change_user")]

    @extend_schema(tags=["identity"], summary="工作门户修改用户", request=IdentityPortalUserWriteSerializer,
                   responses={200: UserSerializer})
    def patch(self, request, pk: int):
        serializer = IdentityPortalUserWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k not in ("username", "password")}
        target = selectors.user_get(user=request.user, pk=pk)
        with transaction.atomic():
            user = _service(user_update, user=target, data=data, actor=request.user)
        return Response(UserSerializer(user).data)
