"""Sharing interfaces (LIC-2.3–2.6 gate; 5.2 query/preview/download, 5.3 national platform, 5.4 亮证,
5.5 city/department interfaces; 5.1 proxy). Every call names its interface, passes the gate (token, right,
validity, total and daily limits) and is logged; only mapped, valid licences are shared."""

from __future__ import annotations

import base64

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import sharing_selectors as sel
from ..ratelimit import client_ip
from ..services.sharing import SharingRefused, application_token_issue, sharing_admit, sharing_log_failure
from .sharing_serializers import (
    LicenceShareFileListSerializer, LicenceShareInfoListSerializer,
    LicenceShareInfoSerializer, LicenceShareTokenRequestSerializer, LicenceShareTokenSerializer,
    LicenceShareTypeListSerializer, LicenceShareVerifyRequestSerializer, LicenceShareVerifySerializer,
)

TAGS = ["licences-sharing"]
TOKEN_HEADER = OpenApiParameter("X-Share-Token", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)
HOLDER = OpenApiParameter("holder_code", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True)
NOT_FOUND = _("没有可共享的有效证照。")


class _ShareApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    interface = ""

    def admit(self, request, licence_code: str = ""):
        self.application = sharing_admit(token=request.headers.get("X-Share-Token", ""),
                                         interface_code=self.interface, ip=client_ip(request),
                                         licence_code=licence_code)

    def not_found(self, request, licence_code: str = ""):
        sharing_log_failure(application=self.application, interface_code=self.interface, ip=client_ip(request),
                            detail="not found", licence_code=licence_code)
        return Response({"detail": str(NOT_FOUND)}, status=404)

    def handle_exception(self, exc):
        if isinstance(exc, SharingRefused):
            return Response({"detail": exc.message}, status=exc.status)
        return super().handle_exception(exc)


class LicenceShareTokenApi(_ShareApi):
    """令牌发放：接入应用以系统名称和口令换取两小时有效的访问令牌。"""

    @extend_schema(request=LicenceShareTokenRequestSerializer, responses=LicenceShareTokenSerializer, tags=TAGS)
    def post(self, request):
        form = LicenceShareTokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        token, expires = application_token_issue(ip=client_ip(request), **form.validated_data)
        return Response({"token": token, "expires_in": expires})


class LicenceShareByHolderApi(_ShareApi):
    """按持证主体代码获取证照信息。"""

    interface = "licence-info"

    @extend_schema(parameters=[TOKEN_HEADER, HOLDER], responses=LicenceShareInfoListSerializer, tags=TAGS,
                   operation_id="licences_share_by_holder")
    def get(self, request):
        self.admit(request)
        rows = [sel.licence_info(x) for x in sel.shared_by_holder(request.query_params.get("holder_code", ""))]
        return Response(LicenceShareInfoListSerializer({"licences": rows}).data)


class LicenceShareInfoApi(_ShareApi):
    """按证照标识获取证照信息。"""

    interface = "licence-info"

    @extend_schema(parameters=[TOKEN_HEADER], responses=LicenceShareInfoSerializer, tags=TAGS)
    def get(self, request, licence_code: str):
        self.admit(request, licence_code)
        licence = sel.shared_by_code(licence_code)
        if licence is None:
            return self.not_found(request, licence_code)
        return Response(LicenceShareInfoSerializer(sel.licence_info(licence)).data)


