"""Template filters that format through ``cchc.fmt``: numbers as 88,41, dates as dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

from cchc import fmt

register = template.Library()


@register.filter
def num(value: float | Decimal | int | None, decimals: int = 2) -> str:
    """{{ 88.41|num }} → 88,41; None → empty (not applicable)."""
    if value is None or value == "":
        return ""
    return fmt.format_number(float(value), int(decimals))


@register.filter
def score(value: object) -> str:
    """A criterion's value in its three states: 55,46 · "không áp dụng" · "chưa chấm"."""
    from cchc.par.values import NotApplicable

    if isinstance(value, NotApplicable):
        return "không áp dụng"
    if value is None or value == "":
        return "chưa chấm"
    return fmt.format_number(float(value), 2)  # type: ignore[arg-type]


@register.filter
def numt(value: float | Decimal | int | None) -> str:
    """Trailing zeros dropped, as maxima are written: {{ 100.0|numt }} → 100, 8.5 → 8,5."""
    if value is None or value == "":
        return ""
    return fmt.format_number(float(value), 2, trim=True)


@register.filter
def rule_words(node: object) -> str:
    """A formula criterion's scoring rule in its framework's words ("0,5 điểm cho mỗi sáng
    kiến, tối đa 2 điểm"); empty for a criterion scored by judgement."""
    from cchc.par.framework import Node
    from cchc.par.rules import describe_rule

    if not isinstance(node, Node) or node.rule is None:
        return ""
    return describe_rule(node.rule, node.max)


@register.filter
def integer(value: int | None) -> str:
    return "" if value is None else fmt.format_int(int(value))


@register.filter
def pct(value: float | Decimal | None, decimals: int = 2) -> str:
    """A value already in percent (88.41) → "88,41%"."""
    if value is None or value == "":
        return ""
    return fmt.format_number(float(value), int(decimals)) + "%"


@register.filter
def vdate(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return fmt.format_datetime(local)
    return fmt.format_date(value)


@register.filter
def two(value: int) -> str:
    """A count on a page: a plain number (2, 11), like ``integer``.

    The zero-padded "02" of administrative prose (``fmt.count2``) belongs in sentences
    such as the narrative's "có 02 đơn vị"; in tables and figures it read as "00" / "02",
    so pages never pad."""
    return integer(value)
