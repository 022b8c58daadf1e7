"""Template filters of the survey pages: fractions (the core's indices) as Vietnamese percents."""

from __future__ import annotations

from decimal import Decimal

from django import template

from cchc import fmt

register = template.Library()


@register.filter
def frac(value: float | Decimal | None, decimals: int = 2) -> str:
    """A fraction (0.6667) → "66,67%"; None → ""."""
    if value is None or value == "":
        return ""
    return fmt.format_percent(float(value), int(decimals))
