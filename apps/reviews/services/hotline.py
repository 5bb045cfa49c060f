"""Hotline bad-review work orders (差评工单, REV-19.2, 19.3, 23.12)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import enqueue
from apps.core.workflow import record_transition
from apps.reviews.models import HotlineOrderStatus, HotlineWorkOrder


def hotline_payload(order: HotlineWorkOrder) -> dict:
    e = order.evaluation
    return {"order_number": order.order_number, "evaluator": e.evaluator_name,
            "evaluated_at": e.evaluated_at.isoformat(), "content": e.comment, "tags": e.tags,
            "stars": e.stars, "department": e.organisation.name,
            "matter": e.matter.name if e.matter_id else "", "evaluation_number": e.evaluation_number}


def hotline_order_create(*, evaluation) -> HotlineWorkOrder:
    """A 1–2-star evaluation becomes a work order pushed to the hotline through the outbox."""
    return hotline_orders_create_bulk(evaluations=[evaluation])[0]


def hotline_orders_create_bulk(*, evaluations) -> list[HotlineWorkOrder]:
    """Work orders for a batch of 1–2-star evaluations and one outbox message carrying them all
    (the sender posts each order with its own idempotency key)."""
    from apps.reviews.services.evaluations import HOTLINE_PEER

    orders = HotlineWorkOrder.objects.bulk_create([HotlineWorkOrder(
        evaluation=e, order_number=f"GD{e.evaluation_number[2:]}") for e in evaluations])
    key = f"hotline:{orders[0].order_number}" + (f":{len(orders)}" if len(orders) > 1 else "")
    enqueue(peer=HOTLINE_PEER, kind="work_orders", payload={"orders": [hotline_payload(o) for o in orders]},
            idempotency_key=key, region=evaluations[0].region)
    return orders


def hotline_order_mark_pushed(*, order_number: str) -> None:
    HotlineWorkOrder.objects.filter(order_number=order_number, status=HotlineOrderStatus.CREATED).update(
        status=HotlineOrderStatus.PUSHED)


@transaction.atomic
def hotline_order_verify(*, order_number: str, result: str, client=None) -> HotlineWorkOrder:
    """The hotline reports its verifying call; the evaluation's status follows (REV-19.2)."""
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("请填写核实结果。")})
    order = HotlineWorkOrder.objects.select_for_update().select_related("evaluation").filter(
        order_number=order_number).first()
    if order is None:
        raise ValidationError({"order_number": _("差评工单不存在。")})
    if client is not None and order.evaluation.region_id[:2] != client.organisation.region_id[:2]:
        raise ValidationError({"order_number": _("差评工单不存在。")})
    from_state = order.status
    order.status, order.verification_result, order.verified_at = HotlineOrderStatus.VERIFIED, result[:500], timezone.now()
    order.save(update_fields=["status", "verification_result", "verified_at"])
    evaluation = order.evaluation
    evaluation.hotline_status = result[:255]
    evaluation.save(update_fields=["hotline_status"])
    record_transition(obj=order, from_state=from_state, to_state=order.status, actor=None, action="verify",
                      comment=result)
    return order
