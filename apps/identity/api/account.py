"""Account APIs: change password (IDN-13.7), work-portal duplicate checks (IDN-14.3)."""
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.identity.api.permissions import IsStaffUser, model_permission
from apps.identity.services.password import duplicate_check, user_change_password


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
