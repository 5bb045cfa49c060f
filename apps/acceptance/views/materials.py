"""材料预览与下载 (ACC-6.7): staff preview a case's submitted materials in the browser or download them.

Only through the case's data scope (`selectors.access_case` → 404 outside it). PDF, text and common
images are shown inline as they are; Word (.docx) shows its paragraphs and Excel (.xlsx) its sheets as
HTML tables, read with the standard library and openpyxl — nothing is executed, macros and formulas
are not evaluated. Legacy binary .doc/.xls and anything else can only be downloaded."""
from __future__ import annotations

import mimetypes
import zipfile
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.acceptance import selectors
from apps.core.views.mixins import StaffPermissionMixin

INLINE = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8", ".png": "image/png",
          ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".bmp": "image/bmp",
          ".webp": "image/webp"}
MAX_PREVIEW_ROWS = 500
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower()


def docx_paragraphs(handle) -> list[str]:
    """The text of each paragraph of a .docx (word/document.xml), without python-docx."""
    from lxml import etree

    with zipfile.ZipFile(handle) as archive:
        xml = archive.read("word/document.xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml, parser)
    return ["".join(t.text or "" for t in p.iter(f"{_WORD_NS}t")) for p in root.iter(f"{_WORD_NS}p")]


def xlsx_sheets(handle) -> list[tuple[str, list[list]]]:
    from openpyxl import load_workbook

    book = load_workbook(handle, read_only=True, data_only=True)
    sheets = []
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if value is None else value for value in row])
            if len(rows) >= MAX_PREVIEW_ROWS:
                break
        sheets.append((sheet.title, rows))
    book.close()
    return sheets


class CaseMaterialFileView(StaffPermissionMixin, TemplateView):
    """GET …/materials/<material>/preview/ or …/download/."""

    permission_required = "acceptance.view_case"
    template_name = "acceptance/material_preview.html"

    def get(self, request, pk, material, mode):
        case = selectors.access_case(request.user, pk)
        item = get_object_or_404(case.materials.exclude(file=""), pk=material)
        name = PurePath(item.file.name).name
        suffix = _suffix(name)
        if mode == "download":
            return FileResponse(item.file.open("rb"), as_attachment=True, filename=name,
                                content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
        if mode != "preview":
            raise Http404
        if suffix in INLINE:
            response = FileResponse(item.file.open("rb"), content_type=INLINE[suffix], filename=name)
            response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(name)}"
            response["X-Content-Type-Options"] = "nosniff"
            response["Content-Security-Policy"] = "sandbox"
            return response
        context = {"case": case, "material": item, "filename": name, "paragraphs": None, "sheets": None}
        try:
            with item.file.open("rb") as handle:
                if suffix == ".docx":
                    context["paragraphs"] = docx_paragraphs(handle)
                elif suffix == ".xlsx":
                    context["sheets"] = xlsx_sheets(handle)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            context["error"] = _("文件已损坏或格式不符，无法预览，请下载查看。")
        if context["paragraphs"] is None and context["sheets"] is None and "error" not in context:
            context["error"] = _("该格式不支持在线预览，请下载查看。")
        return self.render_to_response(context)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


