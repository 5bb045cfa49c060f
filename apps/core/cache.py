"""The shared cache (Redis) as an accelerator only.

Everything the platform keeps in the cache can be rebuilt from PostgreSQL: remembered counts, slot
listings, access profiles, public answers, calendar generations. So when Redis is down a read is a
miss and a write is dropped — the request goes on against the database instead of failing with a 500
(an evaluation upload, a booking, a login must not depend on Redis). The outage is logged at most
once a minute per process. Generation bumps lost during an outage are bounded by each entry's expiry
(at most 5 minutes for access profiles, decision 0008).
"""
from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
_WARN_EVERY_SECONDS = 60
_last_warning = {"at": 0.0}


def _unavailable(exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning["at"] >= _WARN_EVERY_SECONDS:
        _last_warning["at"] = now
        logger.warning("Cache unavailable, serving from the database: %s", exc)


def _tolerant(method_name: str, fallback):
    parent = getattr(RedisCache, method_name)

    def method(self, *args, **kwargs):
        try:
            return parent(self, *args, **kwargs)
        except _UNAVAILABLE as exc:
            _unavailable(exc)
            return fallback(*args, **kwargs)

    method.__name__ = method_name
    method.__doc__ = f"RedisCache.{method_name}, tolerating an unavailable Redis."
    return method


def _missing_key(*_args, **_kwargs):
    raise ValueError("Key not found (cache unavailable).")   # what incr/decr say of a missing key


def _default_of_get(key, default=None, version=None):
    return default


class _ReusingRedisClient(RedisCacheClient):
    """One `redis.Redis` per connection pool instead of a new one per cache call (Django builds one
    each time: ~0.1 ms apiece, several per request). redis.Redis is thread-safe over its pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose reads miss and writes are dropped while Redis is unavailable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingRedisClient

    get = _tolerant("get", _default_of_get)
    get_many = _tolerant("get_many", lambda *a, **k: {})
    has_key = _tolerant("has_key", lambda *a, **k: False)
    add = _tolerant("add", lambda *a, **k: False)
    set = _tolerant("set", lambda *a, **k: None)
    set_many = _tolerant("set_many", lambda data, *a, **k: list(data))
    touch = _tolerant("touch", lambda *a, **k: False)
    delete = _tolerant("delete", lambda *a, **k: False)
    delete_many = _tolerant("delete_many", lambda *a, **k: None)
    incr = _tolerant("incr", _missing_key)
    decr = _tolerant("decr", _missing_key)
    clear = _tolerant("clear", lambda *a, **k: False)


def bump_generation(key: str) -> None:
    """Move a cache generation number on (created at 1 when missing): every entry stamped with an older
    generation is stale from now on."""
    from django.core.cache import cache

    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def generation_changed(key: str) -> None:
    """Bump `key` now and again after the current transaction commits: a request that read the old rows
    between the change and its commit cannot keep them under the new generation."""
    from django.db import transaction

    bump_generation(key)
    transaction.on_commit(lambda: bump_generation(key))
