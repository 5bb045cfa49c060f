"""Our OFD writer (GB/T 33190-2016), built with lxml.

Layout follows reference-ofd-seal.md §1.2/§1.9: OFD.xml, Doc_0/Document.xml,
PublicRes.xml (fonts), DocumentRes.xml (images), Doc_0/Res/*, one
Content.xml per page. Every element is in the 2016 namespace with the
literal prefix ``ofd``; children follow schema order; coordinates are mm with
the origin top-left. Fonts are referenced by name (WenQuanYi Zen Hei), not
embedded (decision 0303): glyph advances come from the same font file, so
DeltaX matches the PDF rendering.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from . import NS
from .fonts import FONT_NAME, advance_em

NSMAP = {"ofd": NS}


def E(tag: str, attrib: dict | None = None, text: str | None = None, parent=None):
    attrib = {k: _fmt(v) for k, v in (attrib or {}).items() if v is not None}
    el = etree.SubElement(parent, f"{{{NS}}}{tag}", attrib) if parent is not None else etree.Element(
        f"{{{NS}}}{tag}", attrib, nsmap=NSMAP)
    if text is not None:
        el.text = text
    return el


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".") or "0"
    return str(v)


def _box(x, y, w, h) -> str:
    return " ".join(_fmt(float(v)) for v in (x, y, w, h))


def serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@dataclass
class _Image:
    id: int
    data: bytes
    fmt: str


@dataclass
class Page:
    """One page being composed; objects are added in painting order."""

    writer: "OFDWriter"
    id: int
    objects: list = field(default_factory=list)

    def text(self, x: float, y: float, text: str, *, size: float = 4.0, color=(0, 0, 0),
             bold: bool = False, align: str = "left", width: float | None = None) -> None:
        """Text whose box starts at (x, y) mm; size is the em size in mm; baseline at y + size."""
        text = (text or "").strip()
        if not text:
            return
        advances = [advance_em(c) * size for c in text]
        total = sum(advances)
        if align != "left" and width:
            x = x + (width - total) / (2 if align == "center" else 1)
        self.objects.append(("text", self.writer.next_id(), x, y, text, size, color, bold, advances))

    def image(self, data: bytes, x: float, y: float, w: float, h: float, fmt: str = "PNG") -> None:
        image = self.writer.add_image(data, fmt)
        self.objects.append(("image", self.writer.next_id(), x, y, w, h, image.id))

    def rect(self, x: float, y: float, w: float, h: float, *, color=(0, 0, 0), line_width: float = 0.3,
             fill=None) -> None:
        self.objects.append(("path", self.writer.next_id(), x, y, w, h,
                             f"M 0 0 L {_fmt(float(w))} 0 L {_fmt(float(w))} {_fmt(float(h))} L 0 {_fmt(float(h))} C",
                             color, line_width, fill))

    def line(self, x1: float, y1: float, x2: float, y2: float, *, color=(0, 0, 0), line_width: float = 0.3) -> None:
        x, y = min(x1, x2), min(y1, y2)
        w, h = max(abs(x2 - x1), line_width), max(abs(y2 - y1), line_width)
        self.objects.append(("path", self.writer.next_id(), x, y, w, h,
                             f"M {_fmt(x1 - x)} {_fmt(y1 - y)} L {_fmt(x2 - x)} {_fmt(y2 - y)}",
                             color, line_width, None))

    def content_xml(self) -> bytes:
        page = E("Page")
        content = E("Content", parent=page)
        layer = E("Layer", {"ID": self.writer.next_id(), "Type": "Body"}, parent=content)
        for obj in self.objects:
            getattr(self, f"_emit_{obj[0]}")(layer, *obj[1:])
        return serialise(page)

    def _emit_text(self, layer, oid, x, y, text, size, color, bold, advances):
        total = sum(advances)
        el = E("TextObject", {"ID": oid, "Boundary": _box(x, y, total + size * 0.2, size * 1.3),
                              "Font": self.writer.font_id, "Size": float(size),
                              "Weight": 700 if bold else None}, parent=layer)
        E("FillColor", {"Value": " ".join(str(c) for c in color)}, parent=el)
        delta = " ".join(_fmt(a) for a in advances[:-1]) or None
        E("TextCode", {"X": 0, "Y": _fmt(float(size)), "DeltaX": delta}, text, parent=el)

    def _emit_image(self, layer, oid, x, y, w, h, res_id):
        E("ImageObject", {"ID": oid, "Boundary": _box(x, y, w, h), "CTM": _box(w, 0, 0, h) + " 0 0",
                          "ResourceID": res_id}, parent=layer)

    def _emit_path(self, layer, oid, x, y, w, h, data, color, line_width, fill):
        el = E("PathObject", {"ID": oid, "Boundary": _box(x, y, w, h), "LineWidth": float(line_width),
                              "Stroke": "true", "Fill": "true" if fill else "false"}, parent=layer)
        E("StrokeColor", {"Value": " ".join(str(c) for c in color)}, parent=el)
        if fill:
            E("FillColor", {"Value": " ".join(str(c) for c in fill)}, parent=el)
        E("AbbreviatedData", text=data, parent=el)


class OFDWriter:
    """Compose a single-document OFD package and return its bytes with ``build()``."""

    def __init__(self, *, width_mm: float = 210, height_mm: float = 297, title: str = "",
                 author: str = "", creator: str = "hlj-govplatform licences", doc_id: str | None = None,
                 custom: dict | None = None):
        self.width, self.height = width_mm, height_mm
        self.title, self.author, self.creator = title, author, creator
        self.doc_id = doc_id or uuid.uuid4().hex
        self.custom = custom or {}
        self._max_id = 0
        self.font_id = self.next_id()
        self.pages: list[Page] = []
        self.images: list[_Image] = []
        self._image_by_bytes: dict[bytes, _Image] = {}

    def next_id(self) -> int:
        self._max_id += 1
        return self._max_id

    def add_page(self) -> Page:
        page = Page(self, self.next_id())
        self.pages.append(page)
        return page

    def add_image(self, data: bytes, fmt: str = "PNG") -> _Image:
        if data in self._image_by_bytes:
            return self._image_by_bytes[data]
        image = _Image(self.next_id(), data, fmt.upper())
        self.images.append(image)
        self._image_by_bytes[data] = image
        return image

    # -- files --------------------------------------------------------------
    def _ofd_xml(self) -> bytes:
        root = E("OFD", {"Version": "1.0", "DocType": "OFD"})
        body = E("DocBody", parent=root)
        info = E("DocInfo", parent=body)
        E("DocID", text=self.doc_id, parent=info)
        if self.title:
            E("Title", text=self.title, parent=info)
        if self.author:
            E("Author", text=self.author, parent=info)
        E("CreationDate", text=dt.date.today().isoformat(), parent=info)
        E("Creator", text=self.creator, parent=info)
        if self.custom:
            datas = E("CustomDatas", parent=info)
            for name, value in self.custom.items():
                E("CustomData", {"Name": name}, str(value), parent=datas)
        E("DocRoot", text="Doc_0/Document.xml", parent=body)
        return serialise(root)

    def _document_xml(self, page_files: list[str]) -> bytes:
        root = E("Document")
        common = E("CommonData", parent=root)
        E("MaxUnitID", text=str(self._max_id), parent=common)
        area = E("PageArea", parent=common)
        E("PhysicalBox", text=_box(0, 0, self.width, self.height), parent=area)
        E("PublicRes", text="PublicRes.xml", parent=common)
        if self.images:
            E("DocumentRes", text="DocumentRes.xml", parent=common)
        pages = E("Pages", parent=root)
        for page, path in zip(self.pages, page_files):
            E("Page", {"ID": page.id, "BaseLoc": path}, parent=pages)
        return serialise(root)

    def _public_res(self) -> bytes:
        root = E("Res", {"BaseLoc": "Res"})
        fonts = E("Fonts", parent=root)
        E("Font", {"ID": self.font_id, "FontName": FONT_NAME, "FamilyName": FONT_NAME}, parent=fonts)
        return serialise(root)

    def _document_res(self) -> bytes:
        root = E("Res", {"BaseLoc": "Res"})
        medias = E("MultiMedias", parent=root)
        for image in self.images:
            mm = E("MultiMedia", {"ID": image.id, "Type": "Image", "Format": image.fmt}, parent=medias)
            E("MediaFile", text=self._image_name(image), parent=mm)
        return serialise(root)

    @staticmethod
    def _image_name(image: _Image) -> str:
        return f"image_{image.id}.{'jpg' if image.fmt in ('JPG', 'JPEG') else image.fmt.lower()}"

    def build(self) -> bytes:
        return zip_entries(self.build_entries())

    def build_entries(self) -> dict[str, bytes]:
        """The package as {entry name: bytes}, in writing order (sign_entries takes this directly)."""
        if not self.pages:
            self.add_page()
        page_contents = [page.content_xml() for page in self.pages]  # allocates layer ids first
        page_files = [f"Pages/Page_{i}/Content.xml" for i in range(len(self.pages))]
        files = {"OFD.xml": self._ofd_xml(), "Doc_0/Document.xml": self._document_xml(page_files),
                 "Doc_0/PublicRes.xml": self._public_res()}
        if self.images:
            files["Doc_0/DocumentRes.xml"] = self._document_res()
            for image in self.images:
                files[f"Doc_0/Res/{self._image_name(image)}"] = image.data
        for path, content in zip(page_files, page_contents):
            files[f"Doc_0/{path}"] = content
        return files


def zip_entries(files: dict[str, bytes]) -> bytes:
    """A plain ZIP (deflated), entries in the given order, no directory entries."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            # images and DER are already dense: store them; deflate XML fast
            stored = name.endswith((".png", ".jpg", ".jpeg", ".dat", ".esl"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=None if stored else 1)
    return buf.getvalue()
