"""Image captcha of the login pages: the answer lives in the (server-side) session only."""
from __future__ import annotations

import io
import secrets

from PIL import Image, ImageDraw, ImageFont

SESSION_KEY = "identity_captcha"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def captcha_new(session) -> str:
    text = "".join(secrets.choice(ALPHABET) for _ in range(4))
    session[SESSION_KEY] = text
    return text


def captcha_check(session, answer: str) -> bool:
    """One try per captcha: the stored answer is dropped whatever the outcome."""
    expected = session.pop(SESSION_KEY, None)
    return bool(expected) and (answer or "").strip().upper() == expected


def captcha_png(text: str) -> bytes:
    image = Image.new("RGB", (120, 40), (245, 247, 250))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=26)
    for _ in range(6):
        draw.line([(secrets.randbelow(120), secrets.randbelow(40)), (secrets.randbelow(120), secrets.randbelow(40))],
                  fill=(180, 190, 205), width=1)
    for index, char in enumerate(text):
        draw.text((10 + index * 26, 4 + secrets.randbelow(6)), char, fill=(20, 60, 140), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
