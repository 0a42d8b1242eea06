"""How numbers are shown (数字格式), in one place for every page and export (#15 item 6).

- amounts of money (金额): thousands separators and two decimals, followed by 元 where no
  column heading says the unit — ``907,620.00 元``; computed with ``Decimal`` (half up to the fen),
  never through ``float``;
- counts (件数, 人数): thousands separators — ``12,345``;
- percentages (比率): one decimal — ``95.3%``.

Templates use the filters of ``zhifa_format`` (``amount``, ``yuan``, ``count``, ``percent``);
Python code building strings calls the functions here; xlsx exports store numbers with the
``XLSX_*`` number formats so that Excel shows the same. Documents (DOCX/PDF) print amounts in
capital numerals followed by the digits — see ``zhifa.documents.formatting``.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

XLSX_AMOUNT = "#,##0.00"
XLSX_COUNT = "#,##0"
XLSX_PERCENT = "0.0"  # a percentage stored as its number (95.3), the column heading says %


def to_decimal(value) -> Decimal:
    """``value`` (Decimal, int, str with or without separators, float) as a finite Decimal;
    ``ValueError`` with a Chinese message otherwise. A float goes through its shortest repr."""
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"数字格式不正确：{value}") from None
    if not number.is_finite():
        raise ValueError(f"数字格式不正确：{value}")
    return number


def format_amount(value) -> str:
    """An amount of money: "907,620.00" (no unit); "" for None or ""."""
    if value is None or value == "":
        return ""
    number = to_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{number:,.2f}"


def format_yuan(value) -> str:
    """An amount of money with its unit: "907,620.00 元"; "" for None or ""."""
    text = format_amount(value)
    return f"{text} 元" if text else ""


def format_count(value) -> str:
    """A count: "12,345"; "" for None or ""; a value that is not a number is returned as text."""
    if value is None or value == "":
        return ""
    try:
        number = to_decimal(value)
    except ValueError:
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


def format_percent(value, *, sign: bool = False) -> str:
    """A percentage given as its number (95.25 → "95.3%"); "" for None or "". ``sign`` writes
    "+" before a positive value (a change)."""
    if value is None or value == "":
        return ""
    number = to_decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{number:,.1f}%"
    return f"+{text}" if sign and number > 0 else text
