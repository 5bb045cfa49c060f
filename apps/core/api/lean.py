"""The lean path of a hot public read: a plain JSON GET answered from stored JSON text without DRF's
request wrapping, authentication, content negotiation and renderers (decisions 0104, 0105, 0420). The
views stay DRF views — the OpenAPI schema, the browsable API, other methods and every case the lean path
does not serve are unchanged; only their `dispatch` short-cuts the plain JSON case."""
from __future__ import annotations

from django.http import HttpResponse

JSON_CONTENT_TYPE = "application/json"


def wants_plain_json(request) -> bool:
    """True when DRF would answer this request with its JSON renderer and no indentation: no `format`
    override and an Accept header that is empty, */* or names application/json without asking for HTML
    or for an indented rendering (`application/json; indent=4`)."""
    if "format" in request.GET:
        return False
    accept = request.META.get("HTTP_ACCEPT", "")
    if "text/html" in accept or "indent" in accept:
        return False
    return not accept or "application/json" in accept or "*/*" in accept


def lean_read(request) -> bool:
    """A request the lean path may answer: a GET or HEAD that DRF would render as plain JSON and that
    carries no credentials to check — with an Authorization header DRF authenticates first (a bad token is
    a 401 even on a public read), so such a request goes through DRF whatever the cache holds."""
    return (request.method in ("GET", "HEAD") and "HTTP_AUTHORIZATION" not in request.META
            and wants_plain_json(request))


def json_text_response(body: str | bytes, status: int = 200, allow: str = "GET, HEAD, OPTIONS") -> HttpResponse:
    """The response DRF would send for this JSON text (same content type, Allow and Vary headers)."""
    response = HttpResponse(body, content_type=JSON_CONTENT_TYPE, status=status)
    response["Allow"] = allow
    response["Vary"] = "Accept"
    return response
