"""Delivery of pushed messages (消息组件) to the unified push channel, as the outbox sender of peer
"mobile_push": POST {MOBILE_PUSH_URL}/pushes with the outbox message's idempotency key."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from apps.core.adapters.http import post_json
from apps.core.outbox import PeerPermanentError


def deliver_push(message) -> None:
    from apps.mobile.models import PushMessage, UserBinding

    push = PushMessage.objects.filter(pk=message.payload.get("push_message_id")).select_related("app").first()
    if push is None:
        raise PeerPermanentError(f"Push message {message.payload.get('push_message_id')} no longer exists.")
    binding = UserBinding.objects.filter(app_id=push.app_id, user_id=push.user_id).first()
    post_json(f"{settings.MOBILE_PUSH_URL.rstrip('/')}/pushes",
              {"app": push.app.identifier, "open_id": binding.open_id if binding else "", "title": push.title,
               "content": push.content, "link": push.link},
              idempotency_key=message.idempotency_key, interface="mobile.push")
    PushMessage.objects.filter(pk=push.pk).update(delivered_at=timezone.now())
