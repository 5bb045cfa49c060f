"""My delivery addresses for the app and mini programs (IDN-14.2), the same book as the website's."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.identity.models import DeliveryAddress
from apps.identity.services import addresses as services

TAG = "identity"


class IdentityDeliveryAddressSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name", read_only=True)
    mobile_number = serializers.CharField()
    is_default = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = DeliveryAddress
        fields = ["id", "recipient", "mobile_number", "region", "region_name", "detail", "postcode", "is_default",
                  "updated_at"]
        read_only_fields = ["id", "region_name", "updated_at"]


class IdentityAddressDefaultSerializer(serializers.Serializer):
    is_default = serializers.BooleanField()


def _call(function, **kwargs):
    try:
        return function(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


def _data(serializer) -> dict:
    data = dict(serializer.validated_data)
    data["region"] = data.pop("region_id", "")
    return data


@extend_schema_view(list=extend_schema(tags=[TAG], summary="我的收货地址列表"),
                    retrieve=extend_schema(tags=[TAG], summary="收货地址详情"),
                    create=extend_schema(tags=[TAG], summary="新增收货地址"),
                    update=extend_schema(tags=[TAG], summary="修改收货地址"),
                    destroy=extend_schema(tags=[TAG], summary="删除收货地址"))
class DeliveryAddressViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = IdentityDeliveryAddressSerializer
    queryset = DeliveryAddress.objects.none()          # for the schema's path parameter type only

    def get_object(self, pk) -> DeliveryAddress:
        return get_object_or_404(DeliveryAddress.objects.select_related("region"), pk=pk, user=self.request.user)

    def list(self, request):
        rows = DeliveryAddress.objects.filter(user=request.user).select_related("region")
        return Response(IdentityDeliveryAddressSerializer(rows, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(IdentityDeliveryAddressSerializer(self.get_object(pk)).data)

    def create(self, request):
        serializer = IdentityDeliveryAddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = _call(services.address_create, user=request.user, data=_data(serializer))
        return Response(IdentityDeliveryAddressSerializer(address).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        address = self.get_object(pk)
        serializer = IdentityDeliveryAddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = _call(services.address_update, address=address, data=_data(serializer), actor=request.user)
        return Response(IdentityDeliveryAddressSerializer(address).data)

    def destroy(self, request, pk=None):
        _call(services.address_delete, address=self.get_object(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(tags=[TAG], summary="设置 / 取消默认收货地址", request=IdentityAddressDefaultSerializer,
                   responses=IdentityDeliveryAddressSerializer)
    @action(detail=True, methods=["post"], url_path="default")
    def set_default(self, request, pk=None):
        serializer = IdentityAddressDefaultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = _call(services.address_set_default, address=self.get_object(pk),
                        is_default=serializer.validated_data["is_default"], actor=request.user)
        return Response(IdentityDeliveryAddressSerializer(address).data)
