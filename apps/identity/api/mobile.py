"""APIs of 全省事APP and the WeChat mini programs (IDN-2.1 natural persons, 2.2 legal persons):
registration in two steps, login (password or SMS code), SMS codes, user info by ticket, and the
"four elements" completion. The same services as the website's pages."""
from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import (
    PermissionDenied,
    ValidationError,
)
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.identity.api.serializers import MeSerializer
from apps.identity.models import LoginMethod, RegistrationChannel, UserKind
from apps.identity.services import enterprise, registration
from apps.identity.services import login as login_services
from apps.identity.services.signin import login_record
from apps.identity.sso import tickets
from apps.identity.sso.claims import user_claims

TAG = "identity-mobile"
CHANNELS = [RegistrationChannel.APP, RegistrationChannel.MINI_PROGRAM]


def _call(function, **kwargs):
    try:
        return function(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


def _token_response(user, status=200):
    token, _ = Token.objects.get_or_create(user=user)
    return Response({"token": token.key, "user": MeSerializer(user).data}, status=status)


class IdentityMobilePersonSerializer(serializers.Serializer):
    id_type = serializers.CharField()
    name = serializers.CharField(max_length=64)
    id_number = serializers.CharField(max_length=32)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    valid_long_term = serializers.BooleanField(required=False, default=False)


class IdentityMobileLegalCheckSerializer(IdentityMobilePersonSerializer):
    enterprise_type = serializers.CharField()
    enterprise_name = serializers.CharField(max_length=128)
    credit_code = serializers.CharField(max_length=18)


class IdentityMobileVerificationSerializer(serializers.Serializer):
    verification_token = serializers.CharField(help_text="第一步核验通过后的凭证（30 分钟有效）")


class IdentityMobileAccountSerializer(serializers.Serializer):
    verification_token = serializers.CharField()
    username = serializers.CharField(max_length=150)
    mobile_number = serializers.CharField(max_length=11)
    password = serializers.CharField(write_only=True)
    home_region = serializers.CharField(max_length=12)
    sms_code = serializers.CharField(required=False, allow_blank=True, max_length=6)
    channel = serializers.CharField(default=RegistrationChannel.APP, help_text="注册渠道：app（全省事APP）或 mini_program（微信小程序）")

    def validate_channel(self, value):
        if value not in CHANNELS:
            raise serializers.ValidationError("注册渠道须为 app 或 mini_program。")
        return value


class IdentityMobileTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    user = MeSerializer()


class PersonCheckApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    kind = "person"

    @extend_schema(tags=[TAG], summary="自然人注册第一步：证件核验", request=IdentityMobilePersonSerializer,
                   responses={200: IdentityMobileVerificationSerializer, 400: OpenApiResponse(description="核验未通过")})
    def post(self, request):
        serializer = IdentityMobilePersonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"verification_token": _call(registration.registration_check_person,
                                                     data=serializer.validated_data)})


class LegalCheckApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="法人注册第一步：企业与法定代表人核验", request=IdentityMobileLegalCheckSerializer,
                   responses={200: IdentityMobileVerificationSerializer, 400: OpenApiResponse(description="核验未通过")})
    def post(self, request):
        serializer = IdentityMobileLegalCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"verification_token": _call(registration.registration_check_legal_person,
                                                     data=serializer.validated_data)})


class PersonRegisterApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="自然人注册第二步：账号信息", request=IdentityMobileAccountSerializer,
                   responses={201: IdentityMobileTokenSerializer, 400: OpenApiResponse(description="信息有误")})
    def post(self, request):
        serializer = IdentityMobileAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _call(registration.natural_person_register, verification_token=data["verification_token"],
                     data=dict(data), channel=data["channel"])
        return _token_response(user, status=201)


class LegalRegisterApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="法人注册第二步：账号信息与短信验证", request=IdentityMobileAccountSerializer,
                   responses={201: IdentityMobileTokenSerializer, 400: OpenApiResponse(description="信息有误")})
    def post(self, request):
        serializer = IdentityMobileAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _call(registration.legal_person_register, verification_token=data["verification_token"],
                     data=dict(data), channel=data["channel"])
        return _token_response(user, status=201)


class IdentityMobileSmsSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=["login", "legal_register"])
    mobile_number = serializers.CharField(max_length=11)
    verification_token = serializers.CharField(required=False, help_text="法人注册时必填")


class SmsCodeApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="发送短信验证码", request=IdentityMobileSmsSerializer,
                   responses={202: None, 400: OpenApiResponse(description="手机号未注册或与登记不一致")})
    def post(self, request):
        serializer = IdentityMobileSmsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["purpose"] == "login":
            _call(login_services.sms_login_send, mobile_number=data["mobile_number"])
        else:
            _call(registration.registration_sms_code_send, verification_token=data.get("verification_token", ""),
                  mobile_number=data["mobile_number"], flow="legal")
        return Response(status=202)


class IdentityMobileLoginSerializer(serializers.Serializer):
    username = serializers.CharField(required=False)
    password = serializers.CharField(required=False, write_only=True)
    mobile_number = serializers.CharField(required=False)
    sms_code = serializers.CharField(required=False)


class MobileLoginApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="登录（账号密码或短信验证码）", request=IdentityMobileLoginSerializer,
                   responses={200: IdentityMobileTokenSerializer, 400: OpenApiResponse(description="登录失败")})
    def post(self, request):
        serializer = IdentityMobileLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("mobile_number"):
            user = _call(login_services.sms_login, mobile_number=data["mobile_number"], code=data.get("sms_code", ""))
            method = LoginMethod.SMS
        else:
            username = login_services.resolve_login_name(data.get("username", ""))
            if login_services.login_is_locked(username):
                raise ValidationError({"non_field_errors": ["连续登录失败次数过多，账号已临时锁定，请稍后再试。"]})
            user = authenticate(request, username=username, password=data.get("password", ""))
            if user is None or user.kind == UserKind.STAFF:
                if username:
                    login_services.login_failure_record(username=username,
                                                        ip_address=request.META.get("REMOTE_ADDR"))
                raise ValidationError({"non_field_errors": ["用户名或密码错误。"]})
            login_services.login_failures_clear(username=username)
            method = LoginMethod.PASSWORD
        login_record(user=user, method=method)
        return _token_response(user)


class IdentityMobileTicketSerializer(serializers.Serializer):
    app_id = serializers.CharField()
    app_secret = serializers.CharField()
    ticket = serializers.CharField()


class TicketUserInfoApi(APIView):
    """IDN-2.1: 通过ticket获取用户信息 in one call (the ticket is used up)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="通过票据获取用户信息", request=IdentityMobileTicketSerializer,
                   responses={200: OpenApiResponse(description="用户信息"), 400: OpenApiResponse(description="票据无效"),
                              401: OpenApiResponse(description="应用认证失败")})
    def post(self, request):
        serializer = IdentityMobileTicketSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            client = tickets.client_authenticate(code=data["app_id"], secret=data["app_secret"])
        except DjangoPermissionDenied as exc:
            return Response({"detail": str(exc)}, status=401)
        found = _call(tickets._use, ticket=data["ticket"], kind="app", client=client)
        return Response(user_claims(found.user, client, acting_for=found.acting_for))


class IdentityMobileLegalElementsSerializer(IdentityMobilePersonSerializer):
    enterprise_name = serializers.CharField(max_length=128, required=False)
    credit_code = serializers.CharField(max_length=18, required=False)
    id_type = serializers.CharField(required=False)
    name = serializers.CharField(max_length=64, required=False)
    id_number = serializers.CharField(max_length=32, required=False)


class PersonElementsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="完善自然人四要素", request=IdentityMobilePersonSerializer,
                   responses={200: MeSerializer, 400: OpenApiResponse(description="核验未通过"),
                              403: OpenApiResponse(description="非自然人账号")})
    def post(self, request):
        serializer = IdentityMobilePersonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _call(enterprise.person_four_elements_complete, user=request.user, data=serializer.validated_data)
        return Response(MeSerializer(user).data)


class LegalElementsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="完善法人四要素（临时法人补充信用代码；正式法人更正企业信息）",
                   request=IdentityMobileLegalElementsSerializer,
                   responses={200: MeSerializer, 400: OpenApiResponse(description="核验未通过"),
                              403: OpenApiResponse(description="非法人账号")})
    def post(self, request):
        serializer = IdentityMobileLegalElementsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if user.kind != UserKind.LEGAL_PERSON:
            raise PermissionDenied("仅法人用户可以完善法人四要素。")
        if user.is_temporary_legal_person:
            user = _call(registration.legal_person_convert, user=user, credit_code=data.get("credit_code", ""),
                         actor=user)
        else:
            user = _call(enterprise.enterprise_info_change, user=user, data=data, actor=user)
        return Response(MeSerializer(user).data)
