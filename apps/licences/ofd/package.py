"""Reading OFD packages from any producer.

Tolerates what real files do (reference-ofd-seal.md §1.1): bytes before the
ZIP, directory entries, ``//`` and relative ST_Loc paths, path case
mismatches, the pre-2016 namespace and element order that differs from the
schema. Elements are matched by local name.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree


class OFDError(ValueError):
    """The bytes are not a readable OFD package."""


def local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def child(el, name):
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def children(el, name):
    return [c for c in el if local(c.tag) == name]


def descendants(el, name):
    return [c for c in el.iter() if local(c.tag) == name]


def text_of(el, name, default=""):
    c = child(el, name) if el is not None else None
    return (c.text or "").strip() if c is not None and c.text else default


@dataclass
class PageRef:
    """A page listed in Document.xml: its ID and resolved Content.xml path."""

    id: str
    path: str


@dataclass
class DocBody:
    doc_root: str
    signatures: str | None
    doc_id: str
    title: str
    pages: list[PageRef] = field(default_factory=list)
    public_res: list[str] = field(default_factory=list)
    document_res: list[str] = field(default_factory=list)
    templates: dict[str, str] = field(default_factory=dict)
    physical_box: tuple[float, float, float, float] = (0, 0, 210, 297)
    warnings: list[str] = field(default_factory=list)


class OFDPackage:
    """An opened OFD file: raw entry bytes plus its document structure."""

    def __init__(self, data: bytes | None = None, *, entries: dict[str, bytes] | None = None):
        self.warnings: list[str] = []
        if entries is not None:
            self.entries = dict(entries)
            self._open()
            return
        offset = data.find(b"PK\x03\x04")
        if offset < 0:
            raise OFDError("不是 OFD 文件（ZIP 容器无法识别）")
        if offset > 0:
            self.warnings.append(f"{offset} bytes precede the ZIP data")
            data = data[offset:]
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            self.entries: dict[str, bytes] = {
                i.filename: zf.read(i) for i in zf.infolist() if not i.filename.endswith("/")
            }
        except (zipfile.BadZipFile, OSError) as exc:
            raise OFDError(f"OFD 文件已损坏：{exc}") from exc
        self._open()

    @classmethod
    def from_entries(cls, entries: dict[str, bytes]) -> "OFDPackage":
        return cls(entries=entries)

    def _open(self) -> None:
        self._lower = {name.lower(): name for name in self.entries}
        if self.find("OFD.xml") is None:
            raise OFDError("OFD 文件缺少入口文件 OFD.xml")
        self.root = self.xml("OFD.xml")
        self.namespace = etree.QName(self.root.tag).namespace or ""
        if self.namespace != "http://www.ofdspec.org/2016":
            self.warnings.append(f"namespace {self.namespace!r} is not http://www.ofdspec.org/2016")
        self.bodies = [self._doc_body(b) for b in children(self.root, "DocBody")]
        if not self.bodies:
            raise OFDError("OFD.xml 中没有 DocBody")

    # -- entries and paths ------------------------------------------------
    def find(self, path: str) -> str | None:
        """Entry name for a package path: exact first, then case-insensitively."""
        path = path.lstrip("/")
        if path in self.entries:
            return path
        return self._lower.get(path.lower())

    def read(self, path: str) -> bytes:
        name = self.find(path)
        if name is None:
            raise KeyError(path)
        if name != path.lstrip("/"):
            self.warnings.append(f"path {path!r} matches entry {name!r} only case-insensitively")
        return self.entries[name]

    def xml(self, path: str):
        try:
            return etree.fromstring(self.read(path), parser=etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as exc:
            raise OFDError(f"{path}: XML 无法解析（{exc}）") from exc

    @staticmethod
    def resolve(loc: str, base_file: str, base_dir: str | None = None) -> str:
        """ST_Loc: absolute from the root with a leading '/', else relative to the referencing file's folder."""
        loc = (loc or "").strip().replace("\\", "/")
        if loc.startswith("/"):
            return posixpath.normpath(loc.lstrip("/"))
        folder = base_dir if base_dir is not None else posixpath.dirname(base_file)
        return posixpath.normpath(posixpath.join(folder, loc))

    # -- structure ---------------------------------------------------------
    def _doc_body(self, body) -> DocBody:
        info = child(body, "DocInfo")
        root = self.resolve(text_of(body, "DocRoot"), "OFD.xml")
        sigs = text_of(body, "Signatures")
        doc = DocBody(
            doc_root=root,
            signatures=self.resolve(sigs, "OFD.xml") if sigs else None,
            doc_id=text_of(info, "DocID"),
            title=text_of(info, "Title"),
        )
        document = self.xml(root)
        common = child(document, "CommonData")
        if common is not None:
            area = child(common, "PageArea")
            box = text_of(area, "PhysicalBox") if area is not None else ""
            if box:
                doc.physical_box = tuple(float(v) for v in box.split())
            doc.public_res = [self.resolve(c.text, root) for c in children(common, "PublicRes") if c.text]
            doc.document_res = [self.resolve(c.text, root) for c in children(common, "DocumentRes") if c.text]
            for tpl in children(common, "TemplatePage"):
                doc.templates[tpl.get("ID")] = self.resolve(tpl.get("BaseLoc", ""), root)
        pages = child(document, "Pages")
        for page in children(pages, "Page") if pages is not None else []:
            path = self.resolve(page.get("BaseLoc", ""), root)
            if self.find(path) is None:
                doc.warnings.append(f"page {page.get('ID')} content {path} is missing")
            doc.pages.append(PageRef(id=page.get("ID"), path=path))
        for path in doc.templates.values():
            found = self.find(path)
            if found is not None and found != path:
                doc.warnings.append(f"template path {path} differs in case from entry {found}")
        return doc

    def resources(self, doc: DocBody) -> dict:
        """Fonts and media of a document: {'fonts': {id: {...}}, 'media': {id: {...}}}."""
        fonts, media = {}, {}
        for res_path in doc.public_res + doc.document_res:
            if self.find(res_path) is None:
                continue
            res = self.xml(res_path)
            base = self.resolve(res.get("BaseLoc", ""), res_path) if res.get("BaseLoc") else posixpath.dirname(res_path)
            for font in descendants(res, "Font"):
                file_loc = text_of(font, "FontFile")
                fonts[font.get("ID")] = {
                    "name": font.get("FontName", ""), "family": font.get("FamilyName", ""),
                    "file": self.resolve(file_loc, "", base) if file_loc else None,
                }
            for mm in descendants(res, "MultiMedia"):
                media[mm.get("ID")] = {
                    "type": mm.get("Type", ""), "format": mm.get("Format", ""),
                    "file": self.resolve(text_of(mm, "MediaFile"), "", base),
                }
        return {"fonts": fonts, "media": media}

    def page_texts(self, doc: DocBody | None = None) -> list[str]:
        """Text of every page, in document order (TextCode contents joined)."""
        doc = doc or self.bodies[0]
        result = []
        for page in doc.pages:
            if self.find(page.path) is None:
                result.append("")
                continue
            tree = self.xml(page.path)
            result.append("".join((tc.text or "") for tc in descendants(tree, "TextCode")))
        return result
