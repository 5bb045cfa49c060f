"""App-side login APIs: the 全省事APP confirms a PC QR-code login (IDN-1.7)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.identity.services.login import qr_login_confirm


class QrLoginConfirmRequestSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="PC 页面二维码中的一次性令牌")
    face_verified = serializers.BooleanField(help_text="APP 内置人脸识别控件的认证结果")


class QrLoginConfirmResponseSerializer(serializers.Serializer):
    status = serializers.CharField()


class QrLoginConfirmApi(APIView):
    """The logged-in app reports its face-recognition result for a scanned PC QR code."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["identity"], summary="扫码登录确认（全省事APP）", request=QrLoginConfirmRequestSerializer,
                   responses={200: QrLoginConfirmResponseSerializer,
                              400: OpenApiResponse(description="二维码无效、已使用或已过期"),
                              403: OpenApiResponse(description="非自然人账号")})
    def post(self, request):
        serializer = QrLoginConfirmRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            qr = qr_login_confirm(token=serializer.validated_data["token"], user=request.user,
                                  face_verified=serializer.validated_data["face_verified"])
        except DjangoValidationError as exc:
            raise ValidationError({"token": exc.messages}) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response({"status": qr.status})
