"""Printed case documents as PDF, each with a QR code to the case's public progress page (ACC-7.16)."""
from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from apps.acceptance.models import Case, CaseDocument, DocumentKind

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
PROGRESS_SALT = "acceptance.progress"


@lru_cache(maxsize=1)
def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("AccZenHei", FONT_PATH, subfontIndex=0))
    return "AccZenHei"


def progress_token(case: Case) -> str:
    return signing.Signer(salt=PROGRESS_SALT).sign(case.case_number)


def case_from_token(token: str) -> Case | None:
    try:
        number = signing.Signer(salt=PROGRESS_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Case.objects.select_related("item", "organisation").filter(case_number=number).first()


def progress_path(case: Case) -> str:
    return reverse("acceptance-public:progress", args=[progress_token(case)])


REVIEW_QR_KINDS = (DocumentKind.INTAKE_RECEIPT, DocumentKind.ACCEPTANCE_NOTICE)


def review_path(case: Case) -> str:
    """The receipt's dynamic review QR (好差评, REV-16.6): a signed, expiring token of the case."""
    from apps.reviews.services.intake import dynamic_qr_token

    return reverse("reviews-public:dynamic-qr", args=[dynamic_qr_token(case=case)])


def document_qr_codes(document: CaseDocument, absolute) -> list[tuple[str, str]]:
    """(caption, URL) of every QR code printed on the document: progress always, and on the intake
    receipt and the acceptance notice the dynamic review QR. `absolute` turns a path into a URL."""
    codes = [("扫码查询办理进度", absolute(progress_path(document.case)))]
    if document.kind in REVIEW_QR_KINDS:
        codes.append(("扫码评价服务（好差评）", absolute(review_path(document.case))))
    code = active_case_code(document.case)
    if code and document.kind in GRAPHIC_CODE_KINDS:
        codes.append((f"图形办件码 {code}", absolute(graphic_code_path(code))))
    return codes


# ACC-17.0: the graphic case code goes on approval results and on the acceptance notice.
GRAPHIC_CODE_KINDS = (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.RESULT_NOTICE)


def active_case_code(case: Case) -> str:
    from apps.acceptance.models import CaseCode, CaseCodeStatus

    return CaseCode.objects.filter(case=case, status=CaseCodeStatus.ACTIVE).values_list("code", flat=True).first() or ""


def graphic_code_path(code: str) -> str:
    """The graphic case code holds this URL; `services.codes.code_from_text` reads the code back from it."""
    return reverse("acceptance-public:lookup") + f"?code={code}"


def print_template_lines(document: CaseDocument) -> list[str]:
    """ACC-16.1: the enabled print template of this kind for the case's item, else its unit, else a public
    one; its body with the case's placeholders filled, one printed line per template line."""
    from django.db.models import Q

    from apps.acceptance.models import PrintTemplate

    case = document.case
    candidates = PrintTemplate.objects.filter(kind=document.kind, is_enabled=True).filter(
        Q(item=case.item_id) | Q(item__isnull=True, organisation=case.organisation_id) | Q(is_public=True))
    ranked = sorted(candidates, key=lambda t: (t.item_id != case.item_id, t.organisation_id != case.organisation_id,
                                               -t.pk))
    if not ranked:
        return []
    values = {"case_number": case.case_number, "applicant": case.applicant_name, "item": case.item.name,
              "organisation": case.organisation.name,
              "due_date": f"{case.due_date:%Y年%m月%d日}" if case.due_date else ""}
    text = ranked[0].body
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return [line for line in text.splitlines() if line.strip()]


def _lines(document: CaseDocument) -> list[str]:
    case = document.case
    lines = [f"办件编号：{case.case_number}", f"申请人：{case.applicant_name}（{case.masked_id_number}）",
             f"申请事项：{case.item.name}", f"办理部门：{case.organisation.name}",
             f"状态：{case.get_status_display()}"]
    if document.kind == DocumentKind.ACCEPTANCE_NOTICE and case.due_date:
        lines.append(f"您的申请已受理，承诺办结日期：{case.due_date:%Y年%m月%d日}。")
    if document.kind == DocumentKind.RESULT_NOTICE:
        lines.append(f"办理结果：{case.get_result_display()}" + (f"（{case.result_note}）" if case.result_note else ""))
    if document.kind in GRAPHIC_CODE_KINDS and (code := active_case_code(case)):
        lines.append(f"数字办件码：{code}")
    if document.kind == DocumentKind.NON_ACCEPTANCE_NOTICE:
        lines.append(f"不予受理理由：{case.decision_reason}")
    if document.kind == DocumentKind.SUPPLEMENT_NOTICE:
        supplement = case.supplements.order_by("-requested_at").first()
        if supplement:
            lines += [f"需补齐补正：{supplement.content}", f"请于 {supplement.deadline:%Y年%m月%d日} 前补交。"]
    if document.kind in (DocumentKind.INTAKE_RECEIPT, DocumentKind.MATERIAL_LIST):
        lines.append("已收材料：")
        lines += [f"  {n}. {m.name}（{m.get_medium_display()}，{m.copies}份）"
                  for n, m in enumerate(case.materials.all(), 1)]
    return lines + print_template_lines(document)


def render_pdf(document: CaseDocument, qr_codes: list[tuple[str, str]]) -> bytes:
    """One A4 page; the material list prints twice (applicant copy and archive-bag copy, ACC-7.14).
    `qr_codes` from `document_qr_codes` are drawn side by side at the bottom right."""
    font = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{document.get_kind_display()} {document.case.case_number}")
    images = []
    for caption, url in qr_codes:
        image = io.BytesIO()
        qrcode.make(url, box_size=4, border=1).save(image, format="PNG")
        images.append((caption, image))
    copies = ("申请人联", "档案袋联") if document.kind == DocumentKind.MATERIAL_LIST else ("",)
    for copy in copies:
        width, height = A4
        pdf.setFont(font, 18)
        pdf.drawCentredString(width / 2, height - 30 * mm, f"{document.get_kind_display()} {copy}".strip())
        pdf.setFont(font, 11)
        y = height - 50 * mm
        for line in _lines(document):
            pdf.drawString(20 * mm, y, line[:60])
            y -= 7 * mm
        for n, (caption, image) in enumerate(images):
            image.seek(0)
            left = width - 55 * mm - n * 60 * mm
            pdf.drawImage(ImageReader(image), left, 25 * mm, 35 * mm, 35 * mm)
            pdf.setFont(font, 9)
            pdf.drawCentredString(left + 17.5 * mm, 20 * mm, caption)
            pdf.setFont(font, 11)
        pdf.drawString(20 * mm, 12 * mm, f"出具时间：{timezone.localtime(document.issued_at):%Y-%m-%d %H:%M}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def handover_qr_payload(bag, absolute) -> str:
    """The handover list's 2-D code: the case's progress URL tagged with the item's system number."""
    return f"{absolute(progress_path(bag.case))}#item={bag.case.item.implementation_code}"


def render_handover_pdf(bag, absolute) -> bytes:
    """材料交接清单 (ACC-7.18): materials in the bag, every hand-over, the 2-D code; stuck on the bag."""
    font = _font()
    case = bag.case
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"材料交接清单 {bag.bag_number}")
    width, height = A4
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 30 * mm, "材料交接清单")
    pdf.setFont(font, 11)
    lines = [f"档案袋编号：{bag.bag_number}", f"办件编号：{case.case_number}",
             f"事项：{case.item.name}（事项编码 {case.item.implementation_code}）", f"申请人：{case.applicant_name}",
             f"当前保管方：{bag.holder}", "袋内材料："]
    lines += [f"  {n}. {m.name}（{m.copies}份）" for n, m in enumerate(
        case.materials.filter(received=True).exclude(medium="electronic"), 1)]
    lines.append("交接记录：")
    lines += [f"  {timezone.localtime(h.at):%Y-%m-%d %H:%M} {h.from_party} → {h.to_party} {h.note}"
              for h in bag.handovers.all()] or ["  （暂无交接）"]
    y = height - 50 * mm
    for line in lines:
        pdf.drawString(20 * mm, y, line[:60])
        y -= 7 * mm
    image = io.BytesIO()
    qrcode.make(handover_qr_payload(bag, absolute), box_size=4, border=1).save(image, format="PNG")
    image.seek(0)
    pdf.drawImage(ImageReader(image), width - 55 * mm, 25 * mm, 35 * mm, 35 * mm)
    pdf.setFont(font, 9)
    pdf.drawCentredString(width - 37.5 * mm, 20 * mm, "事项系统编号二维码")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
