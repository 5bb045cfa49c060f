"""Reference data writes (halls, windows, staff, matters at windows, bookable matters, plans,
matter groups, labels, check-in QR codes): one generic scoped save, audited."""
from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Appointment, AppointmentStatus, Hall, HallCheckInQr, HallStaff, HallStaffKind, QrValidity, Window, WindowMatter,
    WindowStaff, WindowType,
)
from apps.acceptance.services.calendar import require_manager
from apps.core.scope import can_see
from apps.core.services.audit import audit_record, diff_instance
from apps.core.workflow import record_transition


def hall_of(instance) -> Hall | None:
    for path in ("hall", "window.hall", "bookable_matter.hall", "group.hall"):
        obj = instance
        for part in path.split("."):
            obj = getattr(obj, part, None) if obj is not None else None
        if isinstance(obj, Hall):
            return obj
    return instance if isinstance(instance, Hall) else None


def reference_save(*, instance, actor, permission: str):
    """Create or update one reference record inside the actor's scope; audited."""
    if not actor.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    hall = hall_of(instance)
    if isinstance(instance, Hall):
        if not _hall_in_scope(actor, instance):
            raise PermissionDenied(_("只能管理本机构及下级机构的大厅。"))
    elif hall is not None and not can_see(actor, hall):
        raise PermissionDenied(_("只能管理本机构及下级机构的大厅。"))
    created = instance.pk is None
    window_rules_check(instance)
    try:
        with transaction.atomic():
            changes = None if created else diff_instance(type(instance).objects.get(pk=instance.pk), instance)
            instance.full_clean()
            instance.save()
            audit_record(actor=actor, action="create" if created else "update", obj=instance, changes=changes)
    except IntegrityError:
        raise ValidationError(_("记录重复，请检查编号。")) from None
    return instance


def window_rules_check(instance) -> None:
    """REV-1.2, 1.4, 1.5 — comprehensive vs specialised windows:

    * a specialised window (专业窗口) belongs to one department; it takes only staff of government
      departments (政府组成部门工作人员, not the hall's government employees) and only items of its
      own department;
    * a comprehensive window (综合窗口) takes both kinds of staff and items of several departments;
    * staff and items are assigned within one hall; a window turned specialised must already comply.
    Raises ValidationError (Chinese, per field) before anything is written."""
    if isinstance(instance, Window):
        _window_check(instance)
    elif isinstance(instance, WindowStaff):
        _window_staff_check(instance.window, instance.staff)
    elif isinstance(instance, WindowMatter):
        _window_matter_check(instance.window, instance.matter)


def _matter_departments(matter) -> set:
    return {matter.implementing_body_id, matter.handling_department_id} - {None}


def _window_check(window: Window) -> None:
    if window.window_type != WindowType.SPECIALISED:
        return
    if window.department_id is None:
        raise ValidationError({"department": _("专业窗口须选择所属部门。")})
    if window.pk is None:
        return
    if WindowStaff.objects.filter(window=window, staff__kind=HallStaffKind.GOVERNMENT_EMPLOYEE).exists():
        raise ValidationError({"window_type": _("该窗口已入驻政府雇员，不能改为专业窗口；请先调整入驻人员。")})
    for assigned in WindowMatter.objects.filter(window=window).select_related("matter"):
        if window.department_id not in _matter_departments(assigned.matter):
            raise ValidationError({"window_type": _("该窗口已入驻其他部门的事项“%(m)s”，不能改为专业窗口。")
                                   % {"m": assigned.matter.name}})


def _window_staff_check(window: Window, staff: HallStaff) -> None:
    if staff.hall_id != window.hall_id:
        raise ValidationError({"staff": _("只能安排本大厅的人员入驻窗口。")})
    if not staff.is_active:
        raise ValidationError({"staff": _("该人员不在岗，不能入驻窗口。")})
    if window.window_type == WindowType.SPECIALISED and staff.kind != HallStaffKind.DEPARTMENT_STAFF:
        raise ValidationError({"staff": _("专业窗口只能入驻政府组成部门工作人员，%(n)s 是政府雇员。")
                               % {"n": staff.name}})


def _window_matter_check(window: Window, matter) -> None:
    if window.window_type == WindowType.SPECIALISED and window.department_id not in _matter_departments(matter):
        raise ValidationError({"matter": _("专业窗口只能入驻所属部门（%(d)s）的事项，“%(m)s”属于其他部门。")
                               % {"d": window.department.name if window.department_id else "-", "m": matter.name}})


def _hall_in_scope(actor, hall: Hall) -> bool:
    """A hall may be created or edited only for an organisation (and region) inside the actor's scope."""
    from apps.core.scope import scope_filter

    condition = scope_filter(Hall, actor)
    if condition is None:
        return True
    probe = Hall.objects.filter(pk=hall.pk) if hall.pk else None
    if probe is not None and not probe.filter(condition).exists():
        return False
    organisation = actor.organisation
    if organisation is None:
        return False
    if organisation.is_region_wide:
        return hall.region_id.startswith(organisation.region.prefix)
    return hall.organisation.tree_path.startswith(organisation.tree_path)


