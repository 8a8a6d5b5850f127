"""Amounts as a report shows them: 亿元 from one hundred million, 万元 from ten thousand, else 元."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()

YI = Decimal(100_000_000)
CENT = Decimal("0.01")
WAN = Decimal(10_000)


def grouped(amount: Decimal) -> str:
    """Two decimals with a comma every three digits, whatever the locale's grouping (zh-hans has none)."""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def report_amount(value) -> str:
    """2.52亿元, 5,581.68万元, 474.00元 (thousands separators, two decimals); "—" for None."""
    if value is None:
        return "—"
    amount = Decimal(value)
    if abs(amount) >= YI:
        return _("%(n)s亿元") % {"n": grouped(amount / YI)}
    if abs(amount) >= WAN:
        return _("%(n)s万元") % {"n": grouped(amount / WAN)}
    return _("%(n)s元") % {"n": grouped(amount)}


@register.filter
def amount_report(value) -> str:
    return report_amount(value)


@register.filter
def yuan(value) -> str:
    """An exact amount in 元 with thousands separators (list cells)."""
    return "—" if value is None else grouped(Decimal(value))
