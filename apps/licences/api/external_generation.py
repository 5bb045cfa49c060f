"""Licence generation interface for provincial-direct department systems (LIC-4.1), behind the sharing gate
(header ``X-Share-Token`` from ``POST share/token/``; access right to interface ``licence-generate``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from ..services.external_generation import INTERFACE, licence_generate_external
from .sharing import TAGS, TOKEN_HEADER, _ShareApi


class LicenceGenerateExternalRequestSerializer(serializers.Serializer):
    """Documentation of the body; validation against the catalogue happens in the service."""

    type_code = serializers.CharField(help_text="证照类型代码（21 位，须为本应用允许的目录）")
    licence_number = serializers.CharField(help_text="证照编号")
    holder_name = serializers.CharField(help_text="持证主体名称")
    holder_kind = serializers.ChoiceField(choices=["natural_person", "legal_person", "project"], required=False,
                                          help_text="持证主体类型，缺省取模板设置")
    holder_code = serializers.CharField(help_text="持证主体代码（统一社会信用代码或身份证号码）")
    valid_from = serializers.DateField(help_text="有效期起（YYYY-MM-DD）")
    valid_until = serializers.DateField(required=False, allow_null=True, help_text="有效期至，空为长期")
    name = serializers.CharField(required=False, help_text="证照名称，缺省为模板名称")
    face_data = serializers.DictField(required=False, help_text="照面数据项（模板参数编码 → 值；图片为 Base64）")


class LicenceGenerateExternalResponseSerializer(serializers.Serializer):
    licence_code = serializers.CharField(help_text="证照标识（GB/T 36904）")
    version = serializers.IntegerField()
    status = serializers.CharField(help_text="awaiting_sealing：已入库，盖章已排队")


class LicenceGenerateExternalErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(required=False, help_text="按数据项列出的错误")


class LicenceGenerateExternalApi(_ShareApi):
    """证照生成接口：省直部门业务系统提交结构化数据，系统按目录校验后生成国标电子证照并排队盖章。"""

    interface = INTERFACE
    parser_classes = [JSONParser]

    @extend_schema(parameters=[TOKEN_HEADER], request=LicenceGenerateExternalRequestSerializer, tags=TAGS,
                   responses={201: LicenceGenerateExternalResponseSerializer,
                              400: LicenceGenerateExternalErrorSerializer, 401: LicenceGenerateExternalErrorSerializer,
                              403: LicenceGenerateExternalErrorSerializer, 429: LicenceGenerateExternalErrorSerializer},
                   operation_id="licences_share_generate")
    def post(self, request):
        try:
            licence = licence_generate_external(token=request.headers.get("X-Share-Token", ""),
                                                payload=request.data, ip=self.client_ip(request))
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=403)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            return Response({"detail": "；".join(exc.messages), "errors": errors}, status=400)
        return Response({"licence_code": licence.licence_code, "version": licence.version,
                         "status": licence.status}, status=201)

    @staticmethod
    def client_ip(request):
        from ..ratelimit import client_ip

        return client_ip(request)
