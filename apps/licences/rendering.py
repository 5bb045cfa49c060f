"""Licence face → OFD (our writer) and → PDF: base image, face parameters at their positions, QR code.

The QR code carries the public verification URL of the licence identifier
(``LICENCES_PUBLIC_BASE_URL`` + /licences/verify/code/<licence_code>/).
"""

from __future__ import annotations

import base64
import io

import qrcode
from django.conf import settings
from django.urls import reverse

from .models import FaceParameterKind, Licence
from .ofd.writer import OFDWriter

QR_SIZE_MM = 24
DEFAULT_BASE_URL = "https://zwfw.hlj.gov.cn"


def verification_url(licence_code: str) -> str:
    base = getattr(settings, "LICENCES_PUBLIC_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
    return base + reverse("licences-public:licence-verify", args=[licence_code])


def qr_png(text: str) -> bytes:
    img = qrcode.make(text, border=1, box_size=4)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _fields(licence: Licence) -> list[tuple[str, str]]:
    return [("证照名称", licence.name), ("证照编号", licence.licence_number), ("持证主体", licence.holder_name),
            ("颁发机构", licence.issuer.name),
            ("有效期", f"{licence.valid_from:%Y年%m月%d日} 至 "
                       + (f"{licence.valid_until:%Y年%m月%d日}" if licence.valid_until else "长期"))]


def render_licence_ofd(licence: Licence, parameters=None) -> bytes:
    """The unsealed OFD of one licence version (parameters: prefetched face parameters)."""
    template = licence.template
    params = list(parameters if parameters is not None else template.parameters.all())
    writer = OFDWriter(width_mm=template.width_mm, height_mm=template.height_mm, title=licence.name,
                       author=licence.issuer.name, doc_id=None,
                       custom={"licence_code": licence.licence_code, "version": licence.version,
                               "licence_number": licence.licence_number})
    page = writer.add_page()
    width, height = template.width_mm, template.height_mm
    if template.base_image:
        page.image(bytes(template.base_image), 0, 0, width, height)
    else:
        page.rect(6, 6, width - 12, height - 12, color=(176, 32, 32), line_width=0.8)
        page.text(0, 14, licence.name, size=10, align="center", width=width, bold=True, color=(176, 32, 32))
    basic = _fields(licence)[1:]
    for i, (label, value) in enumerate(basic):
        page.text(24, 28 + i * 8, f"{label}：{value}", size=4.2)
    if params:
        for p in params:
            value = licence.face_data.get(p.key, "")
            if p.kind == FaceParameterKind.IMAGE:
                if value:
                    page.image(base64.b64decode(value), float(p.x), float(p.y), float(p.width), float(p.height))
                continue
            text = f"{p.label}：{value}" if p.show_label else str(value)
            page.text(float(p.x), float(p.y), text, size=float(p.font_size))
    page.text(12, height - 14, f"证照标识：{licence.licence_code}  版本 {licence.version}", size=2.6)
    page.image(qr_png(verification_url(licence.licence_code)), width - 12 - QR_SIZE_MM,
               height - 12 - QR_SIZE_MM, QR_SIZE_MM, QR_SIZE_MM)
    return writer.build()


def seal_position(licence: Licence, seal):
    """Default seal position: left of the QR code, the StampAnnot box equal to the seal picture size."""
    from .ofd.sign import StampPosition

    t = licence.template
    w, h = seal.width_mm, seal.height_mm
    return StampPosition(0, t.width_mm - 12 - QR_SIZE_MM - w - 16, t.height_mm - 12 - h - 6, w, h)
