"""Matter-library adapter (事项库对接, REV-21.1): the only place reviews touches the item library.
Reads go through apps.matters' public selectors — published implementation items, their guide
elements (materials, situations, steps) and the handling department. The write-back (each item's
satisfaction) goes over HTTP through the outbox, like every external peer."""
from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.http import Http404

from apps.core.adapters.http import post_json

from apps.matters import selectors as library


def guide_by_code(code: str):
    """The published guide of an implementation code (Http404 if none or not published)."""
    found = library.public_guides().filter(implementation_code=code).values_list("pk", flat=True).first()
    if found is None:
        raise Http404("办事指南不存在或未发布。")
    return library.public_guide(found)


def guide_summary(item) -> dict:
    """What the evaluation page shows of a guide (REV-15.3: handling information, material
    templates, handling scenarios, application process)."""
    return {"name": item.name, "code": item.implementation_code, "department": item.handling_department.name,
            "region": item.region.name, "materials": [m.name for m in item.materials.all()],
            "situations": [s.name for s in item.situations.all()], "steps": [s.name for s in item.steps.all()],
            "committed_limit": item.committed_limit_working_days}


# --- write-back: per-item satisfaction to the item library (REV-21.1) -------------------------
#
#     POST {url}/satisfaction   {"items": [{"taskCode", "taskName", "total", "score", "goodRate",
#                                           "badCount", "levels": {1..5}, "version", "asOf"}]}
#                               Idempotency-Key → {"ok": true}
# Sent through the outbox (peer "reviews_matter_library"): a peer that is down gets it later.

DEFAULT_URL = "http://127.0.0.1:8053"


class MatterLibraryWriteBack(Protocol):
    def push_satisfaction(self, payload: dict, *, idempotency_key: str) -> None: ...


class MatterLibraryClient:
    def __init__(self, url: str | None = None):
        self.url = (url or getattr(settings, "REVIEWS_MATTER_LIBRARY_URL", "") or DEFAULT_URL).rstrip("/")

    def push_satisfaction(self, payload: dict, *, idempotency_key: str) -> None:
        post_json(f"{self.url}/satisfaction", payload, idempotency_key=idempotency_key)


def send_to_matter_library(message) -> None:
    """Outbox sender of peer "reviews_matter_library"."""
    MatterLibraryClient().push_satisfaction(message.payload, idempotency_key=message.idempotency_key)
