"""The one font licences use: WenQuanYi Zen Hei (fonts-wqy-zenhei), for OFD glyph advances and PDF."""

from functools import lru_cache

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT_NAME = "WenQuanYi Zen Hei"
PDF_FONT = "WQYZenHei"


@lru_cache(maxsize=1)
def register_pdf_font() -> str:
    """Register the font with reportlab once; returns its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(PDF_FONT, FONT_PATH, subfontIndex=0))
    return PDF_FONT


@lru_cache(maxsize=4096)
def advance_em(char: str) -> float:
    """Advance width of one character in em (1.0 = font size)."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(char, register_pdf_font(), 1000) / 1000.0


def text_width_mm(text: str, size_mm: float) -> float:
    return sum(advance_em(c) for c in text) * size_mm
