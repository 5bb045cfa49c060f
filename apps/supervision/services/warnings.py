"""Time-limit supervision (时效监察): due-soon and overdue reminders by SMS, once per level."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.calendar import add_working_days
from apps.core.sms import sms_send
from apps.supervision.models import DONE_STATUSES, Complaint, DeadlineStatus
from apps.supervision.services.deadlines import DUE_SOON_DAYS


def _responsible(complaint: Complaint) -> list:
    from apps.supervision.services.workflow import TODO_DEPARTMENT_STATES, processors_of

    if complaint.department_id and complaint.status in TODO_DEPARTMENT_STATES:
        return list(processors_of(complaint.department))
    return [complaint.handler] if complaint.handler_id else []


def deadline_scan(*, now=None) -> int:
    """Send one SMS per responsible person per complaint and level; returns SMS queued."""
    now = now or timezone.now()
    soon = add_working_days(now, DUE_SOON_DAYS)
    queryset = (Complaint.objects.exclude(status__in=DONE_STATUSES).filter(deadline__lte=soon)
                .select_related("department", "handler"))
    sent = 0
    for complaint in queryset:
        level = DeadlineStatus.OVERDUE if complaint.deadline < now else DeadlineStatus.DUE_SOON
        text = (_("投诉件%(n)s已超期，请立即办理。") if level == DeadlineStatus.OVERDUE
                else _("投诉件%(n)s即将超期（期限%(d)s），请及时办理。")) % {
            "n": complaint.case_number, "d": f"{timezone.localtime(complaint.deadline):%m-%d %H:%M}"}
        for person in _responsible(complaint):
            if not person.mobile_number:
                continue
            with transaction.atomic():
                sms_send(mobile_number=person.mobile_number, recipient=person, content=text,
                         purpose=f"supervision.{level}",
                         idempotency_key=f"supervision:{complaint.pk}:{level}:{complaint.deadline:%Y%m%d%H%M}:{person.pk}")
            sent += 1
    return sent
