"""UKey client-side signing API (LIC-9.4, LIC-1.17): prepare → the client's UKey signs → complete.

The private key stays on the client; the server hands out the TBS_Sign and checks the signature."""

import base64
import binascii

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.scope import restrict

from ..models import Licence, Seal, SigningCertificate
from ..ofd.sign import StampPosition
from ..ratelimit import allow, client_ip
from ..services.client_signing import client_sign_complete, client_sign_prepare
from ..services.signing import MAX_DOCUMENT_BYTES
from ..services.web_signing import web_sign_prepare, web_verify


class LicenceUKeyPrepareRequestSerializer(serializers.Serializer):
    seal = serializers.IntegerField(help_text="印章 ID")
    certificate = serializers.IntegerField(help_text="UKey 证书 ID（持有人为当前用户）")
    document = serializers.FileField(required=False, help_text="待签 OFD；与 licence 二选一")
    licence = serializers.IntegerField(required=False, help_text="待盖章证照 ID（分散式盖章）")
    form = serializers.DictField(required=False, help_text="网页签章：表单数据（LIC-9.6）")
    form_name = serializers.CharField(required=False, max_length=100, help_text="网页签章：表单名称")
    page = serializers.IntegerField(min_value=0, default=0)
    x = serializers.FloatField(min_value=0, default=0)
    y = serializers.FloatField(min_value=0, default=0)

    def validate(self, attrs):
        if sum(bool(attrs.get(k)) for k in ("document", "licence", "form")) != 1:
            raise serializers.ValidationError("请上传文件、指定证照或提交表单数据（三选一）。")
        return attrs


class LicenceUKeyPrepareResponseSerializer(serializers.Serializer):
    request_id = serializers.IntegerField()
    tbs = serializers.CharField(help_text="待 UKey 签名的 TBS_Sign（DER，Base64）")
    tbs_sm3 = serializers.CharField()


class LicenceUKeyCompleteRequestSerializer(serializers.Serializer):
    signature = serializers.CharField(help_text="UKey 对 TBS_Sign 的 SM2 签名（DER，Base64）")


class LicenceUKeyCompleteResponseSerializer(serializers.Serializer):
    log_id = serializers.IntegerField()
    document = serializers.CharField(help_text="已签章的 OFD（Base64）；网页签章时为 SES_Signature（DER，Base64）")


def _refusal(exc):
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


class LicenceUKeyPrepareApi(APIView):
    """客户端（UKey）签章第一步：服务器准备待签数据 TBS_Sign。"""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(request=LicenceUKeyPrepareRequestSerializer, responses=LicenceUKeyPrepareResponseSerializer,
                   tags=["licences"])
    def post(self, request):
        form = LicenceUKeyPrepareRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        seal = get_object_or_404(restrict(Seal.objects.all(), request.user), pk=data["seal"])
        certificate = get_object_or_404(SigningCertificate, pk=data["certificate"])
        licence = (get_object_or_404(restrict(Licence.objects.all(), request.user), pk=data["licence"])
                   if data.get("licence") else None)
        upload = data.get("document")
        if upload is not None and upload.size > MAX_DOCUMENT_BYTES:
            return Response({"detail": "文件超过 20MB。"}, status=status.HTTP_400_BAD_REQUEST)
        position = StampPosition(data["page"], data["x"], data["y"], seal.width_mm, seal.height_mm)
        try:
            if data.get("form"):
                signing, tbs = web_sign_prepare(actor=request.user, seal=seal, certificate=certificate,
                                                form_name=data.get("form_name", ""), data=data["form"])
                return Response({"request_id": signing.pk, "tbs": base64.b64encode(tbs).decode(),
                                 "tbs_sm3": signing.tbs_sm3})
            signing, tbs = client_sign_prepare(actor=request.user, seal=seal, certificate=certificate,
                                               position=position, data=upload.read() if upload else None,
                                               licence=licence, document_name=upload.name if upload else "")
        except (PermissionDenied, ValidationError) as exc:
            return _refusal(exc)
        return Response({"request_id": signing.pk, "tbs": base64.b64encode(tbs).decode(), "tbs_sm3": signing.tbs_sm3})


class LicenceUKeyCompleteApi(APIView):
    """客户端（UKey）签章第二步：提交 UKey 签名，服务器验签并生成 SES_Signature。"""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(request=LicenceUKeyCompleteRequestSerializer, responses=LicenceUKeyCompleteResponseSerializer,
                   tags=["licences"])
    def post(self, request, request_id: int):
        form = LicenceUKeyCompleteRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            signature = base64.b64decode(form.validated_data["signature"], validate=True)
        except (binascii.Error, ValueError):
            return Response({"detail": "签名不是有效的 Base64。"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            signed, log = client_sign_complete(actor=request.user, request_id=request_id, signature=signature,
                                               ip_address=client_ip(request))
        except (PermissionDenied, ValidationError) as exc:
            return _refusal(exc)
        return Response({"log_id": log.pk, "document": base64.b64encode(signed).decode()})


class LicenceWebSignVerifyRequestSerializer(serializers.Serializer):
    form = serializers.DictField(help_text="页面显示的表单数据")
    signature = serializers.CharField(help_text="SES_Signature（DER，Base64）")


class LicenceWebSignVerifyStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class LicenceWebSignVerifyResponseSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    steps = LicenceWebSignVerifyStepSerializer(many=True)


class LicenceWebSignVerifyApi(APIView):
    """网页签章验证：表单数据 + 签章值 → 逐项检查结果。无需登录，限流。"""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [JSONParser]

    @extend_schema(request=LicenceWebSignVerifyRequestSerializer, responses=LicenceWebSignVerifyResponseSerializer,
                   tags=["licences"])
    def post(self, request):
        if not allow(request, bucket="web-verify"):
            return Response({"detail": "请求过于频繁，请稍后再试。"}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        form = LicenceWebSignVerifyRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            signature = base64.b64decode(form.validated_data["signature"], validate=True)
        except (binascii.Error, ValueError):
            return Response({"detail": "签章值不是有效的 Base64。"}, status=status.HTTP_400_BAD_REQUEST)
        return Response(web_verify(data=form.validated_data["form"], signature=signature))
