"""Queue numbers at a hall (R19, ACC-0.6, 1.4): take, call next, recall, skip, transfer, finish.

Serials come from a locked counter row per hall, day and prefix (never two equal numbers);
"call next" locks the chosen ticket with SKIP LOCKED, so two windows calling at once get two
different tickets. Appointment tickets (prefix Y) are called before walk-ins.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Appointment, AppointmentStatus, BookableMatter, Hall, QueueCounter, QueueTicket, TicketStatus, Window,
)
from apps.core.crypto import keyed_digest
from apps.core.scope import can_see
from apps.core.workflow import record_transition

CALL_PERMISSION = "acceptance.change_queueticket"
APPOINTMENT_PREFIX = "Y"


def _require_caller(actor, hall: Hall) -> None:
    if not actor.has_perm(CALL_PERMISSION) or not can_see(actor, hall):
        raise PermissionDenied(_("您没有该大厅的叫号权限。"))


def _next_number(hall: Hall, day, prefix: str) -> str:
    QueueCounter.objects.bulk_create([QueueCounter(hall=hall, date=day, prefix=prefix)], ignore_conflicts=True)
    counter = QueueCounter.objects.select_for_update().get(hall=hall, date=day, prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:03d}"


def find_todays_appointment(*, hall: Hall, appointment_number: str = "", id_number: str = "",
                            mobile_number: str = "") -> Appointment | None:
    """Today's live appointment at `hall` by number, ID number (card swipe) or mobile number."""
    rows = Appointment.objects.filter(hall=hall, date=timezone.localdate(),
                                      status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED,
                                                  AppointmentStatus.CHECKED_IN])
    if appointment_number:
        rows = rows.filter(appointment_number=appointment_number.strip().upper())
    elif id_number:
        rows = rows.filter(id_number_digest=keyed_digest(id_number.strip().upper()))
    elif mobile_number:
        rows = rows.filter(mobile_number_digest=keyed_digest(mobile_number.strip()))
    else:
        return None
    return rows.select_related("bookable_matter").order_by("period_start").first()


def ticket_take(*, hall: Hall, actor=None, appointment_number: str = "", id_number: str = "",
                bookable_matter: BookableMatter | None = None) -> QueueTicket:
    """A queue number: linked to today's appointment when one is presented (priority), else a walk-in."""
    if not hall.is_active:
        raise ValidationError(_("该大厅未启用。"))
    today = timezone.localdate()
    with transaction.atomic():
        appointment = None
        if appointment_number or id_number:
            appointment = find_todays_appointment(hall=hall, appointment_number=appointment_number,
                                                  id_number=id_number)
            if appointment is None:
                raise ValidationError(_("未找到您今天在本大厅的有效预约，请核对预约编号或证件号码。"))
            appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
            if appointment.is_extended_service:
                raise ValidationError(_("延时服务预约无需取号，请直接到值班窗口办理。"))
            if hasattr(appointment, "ticket"):
                raise ValidationError(_("该预约已取号：%(n)s。") % {"n": appointment.ticket.number})
            bookable_matter = appointment.bookable_matter
        elif bookable_matter is not None and bookable_matter.hall_id != hall.pk:
            raise ValidationError(_("所选事项不在本大厅办理。"))
        prefix = APPOINTMENT_PREFIX if appointment else hall.queue_code
        ticket = QueueTicket.objects.create(hall=hall, date=today, number=_next_number(hall, today, prefix),
                                            appointment=appointment, bookable_matter=bookable_matter,
                                            is_priority=appointment is not None)
        if appointment:
            previous = appointment.status
            appointment.status = AppointmentStatus.CHECKED_IN
            appointment.checked_in_at = timezone.now()
            appointment.check_in_method = "appointment_number" if appointment_number else "id_card"
            appointment.save(update_fields=["status", "checked_in_at", "check_in_method"])
            record_transition(obj=appointment, from_state=previous, to_state=AppointmentStatus.CHECKED_IN,
                              actor=actor, action="take_ticket", comment=ticket.number)
    return ticket


