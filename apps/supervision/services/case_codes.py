"""Case-code supervision (办件码监察, ACC-17.8).

Every accepted case must carry a case code (办件码, apps.acceptance). The hourly scan looks at the
accepted cases that still have none and escalates, once per level and case:
* at once → 预警 (warning) to the accepting clerk and the organisation's case handlers;
* NO_CODE_YELLOW_DAYS working days after acceptance → 黄牌;
* NO_CODE_RED_DAYS working days after acceptance → 红牌, the accountability step (问责): it also goes
  to the organisation's leaders and stands on the 电子监察 list for the supervisors.
Giving the case its code stops the escalation (the case leaves `cases_without_code`).
"""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.calendar import working_days_between
from apps.supervision.models import WarningLevel, WarningReason
from apps.supervision.services.case_warnings import case_warning_raise

NO_CODE_YELLOW_DAYS = 1
NO_CODE_RED_DAYS = 3
# Cases accepted before this many days are left to the reconciliation report (ACC-17.10).
LOOKBACK_DAYS = 90
NO_CODE_TEXTS = {
    WarningLevel.WARNING: "【办件码监察】办件%(n)s（%(i)s）已受理但未申领办件码，请立即赋码。",
    WarningLevel.YELLOW_CARD: "【办件码监察黄牌】办件%(n)s（%(i)s）受理已超过%(y)s个工作日仍未赋码，请立即赋码。",
    WarningLevel.RED_CARD: "【办件码监察红牌】办件%(n)s（%(i)s）受理已超过%(r)s个工作日仍未赋码，已启动问责，请说明原因。",
}


def no_code_level(case, now) -> str:
    days = working_days_between(case.accepted_at, now) if now >= case.accepted_at else 0
    if days >= NO_CODE_RED_DAYS:
        return WarningLevel.RED_CARD
    if days >= NO_CODE_YELLOW_DAYS:
        return WarningLevel.YELLOW_CARD
    return WarningLevel.WARNING


def case_code_scan(*, now=None) -> int:
    """Raise the case-code warnings due now; returns how many were raised."""
    from apps.acceptance.services.codes import cases_without_code

    now = now or timezone.now()
    recent = cases_without_code().filter(accepted_at__gte=now - timezone.timedelta(days=LOOKBACK_DAYS))
    raised = 0
    for case in recent.select_related("item", "organisation", "accepted_by"):
        level = no_code_level(case, now)
        text = _(NO_CODE_TEXTS[level]) % {"n": case.case_number, "i": case.item.name,
                                          "y": NO_CODE_YELLOW_DAYS, "r": NO_CODE_RED_DAYS}
        raised += case_warning_raise(case=case, level=level, deadline=case.accepted_at, text=text,
                                     purpose=f"supervision.case_code_{level}", key="supervision:case-code",
                                     now=now, reason=WarningReason.NO_CASE_CODE)
    return raised
