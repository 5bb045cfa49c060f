"""Time-limit supervision (时效监察) and electronic-supervision cards (电子监察).

Open complaints are scanned (Celery beat, hourly):
* due soon (≤ 1 working day left) → 预警 (warning);
* past the deadline → 黄牌 (yellow card);
* RED_CARD_DAYS working days or more past the deadline → 红牌 (red card).
Each level is raised once per complaint and deadline (unique constraint), with an SMS to the
people responsible now: the department's officers while the department holds the case, else the
handler; a red card also goes to the handler.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.calendar import add_working_days, working_days_between
from apps.core.sms import sms_send
from apps.supervision.models import DONE_STATUSES, Complaint, EarlyWarning, WarningLevel
from apps.supervision.services.deadlines import DUE_SOON_DAYS

RED_CARD_DAYS = 3
TEXTS = {
    WarningLevel.WARNING: "【电子监察预警】投诉件%(n)s将于%(d)s到期，请及时办理。",
    WarningLevel.YELLOW_CARD: "【电子监察黄牌】投诉件%(n)s已超期（期限%(d)s），请立即办理。",
    WarningLevel.RED_CARD: "【电子监察红牌】投诉件%(n)s严重超期（期限%(d)s），请立即办理并说明原因。",
}


def level_of(complaint: Complaint, now) -> str | None:
    if complaint.deadline is None:
        return None
    if now > complaint.deadline:
        late = working_days_between(complaint.deadline, now)
        return WarningLevel.RED_CARD if late >= RED_CARD_DAYS else WarningLevel.YELLOW_CARD
    if working_days_between(now, complaint.deadline) <= DUE_SOON_DAYS:
        return WarningLevel.WARNING
    return None


def _responsible(complaint: Complaint, level: str) -> list:
    from apps.supervision.services.workflow import TODO_DEPARTMENT_STATES, processors_of

    people = []
    if complaint.department_id and complaint.status in TODO_DEPARTMENT_STATES:
        people = list(processors_of(complaint.department))
    if complaint.handler_id and (not people or level == WarningLevel.RED_CARD):
        people.append(complaint.handler)
    return people


def deadline_scan(*, now=None) -> int:
    """Raise the warnings due now; returns how many were raised."""
    now = now or timezone.now()
    horizon = add_working_days(now, DUE_SOON_DAYS)
    queryset = (Complaint.objects.exclude(status__in=DONE_STATUSES).filter(deadline__lte=horizon)
                .select_related("department", "handler"))
    raised = 0
    for complaint in queryset:
        level = level_of(complaint, now)
        if level is None:
            continue
        try:
            with transaction.atomic():
                warning = EarlyWarning.objects.create(complaint=complaint, level=level, deadline=complaint.deadline,
                                                      department=complaint.department, region=complaint.region,
                                                      raised_at=now)
                text = _(TEXTS[level]) % {"n": complaint.case_number,
                                          "d": f"{timezone.localtime(complaint.deadline):%m-%d %H:%M}"}
                for person in _responsible(complaint, level):
                    if person.mobile_number:
                        sms_send(mobile_number=person.mobile_number, recipient=person, content=text,
                                 purpose=f"supervision.{level}",
                                 idempotency_key=f"supervision:warning:{warning.pk}:{person.pk}")
        except IntegrityError:
            continue                                   # already raised for this level and deadline
        raised += 1
    return raised
