"""Threshold alarms (OPS-11.1): collectors push metric samples; a threshold met by the last
`consecutive` samples of a target raises an alert (SMS to the rule's recipients); the first sample back
within the threshold closes it."""
from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.ops.models import Alert, AlertCategory, AlertOrigin, AlertStatus, MetricSample, MetricThreshold
from apps.ops.services import require
from apps.ops.services.alerts import alert_raise

COMPARE = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b, "lt": lambda a, b: a < b,
           "lte": lambda a, b: a <= b}


def metrics_record(*, samples: list[dict], by) -> list[Alert]:
    """Store samples [{"metric", "target", "value", "collected_at"?}] and evaluate the thresholds.
    All or nothing: one bad sample refuses the whole batch."""
    require(by, "ops.add_metricsample")
    rows = []
    for index, sample in enumerate(samples):
        metric, target = str(sample.get("metric") or "").strip(), str(sample.get("target") or "").strip()
        try:
            value = float(sample.get("value"))
        except (TypeError, ValueError):
            value = math.nan
        if not metric or not target or math.isnan(value) or math.isinf(value):
            raise ValidationError({"samples": _("第 %(n)s 条采样缺少指标、对象或数值。") % {"n": index + 1}})
        rows.append(MetricSample(metric=metric[:64], target=target[:128], value=value,
                                 collected_at=sample.get("collected_at") or timezone.now()))
    raised = []
    with transaction.atomic():
        MetricSample.objects.bulk_create(rows)
        thresholds = list(MetricThreshold.objects.filter(is_enabled=True, metric__in={r.metric for r in rows})
                          .prefetch_related("recipients"))
        for target, metric in {(r.target, r.metric) for r in rows}:
            for threshold in thresholds:
                if threshold.metric == metric and threshold.target in ("", target):
                    alert = _evaluate(threshold, target)
                    if alert is not None:
                        raised.append(alert)
    return raised


def _evaluate(threshold: MetricThreshold, target: str) -> Alert | None:
    recent = list(MetricSample.objects.filter(metric=threshold.metric, target=target)
                  .order_by("-collected_at", "-pk").values_list("value", flat=True)[:threshold.consecutive])
    fingerprint = f"threshold:{threshold.pk}:{target}"[:128]
    breached = len(recent) == threshold.consecutive and all(
        COMPARE[threshold.operator](v, threshold.value) for v in recent)
    if not breached:
        if recent and not COMPARE[threshold.operator](recent[0], threshold.value):
            Alert.objects.filter(fingerprint=fingerprint).exclude(status=AlertStatus.CLOSED).update(
                status=AlertStatus.CLOSED)
        return None
    alert, created = alert_raise(
        fingerprint=fingerprint, title=f"{threshold.name}：{target} {threshold.metric}={recent[0]:g}",
        origin=AlertOrigin.THRESHOLD, category=AlertCategory.DEVICE, severity=threshold.severity,
        detail=_("连续 %(n)s 次 %(m)s %(op)s %(v)g") % {"n": threshold.consecutive, "m": threshold.metric,
                                                       "op": threshold.get_operator_display(), "v": threshold.value},
        rule_name=threshold.name, recipients=list(threshold.recipients.all()))
    return alert if created else None
