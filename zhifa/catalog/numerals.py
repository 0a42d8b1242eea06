"""Chinese numerals as used in statute citations (第一百二十二条第一款第（三）项)."""

from django.core.exceptions import ValidationError

_DIGITS = "零一二三四五六七八九"
_VALUE = {c: i for i, c in enumerate(_DIGITS)} | {"两": 2, "〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_numeral(number: int) -> str:
    """Write a positive integer below 10,000 in Chinese numerals: 12 → 十二, 122 → 一百二十二."""
    if number <= 0 or number >= 10000:
        return str(number)
    parts = []
    zero_pending = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit % 10
        if digit == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(_DIGITS[digit] + name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def parse_numeral(raw) -> int:
    """An article/paragraph/item number given as 122, "122", "一百二十二" or "第一百二十二条"."""
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = str(raw).strip()
        for ch in "第条款项（）()":
            text = text.replace(ch, "")
        if text.isdigit():
            value = int(text)
        else:
            value = _parse_chinese(text)
    if value <= 0:
        raise ValidationError("条、款、项的序号应为正整数。")
    return value


def _parse_chinese(text: str) -> int:
    if not text or any(c not in _VALUE and c not in _UNITS for c in text):
        raise ValidationError("序号应为数字或中文数字，例如 122 或“第一百二十二条”。")
    total, digit = 0, None
    for char in text:
        if char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            digit = _VALUE[char]
    return total + (digit or 0)
