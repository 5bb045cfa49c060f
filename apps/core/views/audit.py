"""Portal pages: the audit log (list with filters and Excel export, and one record)."""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.core.exports import ExportColumn
from apps.core.filters.audit import AuditLogFilterSet
from apps.core.models.audit import AuditLog
from apps.core.selectors.audit import audit_get, audit_list
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin


def _object_type(record) -> str:
    return str(record.content_type.name) if record.content_type_id else ""


def _request(record) -> str:
    return f"{record.method} {record.path}".strip()


class AuditLogListView(ScopedListView):
    model = AuditLog
    filterset_class = AuditLogFilterSet
    permission_required = "core.view_auditlog"
    title = _("操作日志")
    export_key = "core.audit"
    paginate_by = 50
    template_name = "core/audit/list.html"
    columns = [
        ExportColumn(_("时间"), "at", 20),
        ExportColumn(_("操作人"), "actor_username", 16),
        ExportColumn(_("操作人机构"), "actor_organisation.name", 28),
        ExportColumn(_("操作类型"), "get_action_display", 10),
        ExportColumn(_("对象类型"), _object_type, 14),
        ExportColumn(_("对象"), "object_repr", 28),
        ExportColumn(_("说明"), "detail", 30),
        ExportColumn(_("请求"), _request, 36),
        ExportColumn(_("响应状态"), "status_code", 10),
        ExportColumn(_("IP地址"), "ip", 16),
    ]

    def get_queryset(self):
        return audit_list(user=self.request.user)


class AuditLogDetailView(StaffPermissionMixin, TemplateView):
    permission_required = "core.view_auditlog"
    template_name = "core/audit/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = audit_get(user=self.request.user, pk=self.kwargs["pk"])
        context.update(record=record, title=_("操作日志详情"), changes=sorted(record.changes.items()))
        return context


urlpatterns = [
    path("audit/", AuditLogListView.as_view(), name="audit-list"),
    path("audit/<int:pk>/", AuditLogDetailView.as_view(), name="audit-detail"),
]
