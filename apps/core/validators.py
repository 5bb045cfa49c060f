"""Validators for the codes the platform stores: region codes and USCC (GB 32100)."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_REGION_RE = re.compile(r"^\d{12}$")

# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def validate_region_code(code: str) -> None:
    if not isinstance(code, str) or not _REGION_RE.match(code):
        raise ValidationError(_("区划代码必须是 12 位数字（GB/T 2260 六位加乡镇、村两级）：%(code)s") % {"code": code},
                              code="invalid_region_code")
    if code[:2] == "00":
        raise ValidationError(_("区划代码的省级部分不能为 00：%(code)s") % {"code": code}, code="invalid_region_code")
    # A village segment without a township, or a township without a county, is not a code.
    if code[6:9] == "000" and code[9:] != "000":
        raise ValidationError(_("村级代码缺少乡镇段：%(code)s") % {"code": code}, code="invalid_region_code")
    if code[4:6] == "00" and code[6:] != "000000":
        raise ValidationError(_("乡镇代码缺少区县段：%(code)s") % {"code": code}, code="invalid_region_code")
    if code[2:4] == "00" and code[4:] != "00000000":
        raise ValidationError(_("区县代码缺少地市段：%(code)s") % {"code": code}, code="invalid_region_code")


def uscc_check_character(first17: str) -> str:
    """The 18th character of a USCC, computed per GB 32100-2015 (weights 3^i mod 31)."""
    total = sum(USCC_ALPHABET.index(ch) * weight for ch, weight in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> None:
    if not isinstance(code, str) or len(code) != 18:
        raise ValidationError(_("统一社会信用代码必须是 18 位。"), code="invalid_credit_code")
    if not _USCC_RE.match(code):
        raise ValidationError(_("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）或结构不符：%(code)s")
                              % {"code": code}, code="invalid_credit_code")
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(_("统一社会信用代码校验位错误：应为 %(expected)s，实为 %(actual)s。")
                              % {"expected": expected, "actual": code[17]}, code="invalid_credit_code")


def make_credit_code(registration_authority: str, kind: str, region6: str, body9: str) -> str:
    """Build a valid USCC from its parts (used by demo data and factories)."""
    first17 = f"{registration_authority}{kind}{region6}{body9}"
    if len(first17) != 17 or not _USCC_RE.match(first17 + "0"):
        raise ValueError(f"Cannot build a USCC from {first17!r}: 17 characters of {USCC_ALPHABET} needed.")
    return first17 + uscc_check_character(first17)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_number_check_character(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def validate_id_number(value: str) -> None:
    """GB 11643 resident ID number: 18 characters with an ISO 7064 MOD 11-2 check character."""
    value = (value or "").upper()
    if not _ID_RE.match(value):
        raise ValidationError(_("身份证号码必须是 18 位（最后一位可为 X）。"), code="invalid_id_number")
    if id_number_check_character(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位错误。"), code="invalid_id_number")


_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def validate_mobile_number(value: str) -> None:
    if not isinstance(value, str) or not _MOBILE_RE.match(value):
        raise ValidationError(_("手机号码格式不正确：%(value)s（应为 11 位，以 1 开头）") % {"value": value},
                              code="invalid_mobile_number")


_DATA_SOURCE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")


def validate_data_source_code(value: str) -> None:
    """A data-source code: 2–32 upper-case letters, digits, '-' or '_' (e.g. HLJ-2301)."""
    if not isinstance(value, str) or not _DATA_SOURCE_RE.match(value):
        raise ValidationError(_("数据来源代码须为 2–32 位大写字母、数字、“-”或“_”：%(value)s") % {"value": value},
                              code="invalid_data_source_code")


def to_half_width(value: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３, full-width space) to half-width; CJK characters untouched."""
    out = []
    for ch in value:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def normalise_credit_code(value: str) -> str:
    """What people type for a USCC (spaces, full-width, lower case) to its canonical form."""
    return "".join(to_half_width(value or "").split()).upper()
