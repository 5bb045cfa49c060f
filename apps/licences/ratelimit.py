"""Per-address rate limits of the public licence endpoints (verification is open to anyone)."""

from __future__ import annotations

from apps.core.ratelimit import admit

PUBLIC_VERIFY_LIMIT = 30  # requests per minute per client address


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def allow(request, *, bucket: str, limit: int = PUBLIC_VERIFY_LIMIT, window: int = 60) -> bool:
    """Count this request; False when the address already made ``limit`` requests in the last ``window`` s."""
    return admit(f"licences:{bucket}:{client_ip(request)}", limit=limit, window=window)
