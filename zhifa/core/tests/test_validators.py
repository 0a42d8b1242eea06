"""Identifier validators against real-format valid and invalid numbers."""

import pytest
from django.core.exceptions import ValidationError

from zhifa.core.validators import (
    id_number_check_char,
    id_number_gender,
    uscc_check_char,
    validate_id_number,
    validate_region_code,
    validate_uscc,
)


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "440524198001010013", "610113199003071237", " 11010519491231002X "])
def test_valid_id_numbers_pass_and_normalise(number):
    """Valid GB 11643 numbers pass; a lower-case x and spaces are normalised."""
    assert validate_id_number(number) == number.strip().upper()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验位错误"),  # check character changed
        ("11010519491331002X", "出生日期无效"),  # month 13
        ("11010519490230002X", "出生日期无效"),  # 30 February
        ("99010519491231002X", "地址码"),  # no province 99
        ("1101051949123100", "应为18位"),  # too short
        ("1101051949123100AX", "应为18位"),  # letter in the body
        ("110105290012310028", "出生日期"),  # born in the future (2900)
    ],
)
def test_invalid_id_numbers_are_refused_in_chinese(number, message):
    """Each kind of bad number gets its own Chinese message."""
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert message in exc.value.messages[0]


def test_id_check_character_and_gender():
    """MOD 11-2 check character and the odd/even sex digit."""
    assert id_number_check_char("11010519491231002") == "X"
    assert id_number_gender("11010519491231002X") == "F"
    assert id_number_gender("440524198001010013") == "M"


@pytest.mark.parametrize("code", ["91110000600037341L", "91350100M000100Y43", "91110000600037341l", "Y1610113MA0000001G"])
def test_valid_credit_codes(code):
    """The GB 32100 vectors of the reference pass (letters allowed in positions 1-2)."""
    assert validate_uscc(code) == code.upper()


def test_reference_id_number_vector_is_not_a_credit_code():
    """legal-rules.md §8 lists 11010519491231002X among credit-code vectors; under the GB 32100
    weights its check character would be B, so it is refused as a credit code (it is the
    standard example of a valid GB 11643 identity number, tested above)."""
    assert uscc_check_char("11010519491231002") == "B"
    with pytest.raises(ValidationError):
        validate_uscc("11010519491231002X")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341M", "校验位错误"),
        ("91350100M000100Y44", "校验位错误"),
        ("91110000600O37341L", "无效字符"),  # letter O
        ("9111000060003734IL", "无效字符"),  # letter I
        ("91110000S00037341L", "无效字符"),  # letter S
        ("911A0000600037341L", "无效字符"),  # region part must be digits
        ("9111000060003734", "应为18位"),
    ],
)
def test_invalid_credit_codes(code, message):
    """Wrong check characters, forbidden letters and bad lengths are refused."""
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert message in exc.value.messages[0]


def test_credit_code_check_character():
    assert uscc_check_char("91110000600037341") == "L"


@pytest.mark.parametrize("code", ["610000", "610100", "610113", "610113001"])
def test_valid_region_codes(code):
    assert validate_region_code(code) == code


@pytest.mark.parametrize("code", ["61011", "990100", "610013", "610100001", "61a113"])
def test_invalid_region_codes(code):
    """Bad length, unknown province, a county under a 00 prefecture, a township under a city."""
    with pytest.raises(ValidationError):
        validate_region_code(code)
