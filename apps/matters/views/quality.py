"""Quality report (质量分析报告, MAT-5.1.2): the latest scan grouped by level and by rule, with the defects."""
from __future__ import annotations

import logging

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import RegionLevel
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.models import QualityIssue, QualityScan

logger = logging.getLogger(__name__)


class QualityReportView(StaffPermissionMixin, View):
    permission_required = "matters.view_qualityissue"

    def get(self, request):
        scans = QualityScan.objects.filter(status=QualityScan.Status.DONE)
        scan = scans.filter(pk=request.GET.get("scan")).first() if request.GET.get("scan", "").isdigit() else None
        scan = scan or scans.first()
        issues = QualityIssue.objects.none()
        by_level, by_rule = [], []
        if scan is not None:
            issues = restrict(QualityIssue.objects.filter(scan=scan), request.user)
            if request.GET.get("rule", "").isdigit():
                issues = issues.filter(rule_id=request.GET["rule"])
            levels = dict(RegionLevel.choices)
            by_level = [(levels.get(row["level"], row["level"]), row["n"]) for row in
                        issues.order_by().values("level").annotate(n=Count("pk")).order_by("level")]
            by_rule = list(issues.order_by().values("rule_id", "rule__name").annotate(n=Count("pk")).order_by("-n"))
        return render(request, "matters/quality_report.html", {
            "title": _("事项质量检测"), "scan": scan, "scans": scans[:20], "by_level": by_level, "by_rule": by_rule,
            "issues": issues.select_related("rule", "department", "region")[:500], "total": issues.count(),
        })

    def post(self, request):
        if not request.user.has_perm("matters.run_qualityscan"):
            return self.handle_no_permission()
        from apps.matters.tasks import quality_scan

        try:
            quality_scan.delay(request.user.pk)
            messages.success(request, _("质量检测已开始，完成后刷新本页查看报告。"))
        except Exception as exc:  # noqa: BLE001 — broker down: say so, nothing else to undo
            logger.warning("quality scan not dispatched: %s", exc)
            messages.error(request, _("任务队列不可用，请稍后再试。"))
        return redirect("matters:quality-report")
