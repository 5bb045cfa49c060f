"""Portal pages of app monitoring and statistics (APP-6.1, APP-6.2, APP-7)."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core import charts
from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.mobile import selectors
from apps.mobile.filters import AnomalyFilterSet
from apps.mobile.models import AppAnomaly
from apps.mobile.services import monitoring as svc
from apps.mobile.views.common import run_action

ADMINISTER = "mobile.administer_apps"


class AnomalyListView(ScopedListView):
    """APP-6.2: anomalies with statistics, exact query, re-detection and notification."""

    model = AppAnomaly
    filterset_class = AnomalyFilterSet
    permission_required = ADMINISTER
    template_name = "mobile/anomaly_list.html"
    title = _("应用异常分析")
    export_key = "mobile.anomalies"
    columns = [ExportColumn(_("应用名称"), "app.name", 20), ExportColumn(_("风险类别"), "get_risk_category_display"),
               ExportColumn(_("异常状态"), "get_status_display", 10), ExportColumn(_("检测时间"), "detected_at", 20),
               ExportColumn(_("所属单位"), "app.organisation.name", 24), ExportColumn(_("异常详情"), "detail", 40)]

    def get_base_queryset(self):
        return AppAnomaly.objects.select_related("app__organisation")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "summary": selectors.anomaly_summary(user=self.request.user)}


class AnomalyActionView(StaffPermissionMixin, View):
    permission_required = ADMINISTER

    def post(self, request, pk, action):
        anomaly = get_object_or_404(selectors.anomaly_list(user=request.user), pk=pk)
        back = reverse("mobile:anomalies")
        if action == "redetect":
            result = svc.anomaly_redetect(actor=request.user, anomaly=anomaly)
            (messages.warning if result else messages.success)(
                request, _("重新检测：应用仍异常。") if result else _("重新检测：应用已恢复正常。"))
            return redirect(back)
        return run_action(request, lambda: svc.anomaly_notify_manually(actor=request.user, anomaly=anomaly),
                          success=_("异常通知已发送给应用开发者。"), back=back)


class AppStatisticsView(StaffPermissionMixin, View):
    """APP-6.1: onboarded organisations and apps, visits, distribution, ranking, channels."""

    permission_required = ADMINISTER

    def get(self, request):
        data = selectors.app_statistics(user=request.user)
        ranking = data["ranking"]
        return render(request, "mobile/statistics.html", {
            "data": data,
            "ranking_chart": charts.bar([r["app__name"] for r in ranking],
                                        [(r["opens"] or 0) + (r["calls"] or 0) for r in ranking]),
            "region_chart": charts.bar([r["organisation__region__name"] for r in data["by_region"]],
                                       [r["n"] for r in data["by_region"]]),
            "type_chart": charts.bar([r["app_type__name"] for r in data["by_type"]], [r["n"] for r in data["by_type"]]),
            "channel_chart": charts.bar([r["channels__name"] for r in data["by_channel"]],
                                        [r["n"] for r in data["by_channel"]], horizontal=False)})
