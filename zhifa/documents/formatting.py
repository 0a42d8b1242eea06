"""Formatting of values for enforcement documents: amounts in capital numerals (大写金额),
small counts in Chinese numerals, dates and times the way documents print them.

The context handed to a template holds only formatted strings (see ``context.py``); these
are the functions that produce them.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from zhifa.core import numbers

_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UPPER_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
_LOWER_DIGITS = "零一二三四五六七八九"
_LOWER_UNITS = ("", "十", "百", "千")


def _to_cents(amount) -> int:
    """The amount in fen (分), rounded half up; ``ValueError`` for negatives and non-numbers."""
    if isinstance(amount, float):
        amount = repr(amount)
    try:
        value = Decimal(str(amount).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"金额格式不正确：{amount}") from None
    if not value.is_finite():
        raise ValueError(f"金额格式不正确：{amount}")
    if value < 0:
        raise ValueError("金额不能为负数。")
    cents = int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if cents >= 10**18:
        raise ValueError("金额超出可以大写的范围（万亿元以内）。")
    return cents


def _group_text(group: int, digits: str, units: tuple[str, ...]) -> str:
    """A number 1..9999 in Chinese numerals: inner zeros read once, trailing zeros dropped."""
    text = ""
    started = False
    zero = False
    for position in (3, 2, 1, 0):
        digit = group // 10**position % 10
        if digit == 0:
            zero = started
            continue
        if zero:
            text += digits[0]
            zero = False
        text += digits[digit] + units[position]
        started = True
    return text


def _integer_text(number: int, digits: str, units: tuple[str, ...]) -> str:
    """A positive integer in Chinese numerals with 万/亿 groups and the zero rules."""
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    parts = []
    previous = None  # the last non-zero group written
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = previous is not None
            continue
        # zeros between two groups are read once: after a zero group, before a group under
        # 1000 (10|0200 → 壹拾万零贰佰) or after a group ending in zero (2000|3000 → 贰仟万零叁仟)
        if previous is not None and (zero_pending or group < 1000 or previous % 10 == 0):
            parts.append(digits[0])
        parts.append(_group_text(group, digits, units) + _GROUP_UNITS[index])
        previous = group
        zero_pending = False
    return "".join(parts)


def amount_in_chinese_upper(amount) -> str:
    """An amount of money in capital Chinese numerals (金额大写), as printed on decisions.

    ``Decimal("1500")`` → "壹仟伍佰元整", ``Decimal("100200.50")`` → "壹拾万零贰佰元伍角",
    ``Decimal("0")`` → "零元整", ``Decimal("1.05")`` → "壹元零伍分", ``Decimal("0.3")`` → "叁角".
    Accepts Decimal, int, str (commas allowed); rounds to the fen half up.
    """
    cents = _to_cents(amount)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    text = _integer_text(yuan, _UPPER_DIGITS, _UPPER_UNITS) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += _UPPER_DIGITS[jiao] + "角"
    if fen:
        if jiao == 0 and yuan:
            text += "零"
        text += _UPPER_DIGITS[fen] + "分"
    return text


def format_amount(amount) -> str:
    """An amount with thousands separators and two decimals: "55,000.00" — the format of every
    page (``zhifa.core.numbers``); documents print it after the capital numerals:
    "罚款人民币伍万伍仟元整（¥55,000.00）". Negative amounts are refused, as in ``amount_in_chinese_upper``."""
    _to_cents(amount)
    return numbers.format_amount(amount)


def chinese_numeral(number: int) -> str:
    """A non-negative integer in ordinary Chinese numerals: 15 → "十五", 60 → "六十", 6 → "六"."""
    if number < 0:
        raise ValueError("数字不能为负数。")
    if number == 0:
        return "零"
    text = _integer_text(number, _LOWER_DIGITS, _LOWER_UNITS)
    if 10 <= number < 20:
        text = text[1:]  # 一十五 → 十五
    return text


def format_date(value: datetime.date | None) -> str:
    """A date as documents print it: "2026年10月8日" ("" for None)."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def format_datetime(value: datetime.datetime | None) -> str:
    """A moment as records print it: "2026年9月12日9时30分" ("" for None)."""
    if value is None:
        return ""
    return f"{format_date(value)}{value.hour}时{value.minute:02d}分"


def format_period(start: datetime.datetime, end: datetime.datetime) -> str:
    """A span of time for a record (笔录): "2026年9月12日9时30分至10时45分"; the end date
    is repeated only when it differs from the start date."""
    end_text = f"{end.hour}时{end.minute:02d}分" if end.date() == start.date() else format_datetime(end)
    return f"{format_datetime(start)}至{end_text}"
