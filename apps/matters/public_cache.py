"""Cache of the public read side (guide search pages and guide details) under a generation key.

Every change that can alter what the public sees — a published version, a state transition of an
item, a proxy-handling setting — bumps `GENERATION_KEY` now and once the transaction commits; cached
answers carry the generation they were built at, so a bump retires them all at once. Entries also expire
after `TTL_SECONDS`, which bounds staleness should some write path forget to bump."""
from __future__ import annotations

import hashlib
import threading

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

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


_local = threading.local()


def _client(backend):
    client = getattr(_local, "client", None)
    if client is None:
        client = _local.client = backend._cache.get_client()
    return client


def _set(key: str, value, timeout: int) -> None:
    """cache.set through the per-thread client (see _get_many); a Redis outage only loses the entry."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.set(key, value, timeout=timeout)
        return
    try:
        _client(backend).set(backend.make_and_validate_key(key), backend._cache._serializer.dumps(value), ex=timeout)
    except (RedisConnectionError, RedisTimeoutError):
        return


def _get_many(keys: list[str]) -> dict:
    """cache.get_many for the hot path: Django's RedisCache builds a new redis-py client object per call
    (≈ 0.2 ms of CPU, more than the MGET itself), so this process keeps one per thread and reads through
    it with the backend's own key and serializer; a Redis outage is a miss, as in apps.core.cache."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.get_many(keys)
    client = _client(backend)
    full = [backend.make_and_validate_key(k) for k in keys]
    try:
        values = client.mget(full)
    except (RedisConnectionError, RedisTimeoutError):
        return {}
    loads = backend._cache._serializer.loads
    return {k: loads(v) for k, v in zip(keys, values) if v is not None}


def key(kind: str, part: str) -> str:
    digest = hashlib.sha1(part.encode()).hexdigest()[:20]
    return f"matters:public:{kind}:{digest}"


def cached(kind: str, part: str, build):
    """The cached value for (kind, part) at the current generation, built (and stored) when missing.
    One Redis round trip on a hit: the entry and the generation are read together (MGET) and the entry
    carries the generation it was built at, so an entry from an older generation is a miss.
    A None result is not cached (the 404 stays cheap: it is one indexed query)."""
    cache_key = key(kind, part)
    found = _get_many([GENERATION_KEY, cache_key])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = generation()
    entry = found.get(cache_key)
    if entry is not None and entry[0] == int(current):
        return entry[1]
    value = build()
    if value is not None:
        _set(cache_key, (int(current), value), TTL_SECONDS)
    return value
