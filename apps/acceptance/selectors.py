"""Reads of the acceptance app, cut to the acting user's data scope (apps.core.scope)."""
from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from apps.acceptance.models import (
    Appointment, BlacklistEntry, BookableMatter, Hall, HallCheckInQr, HallPicture, HallStaff, QueueTicket, Slot,
    SlotKind,
    Window,
)
from apps.acceptance.services.calendar import day_rules
from apps.core.crypto import keyed_digest
from apps.core.scope import restrict

BOOKING_HORIZON_DAYS = 14


def hall_list(*, user) -> QuerySet[Hall]:
    return restrict(Hall.objects.select_related("region", "organisation", "parent_hall"), user)


def access_hall(user, pk: int) -> Hall:
    hall = hall_list(user=user).filter(pk=pk).first()
    if hall is None:
        raise Http404
    return hall


def hall_children(hall: Hall) -> dict:
    return {
        "windows": Window.objects.filter(hall=hall).select_related("department").prefetch_related(
            "matters__matter", "assignments__staff"),
        "pictures": HallPicture.objects.filter(hall=hall),
        "staff": HallStaff.objects.filter(hall=hall).select_related("user", "department"),
        "bookable_matters": BookableMatter.objects.filter(hall=hall).select_related("matter").prefetch_related(
            "plans"),
        "check_in_qrs": HallCheckInQr.objects.filter(hall=hall),
        "sub_halls": Hall.objects.filter(parent_hall=hall),
    }


def appointment_list(*, user) -> QuerySet[Appointment]:
    return restrict(Appointment.objects.select_related("hall", "bookable_matter__matter"), user)


def my_appointments(*, user) -> QuerySet[Appointment]:
    return Appointment.objects.filter(user=user).select_related("hall", "bookable_matter__matter")


def appointments_by_applicant(*, id_number: str, mobile_number: str) -> QuerySet[Appointment]:
    """ACC-1.3: the bookings bound to an ID number; the mobile number must match too (privacy)."""
    return Appointment.objects.filter(
        id_number_digest=keyed_digest(id_number.strip().upper()),
        mobile_number_digest=keyed_digest(mobile_number.strip())).select_related("hall", "bookable_matter__matter")


def blacklist_list(*, user) -> QuerySet[BlacklistEntry]:
    """Blacklist entries are province-wide (the applicant is barred everywhere): permission decides."""
    if not user.has_perm("acceptance.manage_appointments"):
        return BlacklistEntry.objects.none()
    return BlacklistEntry.objects.select_related("rule", "revoked_by")


def ticket_list(*, user, hall: Hall) -> QuerySet[QueueTicket]:
    return restrict(QueueTicket.objects.filter(hall=hall, date=timezone.localdate()), user).select_related(
        "window", "appointment", "bookable_matter__matter")


# --- public site -------------------------------------------------------------


def public_halls() -> QuerySet[Hall]:
    return Hall.objects.filter(is_active=True, booking_enabled=True).select_related("region")


def public_hall(pk: int) -> Hall:
    hall = public_halls().filter(pk=pk).first()
    if hall is None:
        raise Http404
    return hall


def public_matters(hall: Hall) -> QuerySet[BookableMatter]:
    return BookableMatter.objects.filter(hall=hall, is_active=True).select_related("matter")


def bookable_slots(*, bookable_matter: BookableMatter, first: date | None = None, days: int = BOOKING_HORIZON_DAYS):
    """Slots a citizen may still book, day by day, with booked count and full flag (ACC-1.2, R1, R5):
    dates labelled "no booking" and regular slots on closed days are left out. Three queries."""
    first = first or timezone.localdate()
    last = first + timedelta(days=days)
    rules = day_rules(bookable_matter.hall, first, last)
    now = timezone.localtime()
    slots = Slot.objects.filter(bookable_matter=bookable_matter, date__range=(first, last))
    visible = []
    for slot in slots:
        rule = rules[slot.date]
        kind = SlotKind.EXTENDED_SERVICE if slot.kind == SlotKind.EXTENDED_SERVICE else SlotKind.PRIORITY_HANDLING
        if not rule.allows(kind):
            continue
        if slot.date == now.date() and slot.period_start <= now.time():
            continue
        slot.day_labels = rule.labels
        visible.append(slot)
    return visible


# --- cases (办件) ---------------------------------------------------------------------------------------------

def case_list(*, user):
    from apps.acceptance.models import Case

    return restrict(Case.objects.select_related("item", "organisation", "region"), user)


def access_case(user, pk: int):
    case = case_list(user=user).select_related("hall", "route__client", "accepted_by").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def case_children(case) -> dict:
    from apps.acceptance.models import ArchiveBag, BagHandover, CaseCode, CaseDelivery, DeliveryEvent, ResultReceipt
    from apps.core.workflow import timeline_for

    return {
        "materials": case.materials.select_related("supplement"),
        "supplements": case.supplements.all(),
        "documents": case.documents.all(),
        "exchange": case.exchange_messages.select_related("client"),
        "special_procedures": case.special_procedures.all(),
        "transitions": timeline_for(case),
        "code": CaseCode.objects.filter(case=case).first(),
        "delivery": CaseDelivery.objects.filter(case=case).first(),
        "delivery_events": DeliveryEvent.objects.filter(delivery__case=case).select_related("recorded_by"),
        "receipt": ResultReceipt.objects.filter(case=case).select_related("signed_by").first(),
        "declared_together": case.declared_together.select_related("item"),
        "bag": ArchiveBag.objects.filter(case=case).first(),
        "handovers": BagHandover.objects.filter(bag__case=case).select_related("handed_by"),
    }
