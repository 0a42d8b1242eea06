"""Template filters for numbers, the one format of every page (``zhifa.core.numbers``):
``amount`` 907,620.00 · ``yuan`` 907,620.00 元 · ``count`` 12,345 · ``percent`` 95.3%."""

from django import template

from zhifa.core import numbers

register = template.Library()


def _safe(function, value, **kwargs):
    try:
        return function(value, **kwargs)
    except ValueError:
        return str(value)


@register.filter
def amount(value):
    """An amount in yuan with thousands separators and two decimals (no unit); empty for None."""
    return _safe(numbers.format_amount, value)


@register.filter
def yuan(value):
    """An amount with its unit: "907,620.00 元"; empty for None."""
    return _safe(numbers.format_yuan, value)


@register.filter
def count(value):
    """A count with thousands separators: "12,345"; empty for None."""
    return _safe(numbers.format_count, value)


@register.filter
def percent(value):
    """A percentage with one decimal: "95.3%"; empty for None."""
    return _safe(numbers.format_percent, value)
