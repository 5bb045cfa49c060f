"""Per-request context (actor and client address) for the audit log and workflow history."""
from __future__ import annotations

import contextvars

_request_var: contextvars.ContextVar = contextvars.ContextVar("govplatform_request", default=None)


def current_request():
    return _request_var.get()


def client_address(request) -> str:
    if request is None:
        return ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")) or ""


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_var.set(request)
        try:
            return self.get_response(request)
        finally:
            _request_var.reset(token)
