"""Writes of the monthly case report (PORTAL-11.1–11.3): fill, correct, lock and unlock a month.

Every write: permission and scope check, validation (bad input writes nothing), one transaction,
one audit record. Rules (docs/decisions/0701-portal-monthly-case-report.md):

* a staff user fills only for their own organisation; the variant follows from it;
* one report per organisation and month (a unique constraint settles races);
* a month is open while it is the current or the previous month (Asia/Shanghai) and not locked;
  a report can be created and corrected only while its month is open.
"""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.core.models import Organisation, OrganisationKind, RegionLevel
from apps.portal.models import FIGURE_LABELS, VARIANT_FIGURES, MonthlyCaseReport, MonthlyReportLock, ReportVariant

FILL_PERMISSION = "portal.fill_monthlycasereport"
LOCK_PERMISSION = "portal.lock_monthlycasereport"


# --- Months ----------------------------------------------------------------------------------------

def month_start(value: date) -> date:
    return value.replace(day=1)


def parse_month(value: str | None) -> date | None:
    """The first day of a "YYYY-MM" month, or None when `value` is not one."""
    try:
        year, month = (value or "").split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def previous_month(value: date) -> date:
    first = month_start(value)
    return (first.replace(year=first.year - 1, month=12) if first.month == 1
            else first.replace(month=first.month - 1))


def fillable_months(today: date | None = None) -> list[date]:
    """The months a unit may fill or correct: the current and the previous month (newest first)."""
    current = month_start(today or timezone.localdate())
    return [current, previous_month(current)]


def month_is_locked(month: date) -> bool:
    return MonthlyReportLock.objects.filter(month=month_start(month)).exists()


def _check_month_open(month: date) -> None:
    if month != month_start(month) or month not in fillable_months():
        raise ValidationError({"month": [_("只能填报或修改本月和上月的月报。")]})
    if MonthlyReportLock.objects.select_for_update().filter(month=month).exists():
        raise ValidationError({"month": [_("%(month)s 的月报已由统计人员锁定，不能再填报或修改。")
                                         % {"month": f"{month:%Y年%m月}"}]})


# --- Unit kind → variant ---------------------------------------------------------------------------

def report_variant_of(organisation: Organisation | None) -> str | None:
    """The form a unit fills: province-level units other than the bureau/government → 中省直 (11.1);
    business environment bureaus of a city or county → 营商局 (11.2); every other unit of a city or
    county → 其他单位 (11.3). The provincial bureau and government fill nothing (they read the totals)."""
    if organisation is None or not organisation.is_enabled:
        return None
    if organisation.region.level == RegionLevel.PROVINCE:
        return None if organisation.is_region_wide else ReportVariant.CENTRAL_PROVINCIAL
    if organisation.kind == OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU:
        return ReportVariant.CITY_BUREAU
    return ReportVariant.CITY_OTHER


def _city_code(region_code: str) -> str:
    return region_code[:4].ljust(12, "0")


# --- Validation ------------------------------------------------------------------------------------

def clean_figures(variant: str, figures: dict) -> dict:
    """The variant's figures as non-negative integers; ValidationError naming every bad field."""
    errors, cleaned = {}, {}
    for name in VARIANT_FIGURES[ReportVariant(variant)]:
        label, value = FIGURE_LABELS[name], figures.get(name)
        if value is None or value == "":
            errors[name] = [_("请填写“%(label)s”。") % {"label": label}]
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[name] = [_("“%(label)s”必须是整数。") % {"label": label}]
            continue
        if isinstance(value, float) and value != number:
            errors[name] = [_("“%(label)s”必须是整数。") % {"label": label}]
        elif number < 0:
            errors[name] = [_("“%(label)s”不能为负数。") % {"label": label}]
        elif number > 2_147_483_647:
            errors[name] = [_("“%(label)s”超出允许范围。") % {"label": label}]
        else:
            cleaned[name] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_filler(actor, organisation: Organisation) -> str:
    if not (getattr(actor, "is_staff_user", False) or actor.is_superuser) or not actor.has_perm(FILL_PERMISSION):
        raise PermissionDenied(_("您没有填报办件月报的权限。"))
    if actor.organisation_id != organisation.pk:
        raise PermissionDenied(_("只能填报本单位的办件月报。"))
    variant = report_variant_of(organisation)
    if variant is None:
        raise PermissionDenied(_("本单位不需要填报办件月报。"))
    return variant


