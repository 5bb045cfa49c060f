"""APIs of the third-party methods: Alipay quick login (IDN-1.3.3), face comparison for business
systems (IDN-1.3.4) and the secondary real-name checks (IDN-7.1, 7.2, 7.3, 7.5)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.crypto import mask_id_number, mask_mobile
from apps.identity.api.client_auth import ClientSystemAuthentication, HasApiGrant
from apps.identity.api.serializers import MeSerializer
from apps.identity.models import ExternalProvider, LoginMethod, VerificationMethod
from apps.identity.services.apis import business_require
from apps.identity.services.levels import real_name_verify
from apps.identity.services.signin import login_record
from apps.identity.services.thirdparty_login import alipay_quick_login, face_compare

TAG = "identity"


def drf_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})


class IdentityAlipayLoginRequestSerializer(serializers.Serializer):
    auth_code = serializers.CharField(max_length=128, help_text="用户在支付宝 APP 授权后得到的授权码")


class IdentityAlipayUserSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    user_name = serializers.CharField()
    is_certified = serializers.BooleanField()
    cert_no = serializers.CharField(help_text="脱敏")
    mobile = serializers.CharField(help_text="脱敏")


class IdentityAlipayLoginResponseSerializer(serializers.Serializer):
    alipay_user = IdentityAlipayUserSerializer()
    bound = serializers.BooleanField(help_text="是否已绑定本平台账号；未绑定时请引导用户注册")
    token = serializers.CharField(allow_null=True)
    user = MeSerializer(allow_null=True)


class AlipayLoginApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="支付宝快捷登录", request=IdentityAlipayLoginRequestSerializer,
                   responses={200: IdentityAlipayLoginResponseSerializer,
                              400: OpenApiResponse(description="授权码无效或支付宝授权未通过")})
    def post(self, request):
        serializer = IdentityAlipayLoginRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            business_require("alipay_login")
            record, user = alipay_quick_login(auth_code=serializer.validated_data["auth_code"])
        except DjangoValidationError as exc:
            raise drf_errors(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        token = None
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            login_record(user=user, method=LoginMethod.ALIPAY, provider=ExternalProvider.ALIPAY,
                         external_id=str(record.get("user_id", "")))
        alipay_user = {"user_id": str(record.get("user_id", "")), "user_name": record.get("user_name", ""),
                       "is_certified": bool(record.get("is_certified")),
                       "cert_no": mask_id_number(record.get("cert_no", "")), "mobile": mask_mobile(record.get("mobile", ""))}
        return Response({"alipay_user": alipay_user, "bound": user is not None, "token": token.key if token else None,
                         "user": MeSerializer(user).data if user else None})


class IdentityFaceCompareRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    id_number = serializers.CharField(max_length=32)
    image_base64 = serializers.CharField(help_text="人脸图像（Base64）")


class IdentityFaceCompareResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["match", "mismatch"])
    message = serializers.CharField()


class FaceCompareApi(APIView):
    """A business system sends a face image; it decides the login from the returned status."""

    authentication_classes = [ClientSystemAuthentication]
    permission_classes = [HasApiGrant]
    api_code = "face-compare"

    @extend_schema(tags=[TAG], summary="人脸识别比对", request=IdentityFaceCompareRequestSerializer,
                   responses={200: IdentityFaceCompareResponseSerializer,
                              401: OpenApiResponse(description="应用标识或密钥错误"),
                              403: OpenApiResponse(description="应用未获得接口授权")})
    def post(self, request):
        serializer = IdentityFaceCompareRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            return Response(face_compare(**serializer.validated_data))
        except DjangoValidationError as exc:
            raise drf_errors(exc) from None


class IdentityRealNameRequestSerializer(serializers.Serializer):
    auth_code = serializers.CharField(required=False, help_text="支付宝 / 电子社保卡授权码")
    user_type = serializers.CharField(required=False, help_text="出入境用户类型")
    document_type = serializers.CharField(required=False, help_text="出入境证件类型")
    document_number = serializers.CharField(required=False)
    image_base64 = serializers.CharField(required=False, help_text="人脸图像（出入境证件人脸核验）")


class IdentityRealNameResponseSerializer(serializers.Serializer):
    method = serializers.CharField()
    level_before = serializers.IntegerField()
    real_name_level = serializers.IntegerField()
    identity = serializers.DictField()


class RealNameVerifyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="二次实名认证（支付宝、出入境证件、出入境人脸、电子社保卡）",
                   request=IdentityRealNameRequestSerializer,
                   responses={200: IdentityRealNameResponseSerializer,
                              400: OpenApiResponse(description="认证未通过或身份不一致"),
                              403: OpenApiResponse(description="非自然人账号")})
    def post(self, request, method):
        serializer = IdentityRealNameRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if method not in VerificationMethod.values:
            raise ValidationError({"method": ["不支持的认证方式。"]})
        try:
            check = real_name_verify(user=request.user, method=method, data=serializer.validated_data)
        except DjangoValidationError as exc:
            raise drf_errors(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response({"method": check.method, "level_before": check.level_before,
                         "real_name_level": check.level_after, "identity": check.identity})
