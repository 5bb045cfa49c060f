"""Ops API: alerts (with the quick filters), work_orders and one endpoint per work_order step, custom threat
intelligence, and log upload for collectors that forward over HTTPS instead of UDP."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.ops.api.serializers import (
    AlertSerializer, LogUploadResultSerializer, LogUploadSerializer, MetricUploadResultSerializer,
    MetricUploadSerializer, ThreatIndicatorSerializer, WorkOrderHandleSerializer, WorkOrderSerializer,
)
from apps.ops.filters import AlertFilterSet, WorkOrderFilterSet
from apps.ops.models import ThreatIndicator, WorkOrder
from apps.ops.selectors import QUICK_FILTERS, alert_list
from apps.ops.services.events import event_ingest
from apps.ops.services.intel import indicator_create
from apps.ops.services.work_orders import work_order_handle
from apps.ops.syslog import SyslogError, parse_syslog


def needs(*perms):
    class HasPerms(BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and all(user.has_perm(p) for p in perms))
    return HasPerms


def _bad(exc: ValidationError) -> Response:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return Response({"message": "；".join(m for ms in errors.values() for m in ms), "errors": errors},
                    status=status.HTTP_400_BAD_REQUEST)


class AlertListApi(generics.ListAPIView):
    serializer_class = AlertSerializer
    permission_classes = [IsAuthenticated, needs("ops.view_security")]
    filterset_class = AlertFilterSet

    @extend_schema(parameters=[OpenApiParameter("quick", str, enum=[f.key for f in QUICK_FILTERS],
                                                description="preset quick filter (OPS-3.12)")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return alert_list(quick=self.request.query_params.get("quick"))


class WorkOrderListApi(generics.ListAPIView):
    serializer_class = WorkOrderSerializer
    permission_classes = [IsAuthenticated, needs("ops.view_workorder")]
    filterset_class = WorkOrderFilterSet
    queryset = WorkOrder.objects.select_related("owner", "creator")


class WorkOrderHandleApi(APIView):
    permission_classes = [IsAuthenticated, needs("ops.view_workorder")]

    @extend_schema(request=WorkOrderHandleSerializer, responses=WorkOrderSerializer)
    def post(self, request, pk):
        work_order = get_object_or_404(WorkOrder, pk=pk)
        data = WorkOrderHandleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            work_order = work_order_handle(work_order=work_order, resolution=data.validated_data["resolution"], by=request.user)
        except ValidationError as exc:
            return _bad(exc)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        return Response(WorkOrderSerializer(work_order).data)


class ThreatIndicatorListApi(generics.ListCreateAPIView):
    serializer_class = ThreatIndicatorSerializer
    queryset = ThreatIndicator.objects.all()

    def get_permissions(self):
        perm = "ops.add_threatindicator" if self.request.method == "POST" else "ops.view_security"
        return [IsAuthenticated(), needs(perm)()]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            indicator = indicator_create(by=request.user, **serializer.validated_data)
        except ValidationError as exc:
            return _bad(exc)
        return Response(self.get_serializer(indicator).data, status=status.HTTP_201_CREATED)


class LogUploadApi(APIView):
    permission_classes = [IsAuthenticated, needs("ops.add_logevent")]

    @extend_schema(request=LogUploadSerializer, responses=LogUploadResultSerializer)
    def post(self, request):
        data = LogUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        messages, errors = [], {}
        for index, line in enumerate(data.validated_data["lines"]):
            try:
                messages.append(parse_syslog(line.encode("utf-8"), peer_ip=request.META.get("REMOTE_ADDR")))
            except SyslogError as exc:
                errors[str(index)] = [str(exc)]
        if errors:
            return Response({"message": "日志格式无效，未写入任何记录。", "errors": {"lines": errors}},
                            status=status.HTTP_400_BAD_REQUEST)
        stored = sum(1 for m in messages if event_ingest(message=m, protocol="https") is not None)
        return Response({"stored": stored, "dropped": len(messages) - stored}, status=status.HTTP_201_CREATED)


class MetricUploadApi(APIView):
    """OPS-11.1: collectors push metric samples; thresholds are evaluated at once."""

    permission_classes = [IsAuthenticated, needs("ops.add_metricsample")]

    @extend_schema(request=MetricUploadSerializer, responses=MetricUploadResultSerializer)
    def post(self, request):
        from apps.ops.services.metrics import metrics_record

        data = MetricUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        samples = data.validated_data["samples"]
        try:
            alerts = metrics_record(samples=samples, by=request.user)
        except ValidationError as exc:
            return _bad(exc)
        return Response({"stored": len(samples), "alerts": AlertSerializer(alerts, many=True).data},
                        status=status.HTTP_201_CREATED)
