"""Per-request context (actor and client address) for the audit log and workflow history,
and the safety net of the audit log: every non-safe request (POST/PUT/PATCH/DELETE) that a
staff user makes through the portal, the admin or the API is recorded after the response,
with its path, method, status code and resolved view name, even where a service forgot to
call `audit_record`."""
from __future__ import annotations

import contextvars
import ipaddress
import logging
import uuid

from django.conf import settings

_request_var: contextvars.ContextVar = contextvars.ContextVar("govplatform_request", default=None)
logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def current_request():
    return _request_var.get()


def _trusted_proxies() -> list:
    names = getattr(settings, "TRUSTED_PROXIES", ["127.0.0.1/32", "::1/128"])
    return [ipaddress.ip_network(name, strict=False) for name in names]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, unless that is a trusted reverse proxy (loopback by
    default, settings.TRUSTED_PROXIES otherwise); then the right-most X-Forwarded-For entry
    that is not itself a trusted proxy. A client cannot forge its address by sending the header."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded:
        return remote
    networks = _trusted_proxies()
    if not _is_trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else remote


def _is_staff(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_staff_user", False) or user.is_staff or user.is_superuser)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_var.set(request)
        request.audit_request_id = uuid.uuid4().hex
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS:
                self._audit(request, response)
            return response
        finally:
            _request_var.reset(token)

    @staticmethod
    def _audit(request, response) -> None:
        # DRF's token authentication sets request.user on the Django request too.
        user = getattr(request, "user", None)
        if not _is_staff(user):
            return
        from apps.core.services.audit import audit_request

        try:
            audit_request(request=request, user=user, status_code=response.status_code)
        except Exception:  # the audit must never turn a served response into an error
            logger.exception("Could not write the audit record of %s %s", request.method, request.path)
