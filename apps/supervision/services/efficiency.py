"""Efficiency supervision (MAT-6.1–6.4): indicators, tasks, automatic and manual scoring."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import Organisation, OrganisationKind
from apps.core.scope import can_see
from apps.core.workflow import record_transition
from apps.supervision.models import (
    DONE_STATUSES,
    AssessmentMethod,
    Complaint,
    EarlyWarning,
    IndicatorMetric,
    IndicatorRule,
    SupervisionIndicator,
    SupervisionTask,
    SupervisionTheme,
    TaskScore,
    TaskStatus,
    WarningLevel,
)

MANAGE = "supervision.add_supervisiontask"
SCORE = "supervision.score_supervisiontask"


def indicator_create(*, theme: str, number: str, name: str, metric: str, data_source: str, rules: list[dict],
                     actor) -> SupervisionIndicator:
    """Define an indicator with its rules (MAT-6.1). rules: [{"name", "method", "score", "deduction"}]."""
    if not actor.has_perm("supervision.add_supervisionindicator"):
        raise PermissionDenied(_("您没有维护监督指标的权限。"))
    errors = {}
    if theme not in SupervisionTheme.values:
        errors["theme"] = [_("请选择主题。")]
    if metric not in IndicatorMetric.values:
        errors["metric"] = [_("请选择指标使用的数据。")]
    if not number.strip() or SupervisionIndicator.objects.filter(number=number.strip()).exists():
        errors["number"] = [_("指标编号为空或已存在。")]
    if not name.strip():
        errors["name"] = [_("请填写指标名称。")]
    if not rules:
        errors["rules"] = [_("每个指标至少需要一条细则。")]
    for rule in rules:
        if (not str(rule.get("name", "")).strip() or rule.get("method") not in AssessmentMethod.values
                or Decimal(str(rule.get("score", 0))) <= 0 or Decimal(str(rule.get("deduction", 0))) < 0):
            errors["rules"] = [_("每条细则须填写名称、有效的考评方式，分值须大于 0，扣分不能为负。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        indicator = SupervisionIndicator.objects.create(theme=theme, number=number.strip(), name=name.strip(),
                                                        metric=metric, data_source=data_source.strip())
        IndicatorRule.objects.bulk_create([
            IndicatorRule(indicator=indicator, name=r["name"], method=r["method"], score=Decimal(str(r["score"])),
                          deduction=Decimal(str(r.get("deduction", 0)))) for r in rules])
    return indicator


def indicator_update_source(*, indicator: SupervisionIndicator, data_source: str, actor) -> SupervisionIndicator:
    """Maintain where an indicator's data comes from (MAT-6.1)."""
    if not actor.has_perm("supervision.change_supervisionindicator"):
        raise PermissionDenied(_("您没有维护监督指标的权限。"))
    if not (data_source or "").strip():
        raise ValidationError({"data_source": [_("请填写数据来源。")]})
    with transaction.atomic():
        indicator = SupervisionIndicator.objects.select_for_update().get(pk=indicator.pk)
        before = indicator.data_source
        indicator.data_source = data_source.strip()[:200]
        indicator.save(update_fields=["data_source"])
        audit_record(actor=actor, action="update", obj=indicator,
                     changes={"data_source": [before, indicator.data_source]})
    return indicator


