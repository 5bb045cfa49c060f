"""Automatic watch-list detection (重点监督名单自动发现, REV-9.4): windows and staff whose good reviews
look brushed — the same evaluator rating them well again and again, or a burst of good reviews
within a few minutes. Found ones join the watch list as automatic entries (one active entry per
window or staff, settled by a partial unique constraint)."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.reviews.models import Evaluation, WatchListEntry

TARGETS = ("window", "staff")


def _repeated(good, field: str, repeat_count: int) -> dict[int, str]:
    rows = (good.exclude(evaluator=None).exclude(**{field: None}).values(f"{field}_id", "evaluator_id")
            .annotate(n=Count("pk")).filter(n__gte=repeat_count))
    return {r[f"{field}_id"]: _("同一评价人 %(n)s 次给予好评") % {"n": r["n"]} for r in rows}


def _bursts(good, field: str, burst_count: int, minutes: int) -> dict[int, str]:
    stamps: dict[int, list[datetime]] = defaultdict(list)
    for target, at in good.exclude(**{field: None}).values_list(f"{field}_id", "evaluated_at").order_by(
            f"{field}_id", "evaluated_at").iterator(chunk_size=5000):
        stamps[target].append(at)
    gap = timedelta(minutes=minutes)
    found = {}
    for target, times in stamps.items():
        start = 0
        for end, at in enumerate(times):
            while at - times[start] > gap:
                start += 1
            if end - start + 1 >= burst_count:
                found[target] = _("%(m)s 分钟内集中出现 %(n)s 条好评") % {"m": minutes, "n": end - start + 1}
                break
    return found


def watchlist_detect(*, days: int = 30, repeat_count: int = 3, burst_count: int = 5, burst_minutes: int = 10,
                     now: datetime | None = None) -> list[WatchListEntry]:
    """Scan the good reviews of the last `days` days; returns the entries added now."""
    since = (now or timezone.now()) - timedelta(days=days)
    good = Evaluation.objects.filter(level__lte=2, is_valid=True, is_default=False, evaluated_at__gte=since)
    added: list[WatchListEntry] = []
    with transaction.atomic():
        for field in TARGETS:
            reasons = _bursts(good, field, burst_count, burst_minutes)
            for target, reason in _repeated(good, field, repeat_count).items():
                reasons[target] = f"{reasons[target]}；{reason}" if target in reasons else reason
            active = set(WatchListEntry.objects.filter(is_active=True, **{f"{field}_id__in": list(reasons)})
                         .values_list(f"{field}_id", flat=True))
            new = [WatchListEntry(**{f"{field}_id": target}, reason=reason[:255], is_automatic=True)
                   for target, reason in reasons.items() if target not in active]
            added += WatchListEntry.objects.bulk_create(new, ignore_conflicts=True)
    return added
