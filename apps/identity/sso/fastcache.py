"""Reads of the shared cache on the SSO hot paths with one Redis client per process (decision 0209).

Django's RedisCache builds a new `redis.Redis` object for every operation — ~170 response-callback
entries copied each time, more CPU than the round trip itself on a cached user-info call. These
reads keep one client per cache backend (the same connection pool, thread-safe), with Django's own
key making and serializer, so they read exactly what `cache.set` wrote. Redis unavailable = a miss,
as in apps.core.cache.ResilientRedisCache; any other backend (tests: local memory) is used as is.
"""
from __future__ import annotations

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

_CLIENT_ATTR = "_identity_sso_client"


def get_many(keys: list[str]) -> dict:
    """{key: value} for the keys present (like cache.get_many)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.get_many(keys)
    inner = backend._cache
    client = inner.__dict__.get(_CLIENT_ATTR)
    if client is None:
        client = inner.__dict__[_CLIENT_ATTR] = inner.get_client(write=False)
    try:
        values = client.mget([backend.make_and_validate_key(key) for key in keys])
    except (RedisConnectionError, RedisTimeoutError):
        return {}
    return {key: inner._serializer.loads(value) for key, value in zip(keys, values) if value is not None}
