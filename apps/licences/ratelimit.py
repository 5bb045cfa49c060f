"""A small fixed-window rate limit on the shared cache (public verification is open to anyone)."""

from __future__ import annotations

import time

from django.core.cache import cache

PUBLIC_VERIFY_LIMIT = 30  # requests per minute per client address


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def allow(request, *, bucket: str, limit: int = PUBLIC_VERIFY_LIMIT, window: int = 60) -> bool:
    """Count this request; False when the address already made ``limit`` requests in this window."""
    key = f"licences:rl:{bucket}:{client_ip(request)}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:
        cache.set(key, 1, timeout=window + 5)
        return True
