"""Generic scoped, filtered, paginated, exportable list page.

    class RegionListView(ScopedListView):
        model = Region
        filterset_class = RegionFilterSet          # also used by the API
        permission_required = "core.view_region"
        columns = [ExportColumn("区划名称", "name"), ExportColumn("区划代码", "code")]
        title = "区划信息"
        export_key = "core.regions"                # optional; defaults to the view's dotted path

`?export=xlsx` downloads exactly the filtered rows (same filter, same scope). When more than
settings.EXPORT_SYNC_LIMIT rows match, a job is created instead (apps.core.exports.export_start)
and the user is sent to its progress page. Every export is written to the audit log.
"""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from apps.core.exports import ExportColumn, build_workbook, export_start, register_view_export, xlsx_response
from apps.core.views.mixins import ScopedQuerysetMixin, StaffPermissionMixin


class ScopedListView(StaffPermissionMixin, ScopedQuerysetMixin, FilterView):
    template_name = "core/list.html"
    paginate_by = 20
    columns: list[ExportColumn] = []
    title = ""
    exportable = True
    export_key: str | None = None
    strict = False            # an invalid filter shows the error, not an empty list

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "model", None) is not None and cls.exportable:
            register_view_export(cls.get_export_key(), cls)

    @classmethod
    def get_export_key(cls) -> str:
        return cls.export_key or f"{cls.__module__}.{cls.__qualname__}"

    def get(self, request, *args, **kwargs):
        if self.exportable and request.GET.get("export") == "xlsx":
            response = self.export()
            if response is not None:
                return response
        return super().get(request, *args, **kwargs)

    def get_export_columns(self) -> list[ExportColumn]:
        return self.columns

    def export(self):
        """The workbook, a redirect to the export job, or None for an invalid filter (the
        list page then shows the filter errors)."""
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return None
        rows = filterset.qs
        count = rows.count()
        if count > settings.EXPORT_SYNC_LIMIT:
            return self.export_as_job(count)
        content = build_workbook(rows.iterator(chunk_size=2000), self.get_export_columns(), title=self.title)
        from apps.core.services.audit import audit_record

        audit_record(actor=self.request.user, action="export", request=self.request,
                     detail=_("导出“%(title)s”%(count)s 行") % {"title": self.title, "count": count})
        return xlsx_response(content, self.title)

    def export_as_job(self, count: int):
        try:
            job = export_start(user=self.request.user, key=self.get_export_key(),
                               query=self.request.GET.urlencode(), total=count)
        except ValidationError:
            return None
        messages.info(self.request, _("符合条件的记录共 %(count)s 条，已转为后台导出任务，完成后可在此下载。")
                      % {"count": count})
        return redirect("core:job-detail", pk=job.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(title=self.title, columns=self.columns, exportable=self.exportable,
                       querystring=query.urlencode())
        return context