def task_create(*, name: str, theme: str, indicators, region, period_start: date, period_end: date,
                actor) -> SupervisionTask:
    """Launch a supervision task from a policy goal with chosen indicators (MAT-6.2)."""
    if not actor.has_perm(MANAGE):
        raise PermissionDenied(_("您没有发起监督任务的权限。"))
    organisation = getattr(actor, "organisation", None)
    errors = {}
    if not name.strip():
        errors["name"] = [_("请填写任务名称。")]
    if theme not in SupervisionTheme.values:
        errors["theme"] = [_("请选择主题。")]
    if not indicators:
        errors["indicators"] = [_("请至少选择一个监督指标。")]
    if period_end < period_start:
        errors["period_end"] = [_("考评期止不能早于考评期起。")]
    if not actor.is_superuser and (organisation is None or not region.code.startswith(organisation.region.prefix)):
        errors["region"] = [_("只能在本区划范围内发起监督任务。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = SupervisionTask.objects.create(name=name.strip(), theme=theme, region=region, created_by=actor,
                                              period_start=period_start, period_end=period_end)
        task.indicators.set(indicators)
        record_transition(obj=task, from_state="", to_state=task.status, actor=actor, action="create")
    return task


def _window(task: SupervisionTask):
    tz = timezone.get_current_timezone()
    return (datetime.combine(task.period_start, time.min, tz),
            datetime.combine(task.period_end, time.max, tz))


def department_metrics(task: SupervisionTask) -> dict[int, dict]:
    """Per department of the task's region: the complaint and warning figures (two queries)."""
    start, end = _window(task)
    now = timezone.now()
    rows = (Complaint.objects.filter(department__region__code__startswith=task.region.prefix,
                                     submitted_at__range=(start, end))
            .values("department").annotate(
                total=Count("pk"), done=Count("pk", filter=Q(status__in=DONE_STATUSES)),
                on_time=Count("pk", filter=Q(status__in=DONE_STATUSES, concluded_at__lte=F("deadline"))),
                overdue=Count("pk", filter=(Q(status__in=DONE_STATUSES, concluded_at__gt=F("deadline"))
                                            | (~Q(status__in=DONE_STATUSES) & Q(deadline__lt=now))))))
    cards = dict(EarlyWarning.objects.filter(department__region__code__startswith=task.region.prefix,
                                             raised_at__range=(start, end),
                                             level__in=[WarningLevel.YELLOW_CARD, WarningLevel.RED_CARD])
                 .values_list("department").annotate(n=Count("pk")))
    result = {r["department"]: r for r in rows}
    for department, n in cards.items():
        result.setdefault(department, {"total": 0, "done": 0, "on_time": 0, "overdue": 0})["cards"] = n
    for row in case_metrics(task, start, end):
        result.setdefault(row.pop("organisation"), {"total": 0, "done": 0, "on_time": 0, "overdue": 0}).update(row)
    return result


def case_metrics(task: SupervisionTask, start, end) -> list[dict]:
    """Accepted cases (办件, apps.acceptance) per organisation: concluded, on time, overdue (one query)."""
    from apps.acceptance.models.cases import FINAL_STATUSES, Case, CaseStatus

    today = timezone.localdate()
    concluded = Q(status=CaseStatus.CONCLUDED)
    return list(Case.objects.filter(organisation__region__code__startswith=task.region.prefix,
                                    accepted_at__range=(start, end), due_date__isnull=False)
                .values("organisation").annotate(
                    case_done=Count("pk", filter=concluded),
                    case_on_time=Count("pk", filter=concluded & Q(concluded_at__date__lte=F("due_date"))),
                    case_overdue=Count("pk", filter=(concluded & Q(concluded_at__date__gt=F("due_date")))
                                       | (~Q(status__in=FINAL_STATUSES) & Q(due_date__lt=today))))
                .order_by())


def _value(metric: str, figures: dict) -> Decimal:
    total, done = figures.get("total", 0), figures.get("done", 0)
    if metric == IndicatorMetric.COMPLAINT_ON_TIME_RATE:
        return Decimal(figures.get("on_time", 0)) / done if done else Decimal(1)
    if metric == IndicatorMetric.COMPLAINT_CONCLUSION_RATE:
        return Decimal(done) / total if total else Decimal(1)
    if metric == IndicatorMetric.COMPLAINT_OVERDUE_COUNT:
        return Decimal(figures.get("overdue", 0))
    if metric == IndicatorMetric.CASE_ON_TIME_RATE:
        case_done = figures.get("case_done", 0)
        return Decimal(figures.get("case_on_time", 0)) / case_done if case_done else Decimal(1)
    if metric == IndicatorMetric.CASE_OVERDUE_COUNT:
        return Decimal(figures.get("case_overdue", 0))
    return Decimal(figures.get("cards", 0))


def _score(rules, value: Decimal) -> Decimal:
    total = Decimal(0)
    for rule in rules:
        if rule.method == AssessmentMethod.RATIO:
            total += rule.score * min(value, Decimal(1))
        elif rule.method == AssessmentMethod.DEDUCT:
            total += max(Decimal(0), rule.score - rule.deduction * value)
    return total.quantize(Decimal("0.01"))


def score_departments(task: SupervisionTask):
    """The assessed objects of a task: the departments of its region (not the bureaus or governments)."""
    return Organisation.objects.filter(region__code__startswith=task.region.prefix).exclude(
        kind__in=[OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU, OrganisationKind.GOVERNMENT]).order_by("name")


def task_score(*, task: SupervisionTask, actor) -> int:
    """Score every department of the task's region on every automatic indicator (MAT-6.2, 6.3);
    a score entered by hand is kept. Returns the number of scores written."""
    if not actor.has_perm(SCORE) or not can_see(actor, task):
        raise PermissionDenied(_("您没有为该监督任务评分的权限。"))
    figures = department_metrics(task)
    departments = score_departments(task)
    indicators = [i for i in task.indicators.prefetch_related("rules") if i.metric != IndicatorMetric.MANUAL]
    manual = set(TaskScore.objects.filter(task=task, manual=True).values_list("department_id", "indicator_id"))
    written = 0
    with transaction.atomic():
        for department in departments:
            data = figures.get(department.pk, {})
            for indicator in indicators:
                if (department.pk, indicator.pk) in manual:
                    continue
                value = _value(indicator.metric, data)
                TaskScore.objects.update_or_create(task=task, department=department, indicator=indicator,
                                                   defaults={"value": value, "manual": False,
                                                             "score": _score(indicator.rules.all(), value),
                                                             "scored_at": timezone.now()})
                written += 1
        from_state = task.status
        SupervisionTask.objects.filter(pk=task.pk).update(status=TaskStatus.SCORED)
        record_transition(obj=task, from_state=from_state, to_state=TaskStatus.SCORED, actor=actor, action="score",
                          comment=_("自动评分 %(n)s 项") % {"n": written})
    return written


def task_score_manual(*, task: SupervisionTask, department: Organisation, indicator: SupervisionIndicator,
                      score: Decimal, actor) -> TaskScore:
    """An assessor enters the score of an indicator the system cannot compute."""
    if not actor.has_perm(SCORE) or not can_see(actor, task):
        raise PermissionDenied(_("您没有为该监督任务评分的权限。"))
    maximum = sum((r.score for r in indicator.rules.all()), Decimal(0))
    if not task.indicators.filter(pk=indicator.pk).exists():
        raise ValidationError({"indicator": [_("该指标不属于本任务。")]})
    if not department.region_id.startswith(task.region.prefix):
        raise ValidationError({"department": [_("考评对象不在任务区划内。")]})
    if score < 0 or score > maximum:
        raise ValidationError({"score": [_("得分应在 0 至 %(m)s 之间。") % {"m": maximum}]})
    score_row, _created = TaskScore.objects.update_or_create(
        task=task, department=department, indicator=indicator,
        defaults={"score": score, "value": None, "manual": True, "scored_at": timezone.now()})
    return score_row
