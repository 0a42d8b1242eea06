"""Construction of valid identifiers for demo, synthetic and test data.

- ``make_id_number``: a GB 11643 citizen identity number (check character computed);
- ``make_uscc``: a GB 32100 unified social credit code whose positions 9–17 are a GB 11714
  organisation code with its own check character, and whose position 18 is the GB 32100
  check character.

Validation itself lives in ``zhifa.core.validators``; these only build numbers that pass it.
"""

import datetime

from zhifa.core.validators import USCC_ALPHABET, id_number_check_char, uscc_check_char

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}

# Registration authority + organisation category (positions 1–2 of a credit code).
USCC_ENTERPRISE = "91"  # 工商（市场监管）· 企业
USCC_INDIVIDUAL_BUSINESS = "92"  # 工商（市场监管）· 个体工商户
USCC_COOPERATIVE = "93"  # 工商（市场监管）· 农民专业合作社


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character of an eight-character organisation code body."""
    total = sum(_ORG_VALUES[c] * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_uscc(prefix: str, region_code: str, body8: str) -> str:
    """A valid credit code from the two-character prefix, region code and organisation body."""
    org = body8 + org_code_check_char(body8)
    first17 = prefix + region_code[:6] + org
    return first17 + uscc_check_char(first17)


def random_org_body(rng) -> str:
    """A new-style organisation code body (``MA`` + six characters of the USCC alphabet)."""
    return "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))


def make_id_number(region_code: str, birth: datetime.date, sequence: int) -> str:
    """A valid identity number; ``sequence`` 0–999, odd for men."""
    first17 = f"{region_code[:6]}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_char(first17)
