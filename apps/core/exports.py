"""Excel export of any filtered list, with the same filter the list shows (openpyxl).

A list declares its columns once (`ExportColumn`) and the export writes exactly the rows
of the filtered, scoped queryset. Small exports stream back at once; exports larger than
settings.EXPORT_SYNC_LIMIT become a job (see apps.core.jobs) the user can watch.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportColumn:
    header: str                                  # Chinese column header
    value: str | Callable[[Any], Any]            # attribute path ("region.name") or callable(obj)
    width: int = 18

    def read(self, obj) -> Any:
        if callable(self.value):
            result = self.value(obj)
        else:
            result = obj
            for part in self.value.split("."):
                result = getattr(result, part, None) if result is not None else None
                if callable(result):
                    result = result()
        if hasattr(result, "tzinfo") and result is not None and getattr(result, "tzinfo", None):
            result = timezone.localtime(result).replace(tzinfo=None)
        if result is None:
            return ""
        if isinstance(result, (str, int, float)) or hasattr(result, "isoformat"):
            return result
        return str(result)


def build_workbook(rows: Iterable, columns: list[ExportColumn], *, title: str,
                   progress: Callable[[int], None] | None = None) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0B4A8B")
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    for count, obj in enumerate(rows, start=1):
        sheet.append([column.read(obj) for column in columns])
        if progress and count % 500 == 0:
            progress(count)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.xlsx')}"
    return response
