"""Cache of the public read side (guide search pages and guide details) under a generation key.

Every change that can alter what the public sees — a published version, a state transition of an
item, a proxy-handling setting — bumps `GENERATION_KEY` once the transaction commits; cached
answers carry the generation in their key, so a bump retires them all at once. Entries also expire
after `TTL_SECONDS`, which bounds staleness should some write path forget to bump."""
from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "matters:public:generation"
TTL_SECONDS = 300


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def bump_public_generation() -> None:
    """Retire every cached public answer now and again once the current transaction commits: the first
    bump stops serving what is being changed, the second retires what a reader cached in between."""
    _bump()
    transaction.on_commit(_bump)


def key(kind: str, part: str) -> str:
    digest = hashlib.sha1(part.encode()).hexdigest()[:20]
    return f"matters:public:{generation()}:{kind}:{digest}"


def cached(kind: str, part: str, build):
    """The cached value for (kind, part) at the current generation, built (and stored) when missing.
    A None result is not cached (the 404 stays cheap: it is one indexed query)."""
    cache_key = key(kind, part)
    value = cache.get(cache_key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(cache_key, value, timeout=TTL_SECONDS)
    return value
