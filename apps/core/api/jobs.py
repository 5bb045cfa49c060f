"""API: jobs with progress (owner-scoped), export jobs, and the ping used by the bench."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.core.api.ping import PingView
from apps.core.exports import export_start
from apps.core.filters.jobs import JobRunFilterSet
from apps.core.models.jobs import JobRun
from apps.core.selectors.jobs import job_can_download, job_get, job_list


class JobRunSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = JobRun
        fields = ["id", "kind", "title", "status", "status_display", "total", "done", "percent", "error",
                  "created_at", "started_at", "finished_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        request = self.context.get("request")
        if request is None or not job_can_download(user=request.user, job=job):
            return None
        return reverse("core-job-download", args=[job.pk])


class ExportJobInputSerializer(serializers.Serializer):
    export_key = serializers.CharField(max_length=200, help_text="可导出列表的标识，如 core.audit")
    query = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="",
                                  help_text="筛选条件（与列表页相同的查询字符串）")


class JobRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """后台任务：本人发起的任务（系统管理员可查看全部），进度轮询与结果下载。"""

    serializer_class = JobRunSerializer
    filterset_class = JobRunFilterSet
    queryset = JobRun.objects.none()

    def get_queryset(self):
        return job_list(user=self.request.user, mine_only=self.action == "list")

    def get_object(self):
        return job_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=ExportJobInputSerializer, responses={201: JobRunSerializer})
    @action(detail=False, methods=["post"], url_path="exports")
    def exports(self, request):
        """Start an Excel export of a registered list as a job (same filter, same scope)."""
        data = ExportJobInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            job = export_start(user=request.user, key=data.validated_data["export_key"],
                               query=data.validated_data["query"])
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(JobRunSerializer(job, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              404: OpenApiResponse(description="无结果文件或无权下载")})
    @action(detail=True, methods=["get"], url_path="download")
    def download(self, request, pk=None):
        job = self.get_object()
        if not job_can_download(user=request.user, job=job):
            raise Http404("no result")
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)


router = SimpleRouter()
router.register("jobs", JobRunViewSet, basename="core-job")
urlpatterns = [*router.urls, path("ping/", PingView.as_view(), name="core-ping")]
