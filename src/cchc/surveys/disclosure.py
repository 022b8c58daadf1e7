"""Which units' survey figures may be published: a minimum number of respondents per unit.

A unit with two respondents out of 139 planned has no meaningful index (its 95 % interval
spans most of the scale) and its counts come close to naming who answered what. So a
unit's figures (n, index, factor counts, points) are published only from ``minimum``
respondents up; below it the unit is named as withheld and nothing else of it is shown or
written into the campaign. The number is the deployment's (the web's
``CCHC_SURVEY_MIN_RESPONDENTS``); the rule is here.
"""

from __future__ import annotations

from dataclasses import replace

from cchc.surveys.index import SurveyResult

__all__ = ["split_by_respondents"]


def split_by_respondents(result: SurveyResult, minimum: int) -> tuple[SurveyResult, list[str]]:
    """(the result with only the units of at least ``minimum`` respondents, the codes of the
    units withheld, in the result's order)."""
    if minimum < 1:
        raise ValueError(f"số người trả lời tối thiểu phải ≥ 1, không phải {minimum}")
    kept = [u for u in result.units if u.respondents >= minimum]
    withheld = [u.unit_code for u in result.units if u.respondents < minimum]
    return replace(result, units=kept), withheld
