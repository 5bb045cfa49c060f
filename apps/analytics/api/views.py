"""Analytics API: datasets and refresh (ANA-1.1), charts for staff (ANA-2.x), the embed interface and visit
ingest for registered clients (ANA-0.1, 1.1.a), data logs (ANA-1.3). Thin: selectors and services decide."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.analytics import selectors
from apps.analytics.api.serializers import (
    ChartSerializer, DataLogSerializer, RefreshRequestSerializer, RefreshStartedSerializer, TopicDatasetSerializer,
    VisitBatchResultSerializer, VisitBatchSerializer,
)
from apps.analytics.filters import DataLogFilterSet
from apps.analytics.models import DataLog, TopicDataset
from apps.analytics.services.embed import EmbedRefused, embed_chart_check, embed_client_authenticate
from apps.analytics.services.refresh import topic_refresh_start
from apps.analytics.services.visits import visits_ingest
from apps.core.jobs import job_url

KEY_HEADER = OpenApiParameter("X-Embed-Key", str, OpenApiParameter.HEADER, required=True,
                              description="登记的可视化调取客户端密钥")


def _refused(refusal: EmbedRefused) -> Response:
    return Response({"message": refusal.message, "errors": {}}, status=refusal.status)


def _staff(request):
    user = request.user
    if not (getattr(user, "is_staff_user", False) or user.is_superuser):
        raise PermissionDenied("仅限政务工作人员。")
    return user


class TopicDatasetListApi(generics.ListAPIView):
    """专题库 (ANA-1.1): the 21 topic databases with their last refresh and row counts."""

    serializer_class = TopicDatasetSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):          # schema generation: no signed-in user
            return TopicDataset.objects.none()
        return selectors.dataset_list(user=_staff(self.request))


class TopicDatasetRefreshApi(APIView):
    """Refresh now (ANA-1.1): queues a job with progress; 202 with the job to poll."""

    @extend_schema(request=RefreshRequestSerializer, responses={202: RefreshStartedSerializer},
                   operation_id="analytics_datasets_refresh")
    def post(self, request):
        serializer = RefreshRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = topic_refresh_start(actor=_staff(request), codes=serializer.validated_data["codes"])
        return Response({"job_id": job.pk, "job_url": job_url(job), "codes": job.params["codes"]},
                        status=status.HTTP_202_ACCEPTED)


class ChartApi(APIView):
    """One comprehensive-display chart (ANA-2.x) for a staff user, cut to their region scope."""

    @extend_schema(responses=ChartSerializer, operation_id="analytics_chart",
                   parameters=[OpenApiParameter("region", str, description="12位区划代码（本人数据范围内）")])
    def get(self, request, code: str):
        user = _staff(request)
        if not user.has_perm(selectors.CHART_PERMISSION):
            raise PermissionDenied("您没有查看分析图的权限。")
        region = selectors.region_in_home(selectors.user_home_region(user), request.query_params.get("region"))
        return Response(selectors.chart_data(code=code, region=region, user=user))


class EmbedChartApi(APIView):
    """可视化页面调取接口 (ANA-0.1): a granted chart's ECharts options and tables for a registered client,
    with the data of the client's registered region. CORS allows the client's origin only."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=ChartSerializer, parameters=[KEY_HEADER], operation_id="analytics_embed_chart")
    def get(self, request, code: str):
        try:
            client = embed_client_authenticate(request.headers.get("X-Embed-Key"))
            embed_chart_check(client, code)
        except EmbedRefused as refusal:
            return _refused(refusal)
        response = Response(selectors.chart_data(code=code, region=client.region))
        response["Access-Control-Allow-Origin"] = client.origin
        response["Vary"] = "Origin"
        return response


class VisitIngestApi(APIView):
    """访问量上报 (ANA-1.1.a/g): the PC portal or the 全省事 app sends its daily visit counts in batches;
    a whole batch is accepted or none of it; a re-sent batch_id is not counted again."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def dispatch(self, request, *args, **kwargs):
        request._dont_enforce_csrf_checks = True
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(request=VisitBatchSerializer, responses={201: VisitBatchResultSerializer,
                                                            200: VisitBatchResultSerializer},
                   parameters=[KEY_HEADER], operation_id="analytics_visits_ingest")
    def post(self, request):
        try:
            client = embed_client_authenticate(request.headers.get("X-Embed-Key"))
        except EmbedRefused as refusal:
            return _refused(refusal)
        serializer = VisitBatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            batch, created = visits_ingest(client=client, batch_id=serializer.validated_data["batch_id"],
                                           rows=serializer.validated_data["rows"])
        except EmbedRefused as refusal:
            return _refused(refusal)
        return Response({"batch_id": batch.batch_id, "created": created, "rows": batch.rows, "visits": batch.visits},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DataLogListApi(generics.ListAPIView):
    """数据日志 (ANA-1.3), filterable like the portal page."""

    serializer_class = DataLogSerializer
    filterset_class = DataLogFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):          # schema generation: no signed-in user
            return DataLog.objects.none()
        return selectors.data_log_list(user=_staff(self.request))
