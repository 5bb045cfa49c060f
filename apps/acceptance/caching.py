"""Read caches of the appointment engine (docs/decisions/0403-acceptance-booking-performance.md).

Two things are cached in the Django cache (Redis in production), never decided from it:

* the day rules of a hall over a date range (calendar labels + the kernel's working-day calendar);
* the public slot listing of one bookable matter (the JSON rows of the next 14 days).

Validity: every cached value carries two generation numbers — this app's configuration generation
(bumped by any change to labels, plans, slots, matters or halls) and the kernel calendar's
generation (bumped by `apps.core.calendar.invalidate()`). A value whose generations differ from the
current ones is a miss. A booking or a cancellation deletes its matter's listing after commit, so the
next listing shows the new booked count; a listing computed concurrently with a booking can hold
the old count for at most LISTING_TTL seconds. Whether a place is free is decided only by the
conditional UPDATE in the booking transaction.
"""
from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from apps.core import calendar as core_calendar
from apps.core.cache import generation_changed

CONFIG_GENERATION_KEY = "acceptance:config:generation"
CORE_CALENDAR_GENERATION_KEY = core_calendar.GENERATION_KEY
DAY_RULES_TTL = 300
LISTING_TTL = 10
_RENDERER = JSONRenderer()


def config_changed() -> None:
    """Forget every cached day rule and listing (after labels, plans, slots, matters or halls change):
    at once, for this transaction's own later reads, and again after commit, for a value another
    process computed from the old rows in between. This process's booking gate drops its one-second
    generation memo at once too (other processes notice within that second)."""
    from apps.acceptance.services.booking_gate import forget_generation

    generation_changed(CONFIG_GENERATION_KEY)
    forget_generation()


def generations() -> tuple:
    values = cache.get_many([CONFIG_GENERATION_KEY, CORE_CALENDAR_GENERATION_KEY])
    return values.get(CONFIG_GENERATION_KEY, 0), values.get(CORE_CALENDAR_GENERATION_KEY, 0)


def day_rules_cached(hall_id: int, first, last, compute):
    """`compute()` once per (hall, range, generations), then from the cache."""
    gens = generations()
    key = f"acceptance:dayrules:{hall_id}:{first:%Y%m%d}:{last:%Y%m%d}:{gens[0]}:{gens[1]}"
    rules = cache.get(key)
    if rules is None:
        rules = compute()
        cache.set(key, rules, DAY_RULES_TTL)
    return rules


def _listing_key(bookable_matter_id: int) -> str:
    return f"acceptance:slots:{bookable_matter_id}:{timezone.localdate():%Y%m%d}"


def _listing_entry(bookable_matter_id: int):
    """The cached (rows, JSON text) of a listing if current, else None: one cache round trip
    (generations and value together)."""
    key = _listing_key(bookable_matter_id)
    values = cache.get_many([CONFIG_GENERATION_KEY, CORE_CALENDAR_GENERATION_KEY, key])
    entry = values.get(key)
    if entry is None:
        return None
    gens = (values.get(CONFIG_GENERATION_KEY, 0), values.get(CORE_CALENDAR_GENERATION_KEY, 0))
    stored_gens, rows, text = entry
    return (rows, text) if stored_gens == gens else None


def listing_get(bookable_matter_id: int):
    """The cached listing rows, or None."""
    entry = _listing_entry(bookable_matter_id)
    return entry[0] if entry else None


def listing_text_get(bookable_matter_id: int) -> bytes | None:
    """The cached listing as the JSON text the API answers (DRF's JSONRenderer), or None (decision 0420)."""
    entry = _listing_entry(bookable_matter_id)
    return entry[1] if entry else None


def listing_set(bookable_matter_id: int, rows, gens: tuple) -> None:
    cache.set(_listing_key(bookable_matter_id), (gens, rows, _RENDERER.render(rows)), LISTING_TTL)


def listing_forget_on_commit(bookable_matter_id: int) -> None:
    """A booked count changed: drop the matter's listing once the change is committed."""
    key = _listing_key(bookable_matter_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
