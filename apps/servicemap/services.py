"""Writes of the service map (MAP-1.7.x, 6.3 – 6.6): verification codes, window booking, window
consultation and evaluation. Each needs a signed-in (SSO) applicant; each refusal is a
ValidationError / PermissionDenied with a Chinese message and writes nothing.

Routing (decision 0905): a hall with its own booking / consultation system gets the record pushed
through the outbox; otherwise the platform's own engines take it — the acceptance appointment
engine (号源, blacklist, SMS) and the acceptance consultation registry. Evaluations always go to
the 好差评 system (apps.reviews.services.evaluations)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import HallStaff, Slot, Window, WindowMatter, WindowStaff
from apps.core.crypto import keyed_digest, mask_mobile
from apps.core.models.sms import SECRET_PLACEHOLDER
from apps.core.outbox import enqueue
from apps.core.services.audit import audit_record
from apps.core.sms import sms_send
from apps.core.validators import validate_mobile_number
from apps.servicemap.models import (
    HallConnection, PushStatus, RequestTarget, VerificationCode, WindowBooking, WindowConsultation,
)

BOOKING_PEER = "servicemap_hall_booking"
CONSULTATION_PEER = "servicemap_hall_consultation"
CODE_TEXT = "【黑龙江政务服务网】您正在政务服务地图办理{purpose}，验证码 {code}，{minutes} 分钟内有效，请勿泄露。"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _require_applicant(actor) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先通过统一身份认证登录。"))


def applicant_name(user) -> str:
    """The SSO user's real name (MAP-6.2: not typed again), else the account name."""
    return (getattr(user, "full_name", "") or user.get_full_name() or user.get_username()).strip()


def _number(prefix: str) -> str:
    return f"{prefix}{timezone.localtime():%Y%m%d}{secrets.token_hex(4).upper()}"


# --- verification codes (MAP-6.6) -------------------------------------------------------------

def code_send(*, mobile_number: str, purpose: str, recipient=None) -> VerificationCode:
    """Send a 6-digit code by SMS (kernel SMS + outbox); refused within the resend interval."""
    mobile_number = (mobile_number or "").strip()
    try:
        validate_mobile_number(mobile_number)
    except ValidationError:
        raise ValidationError({"mobile_number": _("请输入正确的11位手机号码。")}) from None
    if purpose not in VerificationCode.Purpose.values:
        raise ValidationError({"purpose": _("未知的验证码用途。")})
    digest = keyed_digest(mobile_number)
    interval = _setting("SERVICEMAP_CODE_RESEND_SECONDS", 60)
    minutes = _setting("SERVICEMAP_CODE_MINUTES", 5)
    code = f"{secrets.randbelow(10 ** 6):06d}"
    with transaction.atomic():
        recent = VerificationCode.objects.select_for_update().filter(
            mobile_number_digest=digest, purpose=purpose, created_at__gt=timezone.now() - timedelta(seconds=interval))
        if recent.exists():
            raise ValidationError({"mobile_number": _("验证码已发送，请 %(s)s 秒后再试。") % {"s": interval}})
        row = VerificationCode.objects.create(mobile_number_digest=digest, purpose=purpose,
                                              code_digest=keyed_digest(f"map:{purpose}:{code}"),
                                              expires_at=timezone.now() + timedelta(minutes=minutes))
        sms_send(mobile_number=mobile_number, recipient=recipient, purpose=f"servicemap_{purpose}",
                 content=CODE_TEXT.format(purpose=VerificationCode.Purpose(purpose).label, code=SECRET_PLACEHOLDER,
                                          minutes=minutes),
                 secret=code, idempotency_key=f"servicemap:code:{row.pk}")
    return row


