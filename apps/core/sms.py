"""SMS service API for every app (PORTAL-10.1, 10.2 as a mechanism).

    from apps.core.sms import sms_send, sms_notify_handoff, register_sms_digest

    with transaction.atomic():
        complaint_transfer(...)
        sms_notify_handoff(recipient=handler, subject="投诉件 TS2026000123",
                           url="/portal/supervision/complaints/123/", idempotency_key="complaint:123:transfer:1")

    register_sms_digest("provincial_complaints", "全省投诉数据", build_provincial_complaint_digest)

Messages go through the outbox (peer "sms"): written in the caller's transaction, delivered
by the `sms` Celery queue to the gateway named by settings.SMS_GATEWAY_URL.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from apps.core.adapters.sms.client import get_gateway
from apps.core.models import OutboxMessage, OutboxStatus, SmsMessage
from apps.core.outbox import PeerPermanentError
from apps.core.services.sms import sms_notify_handoff, sms_send  # noqa: F401 — the public API

SMS_PEER = "sms"


@dataclass(frozen=True)
class SmsDigest:
    kind: str
    label: str
    build: Callable[[], str]


_digests: dict[str, SmsDigest] = {}


def register_sms_digest(kind: str, label: str, build: Callable[[], str]) -> None:
    """Offer a text builder to the scheduled batch pushes (idempotent)."""
    _digests[kind] = SmsDigest(kind=kind, label=label, build=build)


def sms_digests() -> list[SmsDigest]:
    return sorted(_digests.values(), key=lambda d: d.kind)


def get_digest(kind: str) -> SmsDigest | None:
    return _digests.get(kind)


def deliver_sms(message: OutboxMessage) -> None:
    """Outbox sender of peer "sms": send the SmsMessage the payload names through the gateway."""
    sms = SmsMessage.objects.filter(pk=message.payload.get("sms_message_id")).first()
    if sms is None:
        raise PeerPermanentError(f"SMS record {message.payload.get('sms_message_id')} no longer exists.")
    gateway_id = get_gateway().send(mobile=sms.mobile_number, content=sms.text_to_send,
                                    idempotency_key=message.idempotency_key)
    # the secret has reached the gateway: nothing here needs it any more
    SmsMessage.objects.filter(pk=sms.pk).update(gateway_message_id=gateway_id[:64], secret="")


def platform_daily_summary() -> str:
    """Kernel digest: the state of the platform's outbound messages."""
    pending = OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.DELIVERING]).count()
    dead = OutboxMessage.objects.filter(status=OutboxStatus.DEAD).count()
    now = timezone.localtime()
    return (f"【黑龙江政务服务平台】截至{now:%m月%d日%H:%M}，待投递外发消息{pending}条，"
            f"投递失败消息{dead}条，请及时关注。")
