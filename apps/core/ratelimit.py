"""A sliding-window rate limit on the shared Redis cache.

The log of admitted requests of one key lives in a sorted set scored by time; a request is admitted
when fewer than ``limit`` were admitted in the last ``window`` seconds. Unlike a fixed window, a client
cannot double its allowance at a window boundary, and the answer does not depend on when the minute
turns (a fixed-window test crossing a boundary was flaky). Redis unavailable = admitted: public
endpoints keep working without their throttle rather than failing (apps/core/cache.py). A cache that is
not Redis (the tests' per-process LocMemCache) keeps the same log in the cache under a process lock.
"""
from __future__ import annotations

import threading
import time
import uuid

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

_SLIDING_WINDOW = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return 1
"""
_script = {}   # one redis Script (its SHA); each call names the client it runs on


def _sliding_window(client):
    if "script" not in _script:
        _script["script"] = client.register_script(_SLIDING_WINDOW)
    return _script["script"]


_local_lock = threading.Lock()


def admit(key: str, *, limit: int, window: float) -> bool:
    """Record one request under ``key``; False when ``limit`` were already admitted in ``window`` s."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return _admit_locally(cache, f"rl:{key}", limit=limit, window=window)
    full_key = cache.make_and_validate_key(f"rl:{key}")
    try:
        client = cache._cache.get_client(full_key, write=True)
        admitted = _sliding_window(client)(
            keys=[full_key], args=[time.time(), window, limit, uuid.uuid4().hex], client=client)
    except (RedisConnectionError, RedisTimeoutError):
        return True
    return bool(admitted)


def _admit_locally(cache, key: str, *, limit: int, window: float) -> bool:
    with _local_lock:
        now = time.time()
        admitted = [at for at in cache.get(key, []) if at > now - window]
        if len(admitted) >= limit:
            return False
        cache.set(key, [*admitted, now], timeout=window + 1)
        return True