def code_verify(*, mobile_number: str, purpose: str, code: str) -> None:
    """Use the latest code of the number and purpose; its own transaction, so wrong tries count."""
    digest = keyed_digest((mobile_number or "").strip())
    error = None
    with transaction.atomic():
        row = (VerificationCode.objects.select_for_update().filter(mobile_number_digest=digest, purpose=purpose)
               .order_by("-created_at", "-pk").first())
        if row is None:
            error = _("请先获取短信验证码。")
        elif row.used_at is not None:
            error = _("短信验证码已使用，请重新获取。")
        elif row.expires_at <= timezone.now():
            error = _("短信验证码已过期，请重新获取。")
        elif row.attempts >= _setting("SERVICEMAP_CODE_MAX_ATTEMPTS", 5):
            error = _("短信验证码错误次数过多，请重新获取。")
        elif row.code_digest != keyed_digest(f"map:{purpose}:{(code or '').strip()}"):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            error = _("短信验证码错误。")
        else:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
    if error:
        raise ValidationError({"code": error})


# --- shared checks ----------------------------------------------------------------------------

def _connection(hall) -> HallConnection | None:
    return HallConnection.objects.filter(hall=hall).first()


def _stationed(window: Window, matter) -> None:
    if matter is None or not WindowMatter.objects.filter(window=window, matter=matter).exists():
        raise ValidationError({"matter": _("请选择本窗口可办理的事项。")})


def _check_window(window: Window) -> None:
    if not window.is_active or not window.hall.is_active:
        raise ValidationError(_("该窗口暂停服务。"))


# --- booking (MAP-1.7.1, 6.4) -----------------------------------------------------------------

@dataclass
class BookingInput:
    window: Window
    matter: object
    booker_name: str
    mobile_number: str
    id_number: str = ""
    code: str = ""
    slot: Slot | None = None          # the platform engine (MAP-6.4.2)
    date: date | None = None          # a hall's own system (MAP-6.4.1)
    period_start: time | None = None
    period_end: time | None = None
    channel: str = "pc"


def _booking_errors(data: BookingInput, own_system: bool) -> dict:
    errors = {}
    if not data.booker_name.strip():
        errors["booker_name"] = _("请填写预约人姓名。")
    try:
        validate_mobile_number((data.mobile_number or "").strip())
    except ValidationError:
        errors["mobile_number"] = _("请输入正确的11位手机号码。")
    if own_system:
        if data.date is None or data.date < timezone.localdate():
            errors["date"] = _("请选择今天或以后的预约日期。")
        if data.period_start is None or data.period_end is None or data.period_end <= data.period_start:
            errors["period"] = _("请选择办理时间段。")
    else:
        from apps.core.validators import validate_id_number

        try:
            validate_id_number((data.id_number or "").strip().upper())
        except ValidationError:
            errors["id_number"] = _("请填写正确的18位身份证号码（平台预约按身份证号核验）。")
        errors.update(_slot_errors(data))
    return errors


def _slot_errors(data: BookingInput) -> dict:
    errors = {}
    if data.slot is None:
        errors["slot"] = _("请选择预约时间段。")
    elif data.slot.hall_id != data.window.hall_id or data.slot.bookable_matter.matter_id != data.matter.pk:
        errors["slot"] = _("所选时间段不属于该窗口的事项。")
    return errors


