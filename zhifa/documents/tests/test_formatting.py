"""Amounts in capital numerals, Chinese numerals and dates as documents print them."""

import datetime
from decimal import Decimal

import pytest

from zhifa.documents.formatting import (
    amount_in_chinese_upper,
    chinese_numeral,
    format_amount,
    format_date,
    format_datetime,
    format_period,
)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.00", "零元整"),
        ("0", "零元整"),
        ("1500", "壹仟伍佰元整"),
        ("100200.50", "壹拾万零贰佰元伍角"),
        ("3000000", "叁佰万元整"),
        ("0.05", "伍分"),
        ("0.5", "伍角"),
        ("0.55", "伍角伍分"),
        ("1.05", "壹元零伍分"),
        ("1.50", "壹元伍角"),
        ("10", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("101", "壹佰零壹元整"),
        ("110", "壹佰壹拾元整"),
        ("1001", "壹仟零壹元整"),
        ("1010", "壹仟零壹拾元整"),
        ("10000", "壹万元整"),
        ("10001", "壹万零壹元整"),
        ("10100", "壹万零壹佰元整"),
        ("11000", "壹万壹仟元整"),
        ("55000", "伍万伍仟元整"),
        ("200000", "贰拾万元整"),
        ("1000005", "壹佰万零伍元整"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("100000001", "壹亿零壹元整"),
        ("120003000.09", "壹亿贰仟万零叁仟元零玖分"),
        ("987654321.12", "玖亿捌仟柒佰陆拾伍万肆仟叁佰贰拾壹元壹角贰分"),
        ("20001000", "贰仟万零壹仟元整"),
        ("21000000", "贰仟壹佰万元整"),
        ("1000000000000", "壹万亿元整"),
        ("50,000.00", "伍万元整"),
    ],
)
def test_amount_in_chinese_upper(amount, expected):
    """Capital amounts follow the banking rules: one 零 for a run of zeros, 整 only without
    角/分, 零 before 分 when 角 is zero, no empty 万 groups."""
    value = amount if "," in amount else Decimal(amount)
    assert amount_in_chinese_upper(value) == expected


def test_amount_accepts_int_and_rounds_half_up():
    """Integers are accepted; a third decimal is rounded half up to the fen."""
    assert amount_in_chinese_upper(200) == "贰佰元整"
    assert amount_in_chinese_upper(Decimal("0.015")) == "贰分"
    assert amount_in_chinese_upper(Decimal("9.999")) == "壹拾元整"


@pytest.mark.parametrize("bad", [Decimal("-1"), "abc", Decimal("NaN"), Decimal("1e18")])
def test_amount_rejects_invalid(bad):
    """Negative, non-numeric and too large amounts are refused in Chinese."""
    with pytest.raises(ValueError, match="金额"):
        amount_in_chinese_upper(bad)


def test_format_amount():
    """Amounts print with thousands separators and two decimals."""
    assert format_amount(Decimal("55000")) == "55,000.00"
    assert format_amount(Decimal("0.5")) == "0.50"
    assert format_amount(1234567) == "1,234,567.00"


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "零"), (6, "六"), (10, "十"), (15, "十五"), (20, "二十"), (60, "六十"), (101, "一百零一"), (110, "一百一十")],
)
def test_chinese_numeral(number, expected):
    """Ordinary Chinese numerals for periods ("六十日", "十五日")."""
    assert chinese_numeral(number) == expected


def test_dates_and_times():
    """Dates print without leading zeros; record times as 时/分, the end date only when it differs."""
    assert format_date(datetime.date(2026, 10, 8)) == "2026年10月8日"
    assert format_date(None) == ""
    start = datetime.datetime(2026, 9, 12, 9, 30)
    assert format_datetime(start) == "2026年9月12日9时30分"
    assert format_period(start, datetime.datetime(2026, 9, 12, 10, 45)) == "2026年9月12日9时30分至10时45分"
    assert format_period(start, datetime.datetime(2026, 9, 13, 8, 5)) == "2026年9月12日9时30分至2026年9月13日8时05分"
