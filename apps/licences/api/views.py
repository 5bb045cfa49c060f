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
from .serializers import (
    LicenceSharedSerializer,
    SealAutoSignRequestSerializer, SealAutoSignResponseSerializer, SealStatusSerializer, SealVerifyReportSerializer,
    SealVerifyRequestSerializer,
)

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


class SealAutoSignApi(APIView):
    """服务端自动签章：已接入的业务系统（请求头 X-Business-Token）按签章规则批量签章。"""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser]

    @extend_schema(request=SealAutoSignRequestSerializer, responses=SealAutoSignResponseSerializer, tags=["licences"])
    def post(self, request):
        import base64

        from django.core.exceptions import PermissionDenied, ValidationError

        from ..services.autosign import auto_sign

        form = SealAutoSignRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        uploads = form.validated_data["documents"]
        if any(u.size > MAX_DOCUMENT_BYTES for u in uploads):
            return Response({"documents": ["文件超过 20MB。"]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            signed = auto_sign(token=request.headers.get("X-Business-Token", ""),
                               business_code=form.validated_data["business"],
                               documents=[(u.name, u.read()) for u in uploads], ip_address=client_ip(request))
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as exc:
            return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"documents": [{"name": u.name, "content": base64.b64encode(data).decode()}
                                       for u, data in zip(uploads, signed)]})


class LicenceSharedApi(APIView):
    """证照共享下载（按证照标识）：已接入的业务系统（X-Business-Token）取有效证照的信息与 OFD 文件；
    未配置颁发机构模板映射（管理属性）的证照不共享。"""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=LicenceSharedSerializer, tags=["licences"])
    def get(self, request, licence_code: str):
        import base64

        from django.core.exceptions import PermissionDenied, ValidationError

        from ..models import Licence, LicenceStatus
        from ..services.grants import business_system_for_token
        from ..services.management import require_shareable

        try:
            business_system_for_token(request.headers.get("X-Business-Token", ""))
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        licence = (Licence.objects.select_related("issuer", "template")
                   .filter(licence_code=licence_code, status=LicenceStatus.VALID).first())
        if licence is None:
            return Response({"detail": "没有这个有效证照。"}, status=status.HTTP_404_NOT_FOUND)
        try:
            require_shareable(licence)
        except ValidationError as exc:
            return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_403_FORBIDDEN)
        return Response(LicenceSharedSerializer({
            "licence_code": licence.licence_code, "version": licence.version, "name": licence.name,
            "licence_number": licence.licence_number, "holder_name": licence.holder_name,
            "issuer_code": licence.issuer.credit_code, "valid_from": licence.valid_from,
            "valid_until": licence.valid_until,
            "ofd": base64.b64encode(licence.ofd_file.read()).decode() if licence.ofd_file else ""}).data)
