"""差评整改通知书: a one-page PDF with the project's CJK font (WenQuanYi Zen Hei)."""
from __future__ import annotations

import io

from django.utils import timezone

from apps.licences.ofd.fonts import register_pdf_font


def rectification_notice_pdf(disposal) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = register_pdf_font()
    e = disposal.evaluation
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setTitle("差评整改通知书")
    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, height - 30 * mm, "差评整改通知书")
    pdf.setFont(font, 11)
    lines = [
        f"{disposal.service_department.name}：",
        f"    你单位被评价为“{e.get_level_display()}”的服务（评价编号 {e.evaluation_number}），",
        f"    经{disposal.competent_department.name}核实属实，请于 {disposal.deadline or '—'} 前完成整改并反馈。",
        f"评价时间：{timezone.localtime(e.evaluated_at):%Y-%m-%d %H:%M}",
        f"评价事项：{e.matter.name if e.matter_id else '—'}",
        f"评价标签：{'、'.join(e.tags) or '—'}",
        f"评价内容：{e.comment[:60] or '—'}",
        f"责任归属：{disposal.responsibility or '—'}",
        f"核实意见：{disposal.verification_notes[:60] or '—'}",
        f"整改内容：{disposal.rectification_content[:60] or '—'}",
        f"整改责任人：{disposal.responsible_person or '—'}",
        f"整改时限：{disposal.limit_working_days or '—'} 个工作日",
    ]
    y = height - 50 * mm
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 9 * mm
    pdf.drawRightString(width - 25 * mm, y - 15 * mm, disposal.competent_department.name)
    pdf.drawRightString(width - 25 * mm, y - 23 * mm, f"{timezone.localdate():%Y年%m月%d日}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
