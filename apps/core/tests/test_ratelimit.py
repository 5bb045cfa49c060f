"""The kernel's sliding-window rate limit: on the shared Redis (production) and on a per-process cache."""

import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from apps.core.ratelimit import admit

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def redis_cache():
    return {"default": {"BACKEND": "apps.core.cache.ResilientRedisCache", "LOCATION": f"{settings.REDIS_URL}/6"}}


@pytest.fixture(params=["redis", "local"])
def backend(request):
    with override_settings(CACHES=redis_cache() if request.param == "redis" else LOCAL):
        caches["default"].clear()
        yield request.param
        caches["default"].clear()


def test_admits_up_to_the_limit_then_refuses_until_the_oldest_request_leaves_the_window(backend):
    assert [admit("t:a", limit=3, window=1.0) for _ in range(4)] == [True, True, True, False]
    assert admit("t:b", limit=3, window=1.0), "each key has its own allowance"
    time.sleep(1.05)
    assert admit("t:a", limit=3, window=1.0)


def test_a_refused_request_does_not_use_up_the_allowance(backend):
    for _ in range(2):
        admit("t:c", limit=2, window=0.5)
    assert not any(admit("t:c", limit=2, window=0.5) for _ in range(10))
    time.sleep(0.55)
    assert admit("t:c", limit=2, window=0.5) and admit("t:c", limit=2, window=0.5)
    assert not admit("t:c", limit=2, window=0.5)


def test_the_redis_log_expires_with_its_window():
    with override_settings(CACHES=redis_cache()):
        cache = caches["default"]
        admit("t:d", limit=5, window=2)
        key = cache.make_and_validate_key("rl:t:d")
        ttl = cache._cache.get_client(key).pttl(key)
        assert 0 < ttl <= 2000
        cache.clear()