VALIDITY_DAYS = {QrValidity.WEEK: 7, QrValidity.MONTH: 30}


def check_in_qr_create(*, hall: Hall, validity: str, actor, expires_at=None) -> HallCheckInQr:
    """ACC-3.1 / 3.2: a hall check-in QR code, permanent or valid for a week, a month or until a date."""
    require_manager(actor, hall)
    if validity not in QrValidity.values:
        raise ValidationError({"validity": _("请选择有效期。")})
    now = timezone.now()
    if validity in VALIDITY_DAYS:
        expires_at = now + timedelta(days=VALIDITY_DAYS[validity])
    elif validity == QrValidity.CUSTOM:
        if expires_at is None or expires_at <= now:
            raise ValidationError({"expires_at": _("自定义有效期须晚于当前时间。")})
    else:
        expires_at = None
    with transaction.atomic():
        qr = HallCheckInQr.objects.create(hall=hall, validity=validity, expires_at=expires_at)
        audit_record(actor=actor, action="create", obj=qr)
    return qr


def check_in_qr_open(*, token: str) -> HallCheckInQr:
    """A scan: count the request; an expired code is refused (R20)."""
    qr = HallCheckInQr.objects.select_related("hall").filter(token=token).first()
    if qr is None:
        raise ValidationError(_("二维码无效。"))
    HallCheckInQr.objects.filter(pk=qr.pk).update(request_count=F("request_count") + 1)
    if qr.expires_at is not None and qr.expires_at <= timezone.now():
        raise ValidationError(_("该预约核验二维码已过期，请联系大厅工作人员。"), code="expired")
    return qr


def check_in_qr_verify(*, qr: HallCheckInQr, value: str, actor=None) -> Appointment:
    """ACC-3.3: the booker enters an ID number, mobile number or appointment number → confirmed."""
    from apps.acceptance.services.queue import find_todays_appointment

    value = (value or "").strip()
    if qr.expires_at is not None and qr.expires_at <= timezone.now():
        raise ValidationError(_("该预约核验二维码已过期，请联系大厅工作人员。"), code="expired")
    if not value:
        raise ValidationError(_("请输入身份证号码、手机号码或预约编号。"))
    if value.upper().startswith("YY"):
        found = find_todays_appointment(hall=qr.hall, appointment_number=value)
    elif len(value) == 11 and value.isdigit():
        found = find_todays_appointment(hall=qr.hall, mobile_number=value)
    else:
        found = find_todays_appointment(hall=qr.hall, id_number=value)
    if found is None or found.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("未找到您今天在本大厅待核验的预约。"))
    with transaction.atomic():
        Appointment.objects.filter(pk=found.pk).update(status=AppointmentStatus.CONFIRMED,
                                                       checked_in_at=timezone.now(), check_in_method="hall_qr")
        HallCheckInQr.objects.filter(pk=qr.pk).update(verification_count=F("verification_count") + 1)
        record_transition(obj=found, from_state=AppointmentStatus.BOOKED, to_state=AppointmentStatus.CONFIRMED,
                          actor=actor, action="check_in_qr")
    found.refresh_from_db()
    return found


def slot_plan_save(*, bookable_matter, kind: str, periods: list[dict], actor):
    """ACC-5.3: the priority-handling or extended-service plan of a bookable matter."""
    from apps.acceptance.models import SlotPlan
    from apps.acceptance.services.calendar import parse_periods

    require_manager(actor, bookable_matter.hall)
    parse_periods(periods)
    with transaction.atomic():
        plan, _created = SlotPlan.objects.update_or_create(bookable_matter=bookable_matter, kind=kind,
                                                           defaults={"periods": periods, "is_active": True})
        audit_record(actor=actor, action="update", obj=plan, detail=str(periods))
    return plan


def matter_group_create(*, hall: Hall, name: str, members, quotas: list[dict], actor):
    """ACC-5.8: a matter group with its quota per time period."""
    from apps.acceptance.models import MatterGroup, MatterGroupQuota
    from apps.acceptance.services.calendar import parse_periods

    require_manager(actor, hall)
    members = list(members)
    if not name.strip() or len(members) < 2:
        raise ValidationError(_("请填写事项组名称并至少选择两个事项。"))
    if any(member.hall_id != hall.pk for member in members):
        raise ValidationError(_("事项组只能包含本大厅的预约事项。"))
    periods = parse_periods(quotas)
    with transaction.atomic():
        group = MatterGroup.objects.create(hall=hall, name=name.strip())
        group.members.add(*members)
        MatterGroupQuota.objects.bulk_create([MatterGroupQuota(group=group, period_start=s, period_end=e, quota=q)
                                              for s, e, q in periods])
        audit_record(actor=actor, action="create", obj=group)
    return group
