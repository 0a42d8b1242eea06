"""Validators for Chinese identifiers.

- 公民身份号码 GB 11643-1999: 18 characters, ISO 7064 MOD 11-2 check character,
  valid date of birth, valid province prefix.
- 统一社会信用代码 GB 32100-2015: 18 characters from a 31-character set, weighted
  mod-31 check character, region code in positions 3-8.
- 行政区划代码 GB/T 2260: six digits (province/prefecture/county); township codes
  (乡级, GB/T 10114) are nine digits beginning with their county's code.

Each ``validate_*`` raises ``django.core.exceptions.ValidationError`` with a Chinese
message, so forms, the API and the Excel import report the same words.
"""

import datetime
import re

from django.core.exceptions import ValidationError

# Province-level codes (first two digits) of GB/T 2260.
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")


def normalize_identifier(value: str) -> str:
    """Strip spaces and upper-case an identifier (a lower-case ``x`` is accepted)."""
    return (value or "").strip().replace(" ", "").upper()


def id_number_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(value: str) -> str:
    """Validate a citizen identity number (公民身份号码); return it normalised."""
    number = normalize_identifier(value)
    if not _ID_RE.match(number):
        raise ValidationError("身份证号码应为18位，前17位为数字，最后一位为数字或X。", code="id_format")
    if number[:2] not in PROVINCE_PREFIXES:
        raise ValidationError("身份证号码的地址码（前6位）不是有效的行政区划代码。", code="id_region")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth") from None
    if birth < datetime.date(1900, 1, 1) or birth > datetime.date.today():
        raise ValidationError("身份证号码中的出生日期超出合理范围。", code="id_birth")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号码校验位错误。", code="id_checksum")
    return number


def id_number_birth_date(number: str) -> datetime.date:
    """Date of birth encoded in a valid identity number."""
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_gender(number: str) -> str:
    """'M' or 'F' from the sequence digit of a valid identity number (odd = male)."""
    return "M" if int(number[16]) % 2 else "F"


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Validate a unified social credit code (统一社会信用代码); return it normalised."""
    code = normalize_identifier(value)
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位。", code="uscc_format")
    if not _USCC_RE.match(code):
        raise ValidationError(
            "统一社会信用代码含有无效字符（不使用I、O、Z、S、V，第3至8位须为数字）。", code="uscc_format"
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位错误。", code="uscc_checksum")
    return code


REGION_LEVELS = ("province", "city", "county", "township")


def region_level_of_code(code: str) -> str:
    """The level a GB/T 2260 (or 9-digit township) code denotes."""
    if len(code) == 9:
        return "township"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def validate_region_code(value: str) -> str:
    """Validate a region code (行政区划代码): 6 digits, or 9 for a township; return it."""
    code = (value or "").strip()
    if not re.fullmatch(r"\d{6}|\d{9}", code):
        raise ValidationError("行政区划代码应为6位数字（乡镇街道为9位）。", code="region_format")
    if code[:2] not in PROVINCE_PREFIXES:
        raise ValidationError("行政区划代码的前两位不是有效的省级代码。", code="region_province")
    if len(code) == 9 and code[4:6] == "00":
        raise ValidationError("乡镇街道代码的前6位应为所属县级行政区划代码。", code="region_township")
    if len(code) == 6 and code[2:4] == "00" and code[4:6] != "00":
        raise ValidationError("行政区划代码无效：地级代码为00时县级代码也应为00。", code="region_format")
    return code


def region_parent_code(code: str) -> str | None:
    """The code of the region directly above ``code`` in GB/T 2260 terms, or None for a province.

    Directly-administered counties (e.g. 省直辖县 4290xx) have a city-level code of their own
    prefix; callers treat a missing parent as the next level up.
    """
    level = region_level_of_code(code)
    if level == "province":
        return None
    if level == "city":
        return code[:2] + "0000"
    if level == "county":
        return code[:4] + "00"
    return code[:6]
