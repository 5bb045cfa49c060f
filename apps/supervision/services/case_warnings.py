"""Electronic supervision of accepted cases (办件电子监察).

Cases of apps.acceptance carry a committed due date in working days (`Case.due_date`). The
hourly scan flags open cases:
* due within DUE_SOON_DAYS working days → 预警 (warning);
* past the due date → 黄牌 (yellow card);
* RED_CARD_DAYS working days or more past it → 红牌 (red card).
Each level is recorded once per case and due date (unique constraint) with an SMS through the
kernel to the people responsible: the clerk who accepted the case and the organisation's case
handlers; a red card also goes to the organisation's leaders (一把手, PORTAL-3.1).
"""
from __future__ import annotations

from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.calendar import add_working_days, working_days_between
from apps.core.sms import sms_send
from apps.supervision.models import EarlyWarning, WarningLevel, WarningReason
from apps.supervision.services.deadlines import DUE_SOON_DAYS
from apps.supervision.services.warnings import RED_CARD_DAYS

CASE_TEXTS = {
    WarningLevel.WARNING: "【电子监察预警】办件%(n)s（%(i)s）将于%(d)s到期，请及时办结。",
    WarningLevel.YELLOW_CARD: "【电子监察黄牌】办件%(n)s（%(i)s）已超期（承诺办结日期%(d)s），请立即办理。",
    WarningLevel.RED_CARD: "【电子监察红牌】办件%(n)s（%(i)s）严重超期（承诺办结日期%(d)s），请立即办理并说明原因。",
}


def case_deadline(case) -> datetime:
    """The instant a case falls due: the end of its committed due date (local time)."""
    return datetime.combine(case.due_date, time(23, 59, 59), timezone.get_current_timezone())


def case_level_of(case, now) -> str | None:
    if case.due_date is None:
        return None
    today = timezone.localdate(now)
    if today > case.due_date:
        late = working_days_between(case.due_date, today)
        return WarningLevel.RED_CARD if late >= RED_CARD_DAYS else WarningLevel.YELLOW_CARD
    if working_days_between(today, case.due_date) <= DUE_SOON_DAYS:
        return WarningLevel.WARNING
    return None


def _staff_with(organisation_id: int, app_label: str, codename: str):
    from apps.identity.models import User

    return User.objects.filter(organisation_id=organisation_id, kind="staff", is_active=True,
                               roles__permissions__codename=codename,
                               roles__permissions__content_type__app_label=app_label).distinct()


def case_responsible(case, level: str) -> list:
    """The clerk who accepted the case, the organisation's case handlers, and for a red card its leaders."""
    people = {}
    if case.accepted_by_id and case.accepted_by.is_active:
        people[case.accepted_by_id] = case.accepted_by
    for user in _staff_with(case.organisation_id, "acceptance", "change_case"):
        people.setdefault(user.pk, user)
    if level == WarningLevel.RED_CARD:
        for user in _staff_with(case.organisation_id, "supervision", "view_leader_report"):
            people.setdefault(user.pk, user)
    return list(people.values())


def open_cases_due(now):
    from apps.acceptance.models.cases import FINAL_STATUSES, Case

    horizon = timezone.localdate(add_working_days(now, DUE_SOON_DAYS))
    return (Case.objects.exclude(status__in=FINAL_STATUSES).filter(due_date__isnull=False, due_date__lte=horizon,
                                                                   concluded_at__isnull=True)
            .select_related("item", "organisation", "accepted_by"))


def case_warning_raise(*, case, level: str, deadline, text: str, purpose: str, key: str, now,
                       reason: str = WarningReason.DEADLINE) -> bool:
    """Record one warning level of a case and text the people responsible; False when that level was
    raised already (unique constraint) — nothing is sent twice."""
    try:
        with transaction.atomic():
            warning = EarlyWarning.objects.create(case=case, reason=reason, level=level, deadline=deadline,
                                                  department=case.organisation, region_id=case.region_id,
                                                  raised_at=now)
            for person in case_responsible(case, level):
                if person.mobile_number:
                    sms_send(mobile_number=person.mobile_number, recipient=person, content=text,
                             purpose=purpose, idempotency_key=f"{key}:{warning.pk}:{person.pk}")
    except IntegrityError:
        return False
    return True


def case_deadline_scan(*, now=None) -> int:
    """Raise the case warnings due now; returns how many were raised."""
    now = now or timezone.now()
    raised = 0
    for case in open_cases_due(now):
        level = case_level_of(case, now)
        if level is None:
            continue
        text = _(CASE_TEXTS[level]) % {"n": case.case_number, "i": case.item.name, "d": f"{case.due_date:%m-%d}"}
        raised += case_warning_raise(case=case, level=level, deadline=case_deadline(case), text=text,
                                     purpose=f"supervision.case_{level}", key="supervision:case-warning", now=now)
    return raised
