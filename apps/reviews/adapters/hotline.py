"""Provincial service hotline adapter: bad-review work orders pushed to the hotline (REV-19.3).

    POST {url}/work-orders   {"order_number", "evaluator", "evaluated_at", "content", "stars",
                              "department", "matter", ...}   Idempotency-Key → {"ok": true}
The hotline answers later through our API (POST /api/v1/reviews/hotline/work-orders/<no>/verification/).
"""
from __future__ import annotations

from django.conf import settings

from apps.core.adapters.http import post_json

DEFAULT_URL = "http://127.0.0.1:8052"


def send_to_hotline(message) -> None:
    """Outbox sender of peer "reviews_hotline": one POST per work order (a batch message carries
    several; each order keeps its own idempotency key, so a retried batch doubles nothing)."""
    from apps.reviews.services.hotline import hotline_order_mark_pushed

    url = (getattr(settings, "REVIEWS_HOTLINE_URL", "") or DEFAULT_URL).rstrip("/")
    orders = message.payload.get("orders") or [message.payload]
    for order in orders:
        post_json(f"{url}/work-orders", order, idempotency_key=f"hotline:{order['order_number']}")
        hotline_order_mark_pushed(order_number=order["order_number"])
