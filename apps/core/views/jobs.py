"""Portal pages: my jobs, one job with its progress bar, and the result download."""
from django.http import FileResponse, Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.exports import ExportColumn
from apps.core.filters.jobs import JobRunFilterSet
from apps.core.models.jobs import JobRun
from apps.core.selectors.jobs import job_can_download, job_get, job_list
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffRequiredMixin


def _progress(job) -> str:
    return f"{job.done} / {job.total}（{job.percent}%）"


class JobListView(ScopedListView):
    model = JobRun
    filterset_class = JobRunFilterSet
    title = _("我的任务")
    exportable = False
    template_name = "core/jobs/list.html"
    columns = [
        ExportColumn(_("任务名称"), "title", 30),
        ExportColumn(_("状态"), "get_status_display", 10),
        ExportColumn(_("进度"), _progress, 16),
        ExportColumn(_("创建时间"), "created_at", 20),
        ExportColumn(_("完成时间"), "finished_at", 20),
    ]

    def get_queryset(self):
        return job_list(user=self.request.user)


class JobDetailView(StaffRequiredMixin, TemplateView):
    template_name = "core/jobs/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = job_get(user=self.request.user, pk=self.kwargs["pk"])
        context.update(job=job, title=job.title, can_download=job_can_download(user=self.request.user, job=job))
        return context


class JobDownloadView(StaffRequiredMixin, View):
    def get(self, request, pk):
        job = job_get(user=request.user, pk=pk)
        if not job_can_download(user=request.user, job=job):
            raise Http404("no result")
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)


urlpatterns = [
    path("jobs/", JobListView.as_view(), name="job-list"),
    path("jobs/<int:pk>/", JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/download/", JobDownloadView.as_view(), name="job-download"),
]
