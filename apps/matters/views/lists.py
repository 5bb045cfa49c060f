"""Catalogue, implementation and change-request lists (filters, pagination, Excel export)."""
from django.utils.translation import gettext_lazy as _

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.matters import selectors
from apps.matters.filters import CatalogueItemFilterSet, ChangeRequestFilterSet, ImplementationItemFilterSet
from apps.matters.models import CatalogueItem, ChangeRequest, ImplementationItem

COMMON_COLUMNS = [
    ExportColumn(_("区划"), "region.name", 12),
    ExportColumn(_("办理部门"), "handling_department.name", 24),
    ExportColumn(_("事项类型"), "get_matter_type_display", 12),
    ExportColumn(_("法定时限"), "statutory_limit_working_days", 8),
    ExportColumn(_("承诺时限"), "committed_limit_working_days", 8),
    ExportColumn(_("状态"), "get_status_display", 10),
    ExportColumn(_("版本"), "version", 6),
]


class CatalogueItemListView(ScopedListView):
    model = CatalogueItem
    filterset_class = CatalogueItemFilterSet
    permission_required = "matters.view_catalogueitem"
    template_name = "matters/catalogue_list.html"
    title = _("目录清单")
    columns = [ExportColumn(_("事项名称"), "name", 30), ExportColumn(_("基本编码"), "basic_code", 16),
               ExportColumn(_("主管部门"), "department.name", 24), *COMMON_COLUMNS]

    def get_base_queryset(self):
        return selectors.catalogue_item_list(user=self.request.user).order_by("basic_code")

    def get_queryset(self):
        return self.get_base_queryset()


class ImplementationItemListView(ScopedListView):
    model = ImplementationItem
    filterset_class = ImplementationItemFilterSet
    permission_required = "matters.view_implementationitem"
    title = _("实施清单")
    columns = [ExportColumn(_("事项名称"), "name", 30), ExportColumn(_("实施编码"), "implementation_code", 34),
               ExportColumn(_("实施主体"), "implementing_body.name", 24), *COMMON_COLUMNS]

    def get_queryset(self):
        return selectors.implementation_list(user=self.request.user).order_by("implementation_code")


class ChangeRequestListView(ScopedListView):
    model = ChangeRequest
    filterset_class = ChangeRequestFilterSet
    permission_required = "matters.view_changerequest"
    title = _("事项变更")
    columns = [ExportColumn(_("事项"), "matter", 30), ExportColumn(_("申请部门"), "department.name", 24),
               ExportColumn(_("审核路径"), "get_route_display", 14), ExportColumn(_("状态"), "get_status_display", 10),
               ExportColumn(_("当前审核区划"), "current_region.name", 14), ExportColumn(_("提交时间"), "submitted_at", 18)]

    def get_queryset(self):
        return selectors.change_request_list(user=self.request.user)
