"""Licence identifier (证照标识) after GB/T 36904-2018's structure — layout in docs/decisions/0301.

    1.2.156.3005.2 . <licence type code, 21> . <issuer code, 18> . <sequence, 16> . <check, 1>

* root ``1.2.156.3005.2``: the e-licence arc used by the national platform;
* licence type code: USCC of the competent department (18) + 3-digit type number;
* issuer code: USCC of the issuing authority;
* sequence: issue year (4) + 12-digit counter per (type, issuer, year), allocated in the database;
* check character: ISO/IEC 7064 MOD 37,36 over type + issuer + sequence.

The code never changes across versions (change / annual inspection keep it; ``version`` + 1).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F

ROOT = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PATTERN = re.compile(r"^1\.2\.156\.3005\.2\.([0-9A-Z]{21})\.([0-9A-Z]{18})\.(\d{16})\.([0-9A-Z])$")


def check_character(payload: str) -> str:
    """ISO/IEC 7064 MOD 37,36 (hybrid system) over 0-9A-Z."""
    m, p = 36, 36
    for ch in payload.upper():
        s = (p + ALPHABET.index(ch)) % m or m
        p = (2 * s) % (m + 1)
    return ALPHABET[(1 - p) % m]


def build(type_code: str, issuer_code: str, year: int, counter: int) -> str:
    sequence = f"{year:04d}{counter:012d}"
    if not re.fullmatch(r"[0-9A-Z]{21}", type_code) or not re.fullmatch(r"[0-9A-Z]{18}", issuer_code):
        raise ValueError("证照类型代码应为 21 位、颁发机构代码应为 18 位统一社会信用代码")
    payload = type_code + issuer_code + sequence
    return f"{ROOT}.{type_code}.{issuer_code}.{sequence}.{check_character(payload)}"


def is_valid(code: str) -> bool:
    match = PATTERN.match(code or "")
    return bool(match) and check_character("".join(match.groups()[:3])) == match.group(4)


def allocate(type_code: str, issuer_code: str, year: int) -> str:
    """Next identifier; the counter row is incremented in the database (no duplicates under concurrency)."""
    from .models import LicenceCodeCounter

    keys = {"type_code": type_code, "issuer_code": issuer_code, "year": year}
    with transaction.atomic():
        for _attempt in range(3):
            if LicenceCodeCounter.objects.filter(**keys).update(last=F("last") + 1):
                break
            try:
                with transaction.atomic():
                    LicenceCodeCounter.objects.create(**keys, last=1)
                break
            except IntegrityError:
                continue
        last = LicenceCodeCounter.objects.filter(**keys).values_list("last", flat=True).get()
    return build(type_code, issuer_code, year, last)
