"""Template filters shared by the pages: amounts as printed in documents (1,234.50)."""

from django import template

from zhifa.documents.formatting import format_amount

register = template.Library()


@register.filter
def amount(value):
    """An amount in yuan with thousands separators and two decimals; empty for None."""
    return "" if value in (None, "") else format_amount(value)
