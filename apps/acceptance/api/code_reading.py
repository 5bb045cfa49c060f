"""Case-code QR parsing (ACC-17.3) for other apps and reading (ACC-17.6, scan-to-fill) for window staff."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.acceptance.api.exchange import TOKEN_HEADER
from apps.acceptance.services import codes as code_services
from apps.acceptance.services.dispatch import client_for_token
from apps.core.scope import can_see


class AcceptanceCodeImageSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="PNG/JPG photo or screenshot of a graphic case code, ≤ 5 MB")


class AcceptanceCodeContentSerializer(serializers.Serializer):
    code = serializers.CharField()
    valid = serializers.BooleanField()
    status = serializers.CharField()
    item_name = serializers.CharField(required=False)
    item_code = serializers.CharField(required=False)
    region = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False)
    case_number = serializers.CharField(required=False)
    case_status = serializers.CharField(required=False)


class AcceptanceCodeFillSerializer(AcceptanceCodeContentSerializer):
    applicant_kind = serializers.CharField(required=False)
    applicant_name = serializers.CharField(required=False)
    applicant_id_number = serializers.CharField(required=False)
    applicant_mobile = serializers.CharField(required=False)
    form_data = serializers.DictField(required=False)


def _image(request) -> bytes:
    data = AcceptanceCodeImageSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data["image"].read(code_services.MAX_QR_IMAGE_BYTES + 1)


def _refused(exc: ValidationError) -> Response:
    return Response({"message": exc.messages[0], "errors": {"image": exc.messages}}, status=status.HTTP_400_BAD_REQUEST)


class AcceptanceCaseCodeParseApi(APIView):
    """解析接口 (ACC-17.3): another app uploads a QR image and gets the case code's public content back."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": AcceptanceCodeImageSerializer},
                   responses={200: AcceptanceCodeContentSerializer})
    def post(self, request):
        client = client_for_token(request.META.get(TOKEN_HEADER, ""))
        try:
            _code, content = code_services.case_code_parse_image(image_bytes=_image(request), client=client)
        except ValidationError as exc:
            return _refused(exc)
        return Response(content)


class AcceptanceCaseCodeReadApi(APIView):
    """识读 (ACC-17.6): window staff scan a case code and get the case's applicant data to fill a new form;
    only for a case inside their scope."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": AcceptanceCodeImageSerializer},
                   responses={200: AcceptanceCodeFillSerializer})
    def post(self, request):
        user = request.user
        if not (getattr(user, "is_staff_user", False) and user.has_perm("acceptance.view_case")):
            raise PermissionDenied("您没有识读办件码的权限。")
        try:
            code, content = code_services.case_code_parse_image(image_bytes=_image(request), actor=user)
        except ValidationError as exc:
            return _refused(exc)
        case = code.case if code else None
        if case is None or not can_see(user, case):
            return Response({"message": "未找到该办件码对应的办件，或不在您的权限范围内。", "errors": {}},
                            status=status.HTTP_404_NOT_FOUND)
        content.update({"applicant_kind": case.applicant_kind, "applicant_name": case.applicant_name,
                        "applicant_id_number": case.applicant_id_number, "applicant_mobile": case.applicant_mobile,
                        "form_data": case.form_data})
        return Response(content)
