"""The period of the 766 pages picked in words (Năm / 6 tháng / Quý / Tháng and a year)
rather than typed as a code; the code in the URL (``?ky=2026-Q3``) is still accepted, so
old links and the API's ``period`` keep working."""

from __future__ import annotations

from typing import Any

from cchc.service.period import Period, spoken
from cchc.service.period_parts import PARTS, compose, part_of

#: The first year offered: Decision 766/QĐ-TTg, which set up the index, is of 23/06/2022.
FIRST_YEAR = 2022


def period_text(params: Any) -> str | None:
    """The period code a request asks for: the picker's year and part (``nam``, ``phan``)
    when sent, else ``ky`` as typed in a URL; None when neither (the page's default)."""
    if params.get("nam"):
        return compose(params["nam"], params.get("phan", ""))
    return params.get("ky") or None


def picker(period: Period | None, fallback: Period, this_year: int) -> dict[str, Any]:
    """What ``desk/_period_picker.html`` shows: the years (newest first, from
    ``FIRST_YEAR`` to this year, widened to the period's), the parts, the ones selected,
    and the period in words."""
    shown = period or fallback
    year, part = part_of(shown)
    years = list(range(max(this_year, year), min(FIRST_YEAR, year) - 1, -1))
    return {"years": years, "year": year, "part": part, "parts": PARTS, "words": spoken(shown)}
