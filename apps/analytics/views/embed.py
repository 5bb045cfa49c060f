"""The embeddable chart page of the visualisation invocation interface (ANA-0.1).

GET /portal/analytics/embed/<code>/?key=… — no login: the key names a registered client. Without a valid
key, or for a chart the client was not granted, the answer is a refusal (401/403/404) that no page may
frame. A granted chart is drawn with the data of the client's registered region, and only the client's
registered origin may frame it (CSP frame-ancestors; X-Frame-Options is left out because it cannot name
an origin)."""
from __future__ import annotations

from django.shortcuts import render
from django.views import View

from apps.analytics import selectors
from apps.analytics.services.embed import EmbedRefused, embed_chart_check, embed_client_authenticate


def frame_headers(response, origin: str):
    response["Content-Security-Policy"] = f"frame-ancestors {origin}"
    response.xframe_options_exempt = True
    return response


class EmbedChartView(View):
    def get(self, request, code: str):
        try:
            client = embed_client_authenticate(request.GET.get("key") or request.headers.get("X-Embed-Key"))
            embed_chart_check(client, code)
        except EmbedRefused as refusal:
            response = render(request, "analytics/embed_refused.html", {"message": refusal.message},
                              status=refusal.status)
            response["Content-Security-Policy"] = "frame-ancestors 'none'"
            return response
        data = selectors.chart_data(code=code, region=client.region)
        return frame_headers(render(request, "analytics/embed.html", {"chart": data, "client": client}),
                             client.origin)
