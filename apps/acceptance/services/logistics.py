"""Logistics integration (物流快递接入, ACC-10.8): an express issuance without a waybill number orders a
shipment from the courier through the outbox (retried until the courier answers); the courier's tracking
events are read back into the delivery's movements (DeliveryEvent, idempotent by the courier's event id)."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.acceptance.adapters.courier import (
    STATUS_KINDS,
    HttpCourierClient,
    courier_url,
)
from apps.acceptance.models import CaseDelivery
from apps.core.outbox import enqueue

PEER = "acceptance.courier"


def courier_connected() -> bool:
    return bool(courier_url())


def shipment_order(delivery: CaseDelivery) -> None:
    """Inside the issuance transaction: ask the courier for a waybill for this delivery."""
    case = delivery.case
    enqueue(peer=PEER, kind="shipment.create", idempotency_key=f"acc-delivery-{delivery.pk}", region=case.region,
            payload={"delivery": delivery.pk, "order_id": case.case_number, "sender": case.organisation.name,
                     "recipient": delivery.recipient, "address": delivery.address, "item": case.item.name})


def send_shipment(message) -> None:
    """Outbox sender: order the shipment, then write the waybill number onto the delivery."""
    payload = dict(message.payload)
    delivery_pk = payload.pop("delivery")
    waybill = HttpCourierClient().create_shipment(payload, idempotency_key=message.idempotency_key)
    CaseDelivery.objects.filter(pk=delivery_pk, waybill_number="").update(waybill_number=waybill[:40])


def _when(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def courier_sync(*, client=None) -> int:
    """Read the tracking of every express delivery still moving; returns the number of new movements.
    Unknown courier statuses and events that would break the movement rules are skipped, not guessed."""
    from django.core.exceptions import ValidationError

    from apps.acceptance.services.issuance import delivery_track

    client = client or HttpCourierClient()
    open_deliveries = (CaseDelivery.objects.exclude(waybill_number="").filter(method="express")
                       .exclude(events__kind__in=["delivered", "returned"]).select_related("case").distinct())
    added = 0
    for delivery in open_deliveries:
        known = set(delivery.events.exclude(external_id="").values_list("external_id", flat=True))
        for event in client.tracking(delivery.waybill_number):
            kind = STATUS_KINDS.get(event.get("status", ""))
            if kind is None or event.get("event_id") in known:
                continue
            try:
                with transaction.atomic():
                    delivery_track(delivery=delivery, actor=None, kind=kind, location=event.get("location", ""),
                                   occurred_at=_when(event["occurred_at"]), external_id=event["event_id"][:64])
            except (ValidationError, KeyError, ValueError):
                continue
            added += 1
    return added
