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
    url = (getattr(settings, "REVIEWS_HOTLINE_URL", "") or DEFAULT_URL).rstrip("/")
    post_json(f"{url}/work-orders", message.payload, idempotency_key=message.idempotency_key)
    from apps.reviews.services.hotline import hotline_order_mark_pushed

    hotline_order_mark_pushed(order_number=message.payload["order_number"])
