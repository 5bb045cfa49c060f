"""Render OFD pages (ours and other producers') to PDF with reportlab, for printing and previews.

Text is drawn with WenQuanYi Zen Hei whatever font the file names (CJK
substitution), glyph by glyph at the TextCode X/Y + DeltaX/DeltaY positions;
images are drawn into their Boundary; simple path data (M/S/L/C, B as
a line to its end point) is stroked; page templates are drawn under the page;
seal pictures of StampAnnots are drawn on top.
"""

from __future__ import annotations

import io
import logging

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ..crypto.seal import parse_signature
from .fonts import advance_em, register_pdf_font
from .package import OFDPackage, child, children, descendants, local, text_of

log = logging.getLogger(__name__)


def _floats(text: str | None) -> list[float]:
    """Expand ST_Array with the 'g N v' abbreviation."""
    values, tokens, i = [], (text or "").split(), 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            values.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
            continue
        try:
            values.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return values


def _color(el, name, default=(0, 0, 0)):
    c = child(el, name)
    vals = _floats(c.get("Value")) if c is not None else []
    return tuple(v / 255 for v in vals[:3]) if len(vals) >= 3 else default


class _PageRenderer:
    def __init__(self, pkg: OFDPackage, res: dict, c: canvas.Canvas, height: float):
        self.pkg, self.res, self.c, self.h = pkg, res, c, height
        self.font = register_pdf_font()

    def box(self, el):
        vals = _floats(el.get("Boundary"))
        return vals if len(vals) == 4 else [0, 0, 0, 0]

    def draw_tree(self, root):
        for obj in root.iter():
            name = local(obj.tag)
            try:
                if name == "TextObject":
                    self.text(obj)
                elif name == "ImageObject":
                    self.image(obj)
                elif name == "PathObject":
                    self.path(obj)
            except (ValueError, KeyError, OSError) as exc:  # one bad object must not lose the page
                log.debug("skip %s: %s", name, exc)

    def text(self, obj):
        x0, y0, _, _ = self.box(obj)
        size = float(obj.get("Size", "3.5"))
        self.c.setFillColorRGB(*_color(obj, "FillColor"))
        self.c.setFont(self.font, size * 72 / 25.4)
        x = y = 0.0
        for code in descendants(obj, "TextCode"):
            x = float(code.get("X", x))
            y = float(code.get("Y", y))
            dx, dy = _floats(code.get("DeltaX")), _floats(code.get("DeltaY"))
            run, run_x, run_y = "", x, y
            for i, ch in enumerate(code.text or ""):
                if i > 0:
                    step_x = dx[i - 1] if i - 1 < len(dx) else 0
                    step_y = dy[i - 1] if i - 1 < len(dy) else 0
                    natural = advance_em(code.text[i - 1]) * size
                    if step_y or abs(step_x - natural) > 0.05:  # glyph not where the font puts it: new run
                        self._run(run, x0 + run_x, y0 + run_y)
                        run, run_x, run_y = "", x + step_x, y + step_y
                    x, y = x + step_x, y + step_y
                run += ch
            self._run(run, x0 + run_x, y0 + run_y)

    def _run(self, text, x, y):
        if text:
            self.c.drawString(x * mm, (self.h - y) * mm, text)

    def image(self, obj):
        media = self.res["media"].get(obj.get("ResourceID"))
        if not media or self.pkg.find(media["file"]) is None:
            return
        x, y, w, h = self.box(obj)
        self.draw_picture(self.pkg.read(media["file"]), x, y, w, h)

    def draw_picture(self, data: bytes, x, y, w, h):
        self.c.drawImage(ImageReader(io.BytesIO(data)), x * mm, (self.h - y - h) * mm, w * mm, h * mm, mask="auto")

    def path(self, obj):
        x0, y0, _, _ = self.box(obj)
        tokens = (text_of(obj, "AbbreviatedData") or "").split()
        p = self.c.beginPath()
        i, started = 0, False
        arity = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
        while i < len(tokens):
            op = tokens[i]
            n = arity.get(op)
            if n is None:
                i += 1
                continue
            args = [float(v) for v in tokens[i + 1:i + 1 + n]]
            if op in ("M", "S") or not started:
                if op != "C" and len(args) >= 2:
                    p.moveTo((x0 + args[-2]) * mm, (self.h - y0 - args[-1]) * mm)
                    started = True
            elif op == "C":
                p.close()
            elif len(args) >= 2:
                p.lineTo((x0 + args[-2]) * mm, (self.h - y0 - args[-1]) * mm)
            i += 1 + n
        stroke = obj.get("Stroke", "true") != "false"
        fill = obj.get("Fill", "false") == "true"
        self.c.setStrokeColorRGB(*_color(obj, "StrokeColor"))
        self.c.setFillColorRGB(*_color(obj, "FillColor"))
        self.c.setLineWidth(float(obj.get("LineWidth", "0.353")) * mm)
        self.c.drawPath(p, stroke=1 if stroke else 0, fill=1 if fill else 0)


def _stamps(pkg: OFDPackage, doc) -> dict[str, list]:
    """Seal pictures per page ID from every Seal signature's StampAnnots."""
    result: dict[str, list] = {}
    if not doc.signatures or pkg.find(doc.signatures) is None:
        return result
    sigs_path = pkg.find(doc.signatures)
    for sig in children(pkg.xml(sigs_path), "Signature"):
        try:
            path = pkg.resolve(sig.get("BaseLoc", ""), sigs_path)
            path = pkg.find(path) or pkg.find(pkg.resolve(sig.get("BaseLoc", ""), "", ""))
            xml = pkg.xml(path)
            value = pkg.read(pkg.resolve(text_of(xml, "SignedValue"), path))
            seal = parse_signature(value).seal
        except (KeyError, ValueError, TypeError):
            continue
        if seal.picture_type.lower() not in ("png", "jpg", "jpeg", "gif", "bmp"):
            continue
        for annot in descendants(xml, "StampAnnot"):
            result.setdefault(annot.get("PageRef"), []).append((seal.picture, _floats(annot.get("Boundary"))))
    return result


def render_pdf(data: bytes) -> bytes:
    """PDF bytes of every page of the first document."""
    pkg = OFDPackage(data)
    doc = pkg.bodies[0]
    res = pkg.resources(doc)
    _, _, width, height = doc.physical_box
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width * mm, height * mm))
    c.setTitle(doc.title or "OFD")
    stamps = _stamps(pkg, doc)
    for page in doc.pages:
        if pkg.find(page.path) is None:
            c.showPage()
            continue
        tree = pkg.xml(page.path)
        renderer = _PageRenderer(pkg, res, c, height)
        for tpl in children(tree, "Template"):
            tpl_path = doc.templates.get(tpl.get("TemplateID"))
            if tpl_path and pkg.find(tpl_path):
                renderer.draw_tree(pkg.xml(tpl_path))
        content = child(tree, "Content")
        if content is not None:
            renderer.draw_tree(content)
        for picture, box in stamps.get(page.id, []):
            if len(box) == 4:
                try:
                    renderer.draw_picture(picture, *box)
                except OSError:
                    pass
        c.showPage()
    c.save()
    return out.getvalue()
