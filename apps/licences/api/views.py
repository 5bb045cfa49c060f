"""Public API: verify a sealed OFD (LIC-8.6, 9.3) and read a seal's published status (LIC-8.1)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Seal
from ..ratelimit import allow, client_ip
from ..services.signing import MAX_DOCUMENT_BYTES, document_verify
from .serializers import SealStatusSerializer, SealVerifyReportSerializer, SealVerifyRequestSerializer

THROTTLED = {"detail": "请求过于频繁，请稍后再试。"}


class SealVerifyApi(APIView):
    """验章：上传 OFD，返回每个签章逐项检查结果。无需登录，按来源地址限流并记录。"""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser]

    @extend_schema(request=SealVerifyRequestSerializer, responses=SealVerifyReportSerializer, tags=["licences"])
    def post(self, request):
        if not allow(request, bucket="verify"):
            return Response(THROTTLED, status=status.HTTP_429_TOO_MANY_REQUESTS)
        form = SealVerifyRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["document"]
        if upload.size > MAX_DOCUMENT_BYTES:
            return Response({"document": ["文件超过 20MB。"]}, status=status.HTTP_400_BAD_REQUEST)
        report = document_verify(data=upload.read(), ip_address=client_ip(request), channel="api")
        return Response(SealVerifyReportSerializer(report).data)


class SealStatusApi(APIView):
    """电子印章状态发布：按印章编码查询状态。"""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=SealStatusSerializer, tags=["licences"])
    def get(self, request, es_id: str):
        if not allow(request, bucket="seal-status", limit=60):
            return Response(THROTTLED, status=status.HTTP_429_TOO_MANY_REQUESTS)
        seal = get_object_or_404(Seal.objects.select_related("organisation"), es_id=es_id)
        return Response(SealStatusSerializer(seal).data)
