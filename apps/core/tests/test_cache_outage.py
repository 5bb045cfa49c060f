"""With Redis down the cache misses instead of failing, and pages are served from the database."""
import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from apps.identity.tests.conftest import give

REDIS_DOWN = {"default": {"BACKEND": "apps.core.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/2"}}


@override_settings(CACHES=REDIS_DOWN)
def test_reads_miss_and_writes_are_dropped_while_redis_is_down():
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("k", 1) is False and cache.has_key("k") is False
    cache.set("k", 1)
    assert cache.set_many({"a": 1}) == ["a"]
    with pytest.raises(ValueError):
        cache.incr("generation")
    assert cache.get_or_set("k", lambda: 42) == 42


@pytest.mark.django_db
@override_settings(CACHES=REDIS_DOWN)
def test_a_staff_page_and_a_scoped_api_answer_while_redis_is_down(client, staff):
    clerk = staff["harbin"]
    give(clerk, "identity.view_user")
    client.force_login(clerk)
    assert client.get(reverse("identity:user-list")).status_code == 200
    assert client.get(reverse("supervision-complaint-list"), {"done": "false"}).json()["count"] == 0
    clerk.roles.clear()
    assert client.get(reverse("identity:user-list")).status_code == 403


def test_the_cache_reuses_one_redis_client_per_pool(settings):
    """Django builds a redis.Redis per cache call; ours keeps one per pool (a real round trip still works)."""
    from apps.core.cache import ResilientRedisCache

    shared = ResilientRedisCache(settings.REDIS_URL + "/5", {})
    assert shared._cache.get_client() is shared._cache.get_client(write=True)
    shared.set("reuse-check", "同一个客户端", 5)
    assert shared.get("reuse-check") == "同一个客户端"
    shared.delete("reuse-check")


@override_settings(CACHES=REDIS_DOWN)
def test_the_rate_limit_admits_while_redis_is_down():
    from apps.core.ratelimit import admit

    assert all(admit("outage", limit=1, window=60) for _ in range(3))
