"""Excel of a chart (ANA-2.x): one sheet per table of the chart, the same rows the page shows."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter


def chart_workbook(data: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0B4A8B")
    for index, table in enumerate(data["tables"], start=1):
        sheet = workbook.create_sheet(title=f"{index}-{table['title']}"[:31])
        sheet.append([f"{data['title']} · {data['region']['name']}"])
        sheet.append(table["columns"])
        for cell in sheet[2]:
            cell.font, cell.fill = header_font, header_fill
        for row in table["rows"]:
            sheet.append(list(row))
        for column in range(1, len(table["columns"]) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16 if column > 1 else 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