# --- Writes ----------------------------------------------------------------------------------------

def monthly_report_create(*, actor, month: date, figures: dict, organisation: Organisation | None = None,
                          request=None) -> MonthlyCaseReport:
    """PORTAL-11.1–11.3: the actor's unit files its report for `month` (refused if it already has one)."""
    organisation = organisation or actor.organisation
    if organisation is None:
        raise PermissionDenied(_("您不属于任何单位，不能填报办件月报。"))
    variant = _check_filler(actor, organisation)
    cleaned = clean_figures(variant, figures)
    try:
        with transaction.atomic():
            _check_month_open(month)
            if MonthlyCaseReport.objects.filter(organisation=organisation, month=month).exists():
                raise ValidationError({"month": [_("本单位 %(month)s 的月报已经填报，请修改已有月报。")
                                                 % {"month": f"{month:%Y年%m月}"}]})
            region = organisation.region
            report = MonthlyCaseReport.objects.create(
                month=month, variant=variant, organisation=organisation, region=region,
                city_id=None if region.level == RegionLevel.PROVINCE else _city_code(region.code),
                is_own_level=region.level == RegionLevel.CITY, filled_by=actor, **cleaned)
            audit_record(actor=actor, action=AuditAction.CREATE, obj=report, request=request,
                         changes={name: [None, value] for name, value in cleaned.items()},
                         detail=_("填报办件月报 %(month)s") % {"month": f"{month:%Y-%m}"})
    except IntegrityError:          # a concurrent first filing of the same month won the race
        raise ValidationError({"month": [_("本单位 %(month)s 的月报已经填报，请修改已有月报。")
                                         % {"month": f"{month:%Y年%m月}"}]}) from None
    return report


def monthly_report_correct(*, actor, report: MonthlyCaseReport, figures: dict, month: date | None = None,
                           request=None) -> MonthlyCaseReport:
    """Correct the figures of the actor's own unit's report while its month is open; `month`, when the
    form sent one, must be the report's (a correction never moves a report to another month)."""
    if month is not None and month != report.month:
        raise ValidationError({"month": [_("修改月报时不能更改月份。")]})
    _check_filler(actor, report.organisation)
    cleaned = clean_figures(report.variant, figures)
    with transaction.atomic():
        _check_month_open(report.month)
        current = MonthlyCaseReport.objects.select_for_update().get(pk=report.pk)
        changes = {name: [getattr(current, name), value] for name, value in cleaned.items()
                   if getattr(current, name) != value}
        if not changes:
            return current
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.filled_by = actor
        current.save(update_fields=[*cleaned, "filled_by", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, request=request, changes=changes,
                     detail=_("修改办件月报 %(month)s") % {"month": f"{current.month:%Y-%m}"})
    return current


def can_lock(actor) -> bool:
    """Provincial statistics staff (provincial bureau or government) holding the lock permission."""
    organisation = actor.organisation
    return actor.has_perm(LOCK_PERMISSION) and (
        actor.is_superuser or bool(organisation and organisation.is_provincial and organisation.is_region_wide))


def _check_locker(actor) -> None:
    if not actor.has_perm(LOCK_PERMISSION):
        raise PermissionDenied(_("您没有锁定办件月报月份的权限。"))
    if not can_lock(actor):
        raise PermissionDenied(_("只有省级统计人员可以锁定或解锁月份。"))


def monthly_month_lock(*, actor, month: date, request=None) -> MonthlyReportLock:
    """Lock a month province-wide: no unit may fill or correct it afterwards."""
    _check_locker(actor)
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise ValidationError({"month": [_("不能锁定未来的月份。")]})
    with transaction.atomic():
        lock, created = MonthlyReportLock.objects.get_or_create(month=month, defaults={"locked_by": actor})
        if created:
            audit_record(actor=actor, action=AuditAction.CREATE, obj=lock, request=request,
                         detail=_("锁定办件月报月份 %(month)s") % {"month": f"{month:%Y-%m}"})
    return lock


def monthly_month_unlock(*, actor, month: date, request=None) -> None:
    _check_locker(actor)
    with transaction.atomic():
        lock = MonthlyReportLock.objects.select_for_update().filter(month=month_start(month)).first()
        if lock is None:
            return
        audit_record(actor=actor, action=AuditAction.DELETE, obj=lock, request=request,
                     detail=_("解锁办件月报月份 %(month)s") % {"month": f"{lock.month:%Y-%m}"})
        lock.delete()