def booking_submit(*, actor, data: BookingInput) -> WindowBooking:
    """Book a matter at a window: to the hall's own booking system (outbox) or through the platform's
    appointment engine. The SMS code is checked last, after every other refusal."""
    _require_applicant(actor)
    window = data.window
    _check_window(window)
    if not window.supports_appointment:
        raise ValidationError(_("该窗口暂不支持预约。"))
    _stationed(window, data.matter)
    connection = _connection(window.hall)
    own_system = bool(connection and connection.booking_system_url)
    errors = _booking_errors(data, own_system)
    if errors:
        raise ValidationError(errors)
    code_verify(mobile_number=data.mobile_number, purpose=VerificationCode.Purpose.BOOKING, code=data.code)
    location = window.handling_location or f"{window.hall.name} {window}"
    with transaction.atomic():
        booking = WindowBooking(number=_number("MB"), applicant=actor, booker_name=data.booker_name.strip(),
                                mobile_number=data.mobile_number.strip(), hall=window.hall, window=window,
                                matter=data.matter, handling_location=location[:255])
        if own_system:
            booking.date, booking.period_start, booking.period_end = data.date, data.period_start, data.period_end
            booking.target = RequestTarget.HALL_SYSTEM
            booking.save()
            enqueue(peer=BOOKING_PEER, kind="booking", payload={"booking_id": booking.pk},
                    idempotency_key=f"servicemap:booking:{booking.number}", region=window.hall.region)
        else:
            from apps.acceptance.services.booking import appointment_book

            appointment = appointment_book(slot=data.slot, actor=actor, booker_name=data.booker_name,
                                           mobile_number=data.mobile_number, id_number=data.id_number,
                                           channel=data.channel)
            booking.appointment, booking.target, booking.status = appointment, RequestTarget.PLATFORM, PushStatus.PUSHED
            booking.date, booking.period_start, booking.period_end = (appointment.date, appointment.period_start,
                                                                      appointment.period_end)
            booking.external_reference = appointment.appointment_number
            booking.save()
        audit_record(actor=actor, action="create", obj=booking, detail=f"窗口预约 {booking.get_target_display()}")
    return booking


def booking_record(booking: WindowBooking) -> dict:
    window, matter = booking.window, booking.matter
    return {"number": booking.number, "hall_number": booking.hall.hall_number, "window_number": window.window_number,
            "item_code": matter.implementation_code, "item_name": matter.name, "date": booking.date.isoformat(),
            "period_start": f"{booking.period_start:%H:%M}", "period_end": f"{booking.period_end:%H:%M}",
            "handling_location": booking.handling_location, "booker_name": booking.booker_name,
            "mobile_masked": mask_mobile(booking.mobile_number)}


# --- consultation (MAP-1.7.2, 6.5) ------------------------------------------------------------

def consultation_submit(*, actor, window: Window, matter, title: str, question: str, consultant_name: str,
                        mobile_number: str, code: str) -> WindowConsultation:
    """Ask about a matter at a window: to the hall's consultation system (outbox) or the platform's
    consultation registry (pending, answered by the window's department)."""
    _require_applicant(actor)
    _check_window(window)
    if not window.supports_consultation:
        raise ValidationError(_("该窗口暂不支持在线咨询。"))
    _stationed(window, matter)
    errors = {}
    title, question = (title or "").strip(), (question or "").strip()
    if not title:
        errors["title"] = _("请填写咨询标题。")
    elif len(title) > 100:
        errors["title"] = _("咨询标题不能超过100个字。")
    if not question:
        errors["question"] = _("请填写详细问题。")
    elif len(question) > 2000:
        errors["question"] = _("详细问题不能超过2000个字。")
    try:
        validate_mobile_number((mobile_number or "").strip())
    except ValidationError:
        errors["mobile_number"] = _("请输入正确的11位手机号码。")
    if errors:
        raise ValidationError(errors)
    code_verify(mobile_number=mobile_number, purpose=VerificationCode.Purpose.CONSULTATION, code=code)
    connection = _connection(window.hall)
    name = (consultant_name or "").strip() or applicant_name(actor)
    with transaction.atomic():
        row = WindowConsultation(number=_number("MC"), applicant=actor, consultant_name=name[:64],
                                 mobile_number=mobile_number.strip(), hall=window.hall, window=window, matter=matter,
                                 title=title, question=question)
        if connection and connection.consultation_system_url:
            row.target = RequestTarget.HALL_SYSTEM
            row.save()
            enqueue(peer=CONSULTATION_PEER, kind="consultation", payload={"consultation_id": row.pk},
                    idempotency_key=f"servicemap:consultation:{row.number}", region=window.hall.region)
        else:
            from apps.acceptance.services.consult import consultation_submit_online

            registered = consultation_submit_online(
                actor=actor, organisation=window.department or window.hall.organisation, business=title,
                question=question, item=matter, consultant_name=name, consultant_mobile=mobile_number.strip())
            row.consultation, row.target, row.status = registered, RequestTarget.PLATFORM, PushStatus.PUSHED
            row.save()
        audit_record(actor=actor, action="create", obj=row, detail=f"窗口咨询 {row.get_target_display()}")
    return row


