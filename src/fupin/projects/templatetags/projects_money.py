"""Amounts on screens: yuan with thousands separators, and 万元/亿元 where a report would use them."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def yuan(value) -> str:
    """1234567.5 → 1,234,567.50"""
    amount = _decimal(value)
    return "—" if amount is None else f"{amount:,.2f}"


@register.filter
def wan(value) -> str:
    """An amount in 万元 (two decimals): 55816800 → 5,581.68万元; 亿元 from 100 million up."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    if abs(amount) >= YI:
        return _("%(n)s亿元") % {"n": f"{amount / YI:,.2f}"}
    return _("%(n)s万元") % {"n": f"{amount / WAN:,.2f}"}


@register.filter
def percent(part, whole) -> str:
    part, whole = _decimal(part), _decimal(whole)
    if part is None or not whole:
        return "—"
    return f"{part * 100 / whole:.1f}%"
