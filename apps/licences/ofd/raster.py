"""Render an OFD page to a PNG with Pillow (亮证 preview, LIC-5.4): the PDF renderer's page walker drawn
on a Pillow canvas that speaks the few reportlab calls it makes (points, origin bottom-left)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import mm

from .fonts import FONT_PATH
from .package import OFDPackage, child, children
from .render import _PageRenderer, _stamps


class _Path:
    def __init__(self):
        self.subpaths: list[list[tuple[float, float]]] = []
        self.closed: list[bool] = []

    def moveTo(self, x, y):  # noqa: N802 — reportlab's names
        self.subpaths.append([(x, y)])
        self.closed.append(False)

    def lineTo(self, x, y):  # noqa: N802
        if not self.subpaths:
            self.moveTo(x, y)
        else:
            self.subpaths[-1].append((x, y))

    def close(self):
        if self.closed:
            self.closed[-1] = True


class PillowCanvas:
    """Just enough of reportlab's Canvas for _PageRenderer, drawing into an RGB image."""

    def __init__(self, width_pt: float, height_pt: float, dpi: int):
        self.scale = dpi / 72
        self.image = Image.new("RGB", (max(1, round(width_pt * self.scale)), max(1, round(height_pt * self.scale))),
                               "white")
        self.draw = ImageDraw.Draw(self.image)
        self.h = height_pt
        self.fill, self.stroke, self.line_width, self.font = (0, 0, 0), (0, 0, 0), 1.0, None

    def _xy(self, x, y):
        return (x * self.scale, (self.h - y) * self.scale)

    @staticmethod
    def _rgb(r, g, b):
        return tuple(max(0, min(255, round(v * 255))) for v in (r, g, b))

    def setFillColorRGB(self, r, g, b):  # noqa: N802
        self.fill = self._rgb(r, g, b)

    def setStrokeColorRGB(self, r, g, b):  # noqa: N802
        self.stroke = self._rgb(r, g, b)

    def setLineWidth(self, w):  # noqa: N802
        self.line_width = w

    def setFont(self, name, size_pt):  # noqa: N802
        self.font = ImageFont.truetype(FONT_PATH, max(1, round(size_pt * self.scale)), index=0)

    def drawString(self, x, y, text):  # noqa: N802 — baseline at (x, y) as in reportlab
        self.draw.text(self._xy(x, y), text, fill=self.fill, font=self.font, anchor="ls")

    def beginPath(self):  # noqa: N802
        return _Path()

    def drawPath(self, path, stroke=1, fill=0):  # noqa: N802
        width = max(1, round(self.line_width * self.scale))
        for points, closed in zip(path.subpaths, path.closed):
            xy = [self._xy(x, y) for x, y in points]
            if fill and len(xy) > 2:
                self.draw.polygon(xy, fill=self.fill)
            if stroke and len(xy) > 1:
                self.draw.line(xy + ([xy[0]] if closed else []), fill=self.stroke, width=width)

    def paste(self, data: bytes, x, y, w, h):
        with Image.open(io.BytesIO(data)) as picture:
            picture = picture.convert("RGBA").resize((max(1, round(w * self.scale)), max(1, round(h * self.scale))))
            left, top = self._xy(x, y + h)
            self.image.paste(picture, (round(left), round(top)), picture)


class _RasterPageRenderer(_PageRenderer):
    def draw_picture(self, data: bytes, x, y, w, h):
        self.c.paste(data, x * mm, (self.h - y - h) * mm, w * mm, h * mm)


def render_png(data: bytes, *, page: int = 0, dpi: int = 120) -> bytes:
    """PNG bytes of one page of the first document, seal pictures on top."""
    pkg = OFDPackage(data)
    doc = pkg.bodies[0]
    res = pkg.resources(doc)
    _, _, width, height = doc.physical_box
    if not 0 <= page < len(doc.pages):
        raise ValueError("page out of range")
    target = doc.pages[page]
    c = PillowCanvas(width * mm, height * mm, dpi)
    renderer = _RasterPageRenderer(pkg, res, c, height)
    if pkg.find(target.path) is not None:
        tree = pkg.xml(target.path)
        for tpl in children(tree, "Template"):
            tpl_path = doc.templates.get(tpl.get("TemplateID"))
            if tpl_path and pkg.find(tpl_path):
                renderer.draw_tree(pkg.xml(tpl_path))
        content = child(tree, "Content")
        if content is not None:
            renderer.draw_tree(content)
    for picture, box in _stamps(pkg, doc).get(target.id, []):
        if len(box) == 4:
            try:
                renderer.draw_picture(picture, *box)
            except OSError:
                pass
    out = io.BytesIO()
    c.image.save(out, format="PNG", optimize=False)
    return out.getvalue()
