"""Data log management (数据日志管理, ANA-1.3): filterable list and the details of a cleaning, de-duplication
or comparison step (rules hit, rows removed with sample ids, duplicated keys, differences)."""
from __future__ import annotations

import json

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.analytics import selectors
from apps.analytics.filters import DataLogFilterSet
from apps.analytics.models import DataLog
from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin

LOG_COLUMNS = [ExportColumn(_("时间"), "created_at", 20), ExportColumn(_("日志类型"), "get_kind_display", 12),
               ExportColumn(_("专题库"), "dataset", 30), ExportColumn(_("摘要"), "summary", 50),
               ExportColumn(_("处理记录数"), "records_in", 12), ExportColumn(_("影响记录数"), "records_affected", 12),
               ExportColumn(_("操作人"), "operator", 14)]


class DataLogListView(ScopedListView):
    model = DataLog
    filterset_class = DataLogFilterSet
    permission_required = "analytics.view_datalog"
    columns = LOG_COLUMNS
    title = _("数据日志")
    export_key = "analytics.logs"

    def get_queryset(self):
        return selectors.data_log_list(user=self.request.user)


class DataLogDetailView(StaffPermissionMixin, View):
    permission_required = "analytics.view_datalog"

    def get(self, request, pk: int):
        log = get_object_or_404(selectors.data_log_list(user=request.user), pk=pk)
        detail = log.detail or {}
        return render(request, "analytics/log_detail.html", {
            "log": log, "sources": detail.get("sources") or [], "changes": detail.get("changes") or [],
            "raw": json.dumps(detail, ensure_ascii=False, indent=2, default=str)})