class LicenceShareFileApi(_ShareApi):
    """按证照标识下载证照文件（OFD）。"""

    interface = "licence-download"

    @extend_schema(parameters=[TOKEN_HEADER], responses={(200, "application/ofd"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, licence_code: str):
        self.admit(request, licence_code)
        licence = sel.shared_by_code(licence_code)
        if licence is None:
            return self.not_found(request, licence_code)
        response = HttpResponse(sel.licence_ofd_bytes(licence), content_type="application/ofd")
        response["Content-Disposition"] = f'attachment; filename="{licence.licence_code}.ofd"'
        return response


class LicenceShareImageApi(_ShareApi):
    """亮证生成 / 按证照标识下载已转为图片的证照。"""

    interface = "licence-image"

    @extend_schema(parameters=[TOKEN_HEADER], responses={(200, "image/png"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, licence_code: str):
        self.admit(request, licence_code)
        licence = sel.shared_by_code(licence_code)
        if licence is None:
            return self.not_found(request, licence_code)
        return HttpResponse(sel.licence_image(licence), content_type="image/png")


class _HolderFilesApi(_ShareApi):
    content_type = ""

    def render(self, licence) -> bytes:
        raise NotImplementedError

    def get(self, request):
        self.admit(request)
        files = [{"licence_code": x.licence_code, "content_type": self.content_type,
                  "content": base64.b64encode(self.render(x)).decode()}
                 for x in sel.shared_by_holder(request.query_params.get("holder_code", ""))]
        return Response(LicenceShareFileListSerializer({"files": files}).data)


class LicenceShareHolderFilesApi(_HolderFilesApi):
    """按持证主体代码下载证照文件（OFD，Base64）。"""

    interface, content_type = "licence-download", "application/ofd"

    def render(self, licence) -> bytes:
        return sel.licence_ofd_bytes(licence)

    @extend_schema(parameters=[TOKEN_HEADER, HOLDER], responses=LicenceShareFileListSerializer, tags=TAGS)
    def get(self, request):
        return super().get(request)


class LicenceShareHolderImagesApi(_HolderFilesApi):
    """按持证主体代码下载已转为图片的证照（PNG，Base64）。"""

    interface, content_type = "licence-image", "image/png"

    def render(self, licence) -> bytes:
        return sel.licence_image(licence)

    @extend_schema(parameters=[TOKEN_HEADER, HOLDER], responses=LicenceShareFileListSerializer, tags=TAGS)
    def get(self, request):
        return super().get(request)


class LicenceShareVerifyApi(_ShareApi):
    """亮证核验 / 电子证照信息核验：按证照编号、证照类型和持证主体信息核对。"""

    interface = "licence-verify"
    DETAILS = {"match": _("证照有效，信息一致。"), "mismatch": _("持证主体信息与证照不符。"),
               "not_found": _("没有这个有效证照。")}

    @extend_schema(parameters=[TOKEN_HEADER], request=LicenceShareVerifyRequestSerializer,
                   responses=LicenceShareVerifySerializer, tags=TAGS)
    def post(self, request):
        self.admit(request)
        form = LicenceShareVerifyRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result, licence = sel.licence_check(**form.validated_data)
        body = {"result": result, "detail": str(self.DETAILS[result])}
        if licence is not None:
            body.update(licence_code=licence.licence_code, valid_until=licence.valid_until)
        return Response(LicenceShareVerifySerializer(body).data)


class LicenceShareTypesApi(_ShareApi):
    """证照类型列表。"""

    interface = "licence-types"

    @extend_schema(parameters=[TOKEN_HEADER], responses=LicenceShareTypeListSerializer, tags=TAGS)
    def get(self, request):
        self.admit(request)
        return Response(LicenceShareTypeListSerializer({"types": list(sel.licence_types())}).data)


class LicenceShareSearchApi(_ShareApi):
    """证照检索：按证照名称、持证主体、证照类型代码、颁发机构代码（最多 50 条）。"""

    interface = "licence-search"

    @extend_schema(parameters=[TOKEN_HEADER] + [
        OpenApiParameter(n, OpenApiTypes.STR, OpenApiParameter.QUERY) for n in
        ("name", "holder_name", "type_code", "issuer_code")], responses=LicenceShareInfoListSerializer, tags=TAGS)
    def get(self, request):
        self.admit(request)
        q = request.query_params
        if not any(q.get(k) for k in ("name", "holder_name", "type_code", "issuer_code")):
            return Response({"detail": str(_("请至少提供一个检索条件。"))}, status=400)
        rows = [sel.licence_info(x) for x in sel.shared_search(
            name=q.get("name", ""), holder_name=q.get("holder_name", ""), type_code=q.get("type_code", ""),
            issuer_code=q.get("issuer_code", ""))]
        return Response(LicenceShareInfoListSerializer({"licences": rows}).data)


class LicenceShareProxyApi(_ShareApi):
    """全省证照接口代理：经省级统一接口调用地市证照平台的查询、下载、核验、变更、注销接口；
    省级平台不保存地市证照文件，原样转发应答。"""

    interface = "licence-proxy"

    def _forward(self, request, route: str, licence_code: str, operation: str, body=None):
        from django.core.exceptions import ValidationError

        from apps.core.outbox import PeerPermanentError, PeerTemporaryError

        from ..services.aggregation import proxy_call

        self.admit(request, licence_code)
        try:
            status, content_type, content = proxy_call(route_code=route, operation=operation,
                                                       licence_code=licence_code, body=body)
        except ValidationError as exc:
            return Response({"detail": "；".join(exc.messages)}, status=404)
        except PeerPermanentError as exc:
            sharing_log_failure(application=self.application, interface_code=self.interface,
                                ip=client_ip(request), detail=str(exc)[:255], licence_code=licence_code)
            code = 404 if "HTTP 404" in str(exc) else 502
            return Response({"detail": str(NOT_FOUND) if code == 404 else str(_("地市证照接口拒绝了请求。"))},
                            status=code)
        except PeerTemporaryError as exc:
            sharing_log_failure(application=self.application, interface_code=self.interface,
                                ip=client_ip(request), detail=str(exc)[:255], licence_code=licence_code)
            return Response({"detail": str(_("地市证照接口暂不可用，请稍后再试。"))}, status=502)
        return HttpResponse(content, status=status, content_type=content_type or "application/octet-stream")

    @extend_schema(parameters=[TOKEN_HEADER], responses={(200, "application/ofd"): OpenApiTypes.BINARY,
                                                         (200, "application/json"): OpenApiTypes.OBJECT}, tags=TAGS)
    def get(self, request, route: str, licence_code: str, operation: str):
        if operation not in ("info", "file"):
            return Response({"detail": str(_("该操作须使用 POST。"))}, status=405)
        return self._forward(request, route, licence_code, operation)

    @extend_schema(parameters=[TOKEN_HEADER], request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT, tags=TAGS)
    def post(self, request, route: str, licence_code: str, operation: str):
        if operation not in ("verify", "change", "cancel"):
            return Response({"detail": str(_("该操作须使用 GET。"))}, status=405)
        return self._forward(request, route, licence_code, operation, body=dict(request.data))
