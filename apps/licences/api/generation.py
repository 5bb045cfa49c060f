"""File generation service API (LIC-9.11) for connected business systems (header X-Business-Token)."""

import base64
import binascii

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..ratelimit import client_ip
from ..services.generation import FORMATS, document_convert, document_generate


class LicenceGenerateRequestSerializer(serializers.Serializer):
    business = serializers.SlugField(help_text="业务编码（签章规则）")
    data = serializers.DictField(help_text="版式字段的值")
    format = serializers.ChoiceField(choices=FORMATS, default="ofd")


class LicenceGenerateResponseSerializer(serializers.Serializer):
    ofd = serializers.CharField(required=False, help_text="已签章 OFD（Base64）")
    pdf = serializers.CharField(required=False, help_text="由已签章 OFD 生成的 PDF（Base64）")


class LicenceConvertRequestSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="OFD（Base64）")


class LicenceConvertResponseSerializer(serializers.Serializer):
    pdf = serializers.CharField(help_text="PDF（Base64）")


def _refusal(exc):
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


class LicenceGenerateApi(APIView):
    """文件生成服务（模板合成）：数据 + 签章模板版式 → 按签章规则盖章的 OFD / PDF。"""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [JSONParser]

    @extend_schema(request=LicenceGenerateRequestSerializer, responses=LicenceGenerateResponseSerializer,
                   tags=["licences"])
    def post(self, request):
        form = LicenceGenerateRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            files = document_generate(token=request.headers.get("X-Business-Token", ""),
                                      business_code=form.validated_data["business"], data=form.validated_data["data"],
                                      fmt=form.validated_data["format"], ip_address=client_ip(request))
        except (PermissionDenied, ValidationError) as exc:
            return _refusal(exc)
        return Response({kind: base64.b64encode(body).decode() for kind, body in files.items()})


class LicenceConvertApi(APIView):
    """文件生成服务（格式转换）：OFD → PDF。"""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [JSONParser]

    @extend_schema(request=LicenceConvertRequestSerializer, responses=LicenceConvertResponseSerializer,
                   tags=["licences"])
    def post(self, request):
        form = LicenceConvertRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            data = base64.b64decode(form.validated_data["document"], validate=True)
        except (binascii.Error, ValueError):
            return Response({"detail": "document 不是有效的 Base64。"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            pdf = document_convert(token=request.headers.get("X-Business-Token", ""), data=data)
        except (PermissionDenied, ValidationError) as exc:
            return _refusal(exc)
        return Response({"pdf": base64.b64encode(pdf).decode()})