def consultation_record(row: WindowConsultation) -> dict:
    return {"number": row.number, "hall_number": row.hall.hall_number, "window_number": row.window.window_number,
            "item_code": row.matter.implementation_code, "item_name": row.matter.name, "title": row.title,
            "question": row.question, "consultant_name": row.consultant_name, "mobile": row.mobile_number}


# --- outbox senders ---------------------------------------------------------------------------

def _push(model, pk: int, url_field: str, record_builder, message) -> None:
    from apps.core.outbox import PeerPermanentError
    from apps.servicemap.adapters import hall_system_client

    row = model.objects.select_related("hall", "window", "matter").filter(pk=pk).first()
    if row is None:
        raise PeerPermanentError(f"{model.__name__} {pk} no longer exists")
    url = getattr(_connection(row.hall), url_field, "") if _connection(row.hall) else ""
    if not url:
        raise PeerPermanentError(f"hall {row.hall_id} has no {url_field}")
    try:
        reference = hall_system_client().push(url, record_builder(row), idempotency_key=message.idempotency_key)
    except PeerPermanentError as exc:
        model.objects.filter(pk=pk).update(status=PushStatus.PUSH_FAILED, push_error=str(exc)[:255])
        raise
    model.objects.filter(pk=pk).update(status=PushStatus.PUSHED, external_reference=reference[:64], push_error="")


def send_booking(message) -> None:
    _push(WindowBooking, message.payload["booking_id"], "booking_system_url", booking_record, message)


def send_consultation(message) -> None:
    _push(WindowConsultation, message.payload["consultation_id"], "consultation_system_url", consultation_record,
          message)


# --- evaluation (MAP-1.7.3, 6.3) --------------------------------------------------------------

def evaluation_submit(*, actor, window: Window, application_number: str, level, code: str, tags=None,
                      comment: str = "", staff: HallStaff | None = None, channel: str = "pc"):
    """Evaluate a window (or one of its staff) in the 好差评 system. The applicant is signed in (SSO),
    gives the application number (事项申请编号 = 办件编号) of one of HIS concluded cases and the SMS
    code sent to his registered mobile; 好差评's own rules then apply (one evaluation per case …)."""
    from apps.acceptance.models import Case
    from apps.reviews.models import ObjectKind
    from apps.reviews.services.evaluations import EvaluationInput, clean_level
    from apps.reviews.services.evaluations import evaluation_submit as reviews_submit

    _require_applicant(actor)
    _check_window(window)
    number = (application_number or "").strip()
    if not number:
        raise ValidationError({"application_number": _("请输入事项申请编号。")})
    digest = getattr(actor, "id_number_digest", "") or "-"
    from django.db.models import Q

    case = Case.objects.filter(Q(applicant=actor) | Q(applicant_id_number_digest=digest), case_number=number).first()
    if case is None:
        raise ValidationError({"application_number": _("未找到您名下的该事项申请编号，请核对后再试。")})
    if staff is not None and not WindowStaff.objects.filter(window=window, staff=staff).exists():
        raise ValidationError({"staff": _("该人员未入驻本窗口。")})
    clean_level(level)
    mobile = getattr(actor, "mobile_number", "") or ""
    if not mobile:
        raise ValidationError({"code": _("您的账号未登记手机号码，无法接收验证码。")})
    code_verify(mobile_number=mobile, purpose=VerificationCode.Purpose.EVALUATION, code=code)
    data = EvaluationInput(
        object_kind=ObjectKind.STAFF if staff is not None else ObjectKind.WINDOW, channel=channel, level=level,
        tags=list(tags or []), comment=(comment or "").strip()[:1000], case=case, hall=window.hall, window=window,
        staff=staff, evaluator=actor, evaluator_name=applicant_name(actor))
    return reviews_submit(data=data)