def ticket_call_next(*, window: Window, actor) -> QueueTicket | None:
    """Finish the window's current ticket and call the next one it may serve (None: queue empty)."""
    _require_caller(actor, window.hall)
    today = timezone.localdate()
    with transaction.atomic():
        QueueTicket.objects.filter(window=window, status=TicketStatus.CALLED).update(status=TicketStatus.DONE)
        waiting = QueueTicket.objects.filter(hall_id=window.hall_id, date=today, status=TicketStatus.WAITING).filter(
            Q(target_window__isnull=True) | Q(target_window=window))
        matter_ids = list(window.matters.values_list("matter_id", flat=True))
        if matter_ids:
            waiting = waiting.filter(Q(bookable_matter__isnull=True) | Q(bookable_matter__matter_id__in=matter_ids))
        ticket = (waiting.order_by("-is_priority", "taken_at", "pk")
                  .select_for_update(skip_locked=True, of=("self",)).first())
        if ticket is None:
            return None
        ticket.status, ticket.window, ticket.target_window = TicketStatus.CALLED, window, None
        ticket.called_at, ticket.call_count = timezone.now(), 1
        ticket.save(update_fields=["status", "window", "target_window", "called_at", "call_count"])
    return ticket


def _called_ticket(ticket: QueueTicket, actor) -> QueueTicket:
    _require_caller(actor, ticket.hall)
    ticket = QueueTicket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != TicketStatus.CALLED:
        raise ValidationError(_("只能操作正在叫号的号码。"))
    return ticket


def ticket_recall(*, ticket: QueueTicket, actor) -> QueueTicket:
    with transaction.atomic():
        ticket = _called_ticket(ticket, actor)
        ticket.call_count += 1
        ticket.called_at = timezone.now()
        ticket.save(update_fields=["call_count", "called_at"])
    return ticket


def ticket_skip(*, ticket: QueueTicket, actor) -> QueueTicket:
    with transaction.atomic():
        ticket = _called_ticket(ticket, actor)
        ticket.status = TicketStatus.SKIPPED
        ticket.save(update_fields=["status"])
    return ticket


def ticket_finish(*, ticket: QueueTicket, actor) -> QueueTicket:
    with transaction.atomic():
        ticket = _called_ticket(ticket, actor)
        ticket.status = TicketStatus.DONE
        ticket.save(update_fields=["status"])
    return ticket


def ticket_transfer(*, ticket: QueueTicket, target_window: Window, actor) -> QueueTicket:
    """Send a called ticket back to the queue for another window of the same hall, keeping its place."""
    with transaction.atomic():
        ticket = _called_ticket(ticket, actor)
        if target_window.hall_id != ticket.hall_id or target_window.pk == ticket.window_id:
            raise ValidationError(_("只能转移到本大厅的其他窗口。"))
        ticket.status, ticket.target_window, ticket.window = TicketStatus.WAITING, target_window, None
        ticket.save(update_fields=["status", "target_window", "window"])
    return ticket


def display_state(*, hall: Hall, limit: int = 8) -> dict:
    """What the waiting-room screen shows: the latest calls and the queue length (2 queries)."""
    today = timezone.localdate()
    called = (QueueTicket.objects.filter(hall=hall, date=today, status=TicketStatus.CALLED)
              .select_related("window").order_by("-called_at")[:limit])
    waiting = QueueTicket.objects.filter(hall=hall, date=today, status=TicketStatus.WAITING).count()
    return {"hall": hall.name, "waiting": waiting, "now": timezone.localtime().strftime("%H:%M:%S"),
            "calls": [{"number": t.number, "window": t.window.window_number if t.window else "",
                       "window_name": t.window.name if t.window else "", "call_count": t.call_count,
                       "called_at": timezone.localtime(t.called_at).strftime("%H:%M:%S")} for t in called]}
