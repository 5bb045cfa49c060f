"""DRF's content negotiation, remembered per header value for a hot endpoint (decision 0419).

DRF's `DefaultContentNegotiation` parses the Accept header (and, for the body, the Content-Type) into
media types and matches them against the view's renderers and parsers on every request. The answer
depends only on those header strings, the `?format=` value and the classes of the renderers/parsers, so
`RememberingContentNegotiation` keeps the answer per such key in a small bounded table: the same
renderer (by position), the same accepted media type string, the same parser, for the same input.
Refusals (406, 404 for an unknown format, 415) are not remembered: they are decided by DRF each time.
DRF itself keeps no process-wide table of client input; this one holds at most `SIZE` entries of
headers no longer than `MAX_HEADER` characters, and starts afresh when full.
"""
from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation

SIZE = 64
MAX_HEADER = 512


_renderers: dict = {}     # (renderer classes, format, Accept) → (position of the renderer, accepted media type)
_parsers: dict = {}       # (parser classes, Content-Type) → position of the parser


class RememberingContentNegotiation(DefaultContentNegotiation):

    def select_renderer(self, request, renderers, format_suffix=None):
        meta = request._request.META
        accept = meta.get("HTTP_ACCEPT", "*/*")           # what request.headers.get("accept", "*/*") reads
        if len(accept) > MAX_HEADER:
            return super().select_renderer(request, renderers, format_suffix)
        format_ = format_suffix
        if not format_ and meta.get("QUERY_STRING"):       # no query string: no ?format= (GET not parsed)
            format_ = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (tuple(type(renderer) for renderer in renderers), format_, accept)
        known = _renderers.get(key)
        if known is not None:
            return renderers[known[0]], known[1]
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        _remember(_renderers, key, (renderers.index(renderer), media_type))
        return renderer, media_type

    def select_parser(self, request, parsers):
        content_type = request.content_type
        if len(content_type) > MAX_HEADER:
            return super().select_parser(request, parsers)
        key = (tuple(type(parser) for parser in parsers), content_type)
        known = _parsers.get(key)
        if known is not None:
            return parsers[known]
        parser = super().select_parser(request, parsers)
        if parser is not None:
            _remember(_parsers, key, parsers.index(parser))
        return parser


def _remember(table: dict, key, value) -> None:
    if len(table) >= SIZE:
        table.clear()
    table[key] = value
