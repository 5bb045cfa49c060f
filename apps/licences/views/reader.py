"""OFD reader (OFD 证照阅读, LIC-3.1): open any OFD in the browser — pages rendered by our rasteriser with
page turning, zoom, full screen and print (PDF), and a signature panel with each signature's per-step
verification (a modified file shows its signatures as invalid).

The document is held in the cache for 30 minutes under its SM3 (never stored in the database); the page
URLs carry that digest, so only someone who opened the file can read it back.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.crypto import sm3_hex
from apps.core.scope import restrict

from ..ofd.package import OFDError, OFDPackage
from ..ofd.raster import render_png
from ..ofd.render import render_pdf
from ..ratelimit import allow, client_ip
from ..services.signing import MAX_DOCUMENT_BYTES, document_verify

READER_SECONDS = 30 * 60
ZOOMS = (60, 80, 100, 125, 150, 200)


def _key(digest: str) -> str:
    return f"licences:reader:{digest}"


def reader_open(data: bytes) -> str:
    """Check the file opens as OFD, keep it for the reader, return its digest."""
    pages = len(OFDPackage(data).bodies[0].pages)
    if pages == 0:
        raise OFDError("no pages")
    digest = sm3_hex(data)
    cache.set(_key(digest), data, READER_SECONDS)
    return digest


def _document(digest: str) -> bytes:
    data = cache.get(_key(digest)) if len(digest) == 64 else None
    if data is None:
        raise Http404(_("文件已过期，请重新打开。"))
    return data


@require_http_methods(["GET", "POST"])
def reader_upload(request):
    """Open a local OFD file in the reader."""
    error, status = "", 200
    if request.method == "POST":
        upload = request.FILES.get("document")
        if not allow(request, bucket="reader", limit=30):
            error, status = _("打开过于频繁，请稍后再试。"), 429
        elif upload is None or upload.size > MAX_DOCUMENT_BYTES:
            error, status = _("请选择不超过 20MB 的 OFD 文件。"), 400
        else:
            try:
                return redirect("licences-public:reader", digest=reader_open(upload.read()))
            except (OFDError, ValueError, KeyError) as exc:
                error, status = _("无法打开：不是有效的 OFD 文件（%(e)s）。") % {"e": exc}, 400
    return render(request, "licences/public/reader_open.html", {"error": error}, status=status)


def reader(request, digest: str):
    """The reader page: one page at a time (?page=N, 1-based), zoom (?zoom=%), signature panel."""
    data = _document(digest)
    pages = len(OFDPackage(data).bodies[0].pages)
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), pages)
        zoom = int(request.GET.get("zoom", "100"))
    except ValueError:
        page, zoom = 1, 100
    zoom = zoom if zoom in ZOOMS else 100
    cache_key = _key(digest) + ":report"
    report = cache.get(cache_key)
    if report is None:
        report = document_verify(data=data, ip_address=client_ip(request), channel="reader")
        cache.set(cache_key, report, READER_SECONDS)
    return render(request, "licences/public/reader.html", {
        "digest": digest, "page": page, "pages": pages, "page_range": range(1, pages + 1), "zoom": zoom,
        "zooms": ZOOMS, "report": report, "width": 8 * zoom})


def reader_page(request, digest: str, page: int):
    """PNG of one page (1-based), seal pictures on top."""
    data = _document(digest)
    try:
        png = render_png(data, page=page - 1, dpi=120)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=1800"
    return response


def reader_pdf(request, digest: str):
    """The document as PDF for printing."""
    response = HttpResponse(render_pdf(_document(digest)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{digest[:12]}.pdf"'
    return response


def licence_reader(request, pk: int):
    """Portal: open a licence's sealed file in the reader (scope and permission checked)."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    from ..models import Licence

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("licences.view_licence"):
        raise PermissionDenied
    licence = get_object_or_404(restrict(Licence.objects.all(), request.user), pk=pk)
    if not licence.ofd_file:
        raise Http404(_("该证照尚无签章文件。"))
    return redirect("licences-public:reader", digest=reader_open(licence.ofd_file.read()))
