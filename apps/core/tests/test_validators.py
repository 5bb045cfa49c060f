"""Code validators: region codes (GB/T 2260 + township/village) and USCC (GB 32100)."""
import pytest
from django.core.exceptions import ValidationError

from apps.core.validators import (
    make_credit_code, normalise_credit_code, to_half_width, uscc_check_character, validate_credit_code,
    validate_data_source_code, validate_region_code,
)


@pytest.mark.parametrize("code", ["230000000000", "230100000000", "232701000000", "230102001000", "230102001001"])
def test_valid_region_codes(code):
    assert validate_region_code(code) is None      # accepted: no ValidationError


@pytest.mark.parametrize("code", ["23010200000", "2301020000001", "23010200000X", "000000000000", "230000001000",
                                  "230102000001", "230012000000", None])
def test_invalid_region_codes(code):
    with pytest.raises(ValidationError):
        validate_region_code(code)


def test_uscc_check_character_matches_a_published_code():
    # 91110000600037341L is a widely published real USCC (GB 32100 check character L).
    assert uscc_check_character("91110000600037341") == "L"
    validate_credit_code("91110000600037341L")


def test_uscc_refuses_a_wrong_check_character_and_bad_alphabet():
    with pytest.raises(ValidationError, match="校验位错误"):
        validate_credit_code("91110000600037341M")
    with pytest.raises(ValidationError, match="不允许的字符"):
        validate_credit_code("9111000060003734OL")


def test_make_credit_code_refuses_characters_outside_the_alphabet():
    assert len(make_credit_code("1", "1", "230100", "D00000001")) == 18
    with pytest.raises(ValueError):
        make_credit_code("1", "1", "230100", "MA1DEMO01")        # O is not in the alphabet


def test_normalisers_fold_full_width_and_whitespace():
    assert to_half_width("ＡＢ１２\u3000（局）") == "AB12 (局)"      # names put （） back afterwards
    assert normalise_credit_code(" ９１１１０００ 0600037341l ") == "91110000600037341L"


@pytest.mark.parametrize("value, ok", [("HLJ-2301", True), ("A1", True), ("x", False), ("hlj 1", False)])
def test_data_source_code_format(value, ok):
    if ok:
        validate_data_source_code(value)
    else:
        with pytest.raises(ValidationError):
            validate_data_source_code(value)
