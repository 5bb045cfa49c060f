"""Pulls from the upper platforms (run by Celery beat): national to-do cases, gov.cn downstream data."""
from __future__ import annotations

import logging

from django.db import transaction

from apps.supervision.adapters.govcn_signing import verify
from apps.supervision.models import ComplaintSource, Direction, ExchangeMessage
from apps.supervision.services.complaints import complaint_import
from apps.supervision.services.exchange import govcn_receive

logger = logging.getLogger(__name__)


def national_fetch(*, platform=None) -> int:
    """PORTAL-12.1: import the national platform's to-do cases; returns how many were new."""
    from apps.supervision.adapters.national import get_national_platform

    platform = platform or get_national_platform()
    created = 0
    for case in platform.fetch_cases():
        if not case.get("case_id"):
            continue
        _complaint, new = complaint_import(source=ComplaintSource.NATIONAL_PLATFORM, external_id=str(case["case_id"]),
                                           data=case)
        created += new
    return created


def govcn_fetch(*, platform=None, limit: int = 100) -> list[ExchangeMessage]:
    """PORTAL-13.3: find downstream data → get each clue's business key → apply → confirm read.

    A message that cannot be applied is kept with its error (visible in the exchange log) and
    confirmed, so one bad message does not block the queue."""
    from apps.supervision.adapters.govcn import get_govcn_platform

    platform = platform or get_govcn_platform()
    applied, confirmed = [], []
    for item in platform.find_downstream(limit=limit):
        message_id, message_type = str(item.get("message_id", "")), str(item.get("type", ""))
        business_key = str(item.get("business_key") or "")
        try:
            verify(item)                       # refused before anything else: no business key, no change
            if message_type == "clue" and not business_key:
                business_key = platform.business_key(message_id)
            applied.append(govcn_receive(message_id=message_id, message_type=message_type,
                                         business_key=business_key, data=item.get("data") or {}))
        except (ValueError, KeyError) as exc:
            logger.warning("gov.cn message %s (%s) not applied: %s", message_id, message_type, exc)
            with transaction.atomic():
                ExchangeMessage.objects.get_or_create(
                    direction=Direction.DOWNSTREAM, message_id=message_id,
                    defaults={"message_type": message_type, "business_key": business_key,
                              "payload": item.get("data") or {}, "error": f"{type(exc).__name__}: {exc}"})
        confirmed.append(message_id)
    if confirmed:
        platform.confirm_read(confirmed)
        now = _now()
        ExchangeMessage.objects.filter(direction=Direction.DOWNSTREAM, message_id__in=confirmed,
                                       read_confirmed_at__isnull=True).update(read_confirmed_at=now)
        for message in applied:
            message.read_confirmed_at = message.read_confirmed_at or now
    return applied


def _now():
    from django.utils import timezone

    return timezone.now()
