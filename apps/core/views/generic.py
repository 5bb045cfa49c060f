"""Generic scoped, filtered, paginated, exportable list page.

    class RegionListView(ScopedListView):
        model = Region
        filterset_class = RegionFilterSet          # also used by the API
        permission_required = "core.view_region"
        columns = [ExportColumn("区划名称", "name"), ExportColumn("区划代码", "code")]
        title = "区划信息"

`?export=xlsx` downloads exactly the filtered rows (same filter, same scope).
"""
from django_filters.views import FilterView

from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.views.mixins import ScopedQuerysetMixin, StaffPermissionMixin


class ScopedListView(StaffPermissionMixin, ScopedQuerysetMixin, FilterView):
    template_name = "core/list.html"
    paginate_by = 20
    columns: list[ExportColumn] = []
    title = ""
    exportable = True
    strict = False            # an invalid filter shows the error, not an empty list

    def get(self, request, *args, **kwargs):
        if self.exportable and request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_export_columns(self) -> list[ExportColumn]:
        return self.columns

    def export(self):
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        content = build_workbook(rows.iterator(chunk_size=2000), self.get_export_columns(), title=self.title)
        return xlsx_response(content, self.title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(title=self.title, columns=self.columns, exportable=self.exportable,
                       querystring=query.urlencode())
        return context
