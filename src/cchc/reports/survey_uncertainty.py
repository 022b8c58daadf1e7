"""A campaign component's sampling error, derived from the survey that scored it.

``cchc.par.robustness`` reads respondents and satisfied counts per unit and factor; a
survey run in cchc (``cchc.surveys``) has every answer. Per unit and factor the count
used is the number of **people** who answered (the unit's respondents), and satisfied =
the factor's index × that number, rounded: a factor has several questions answered by the
same person, so counting answers would pretend to a sample several times larger
(assumed, docs/par.md "Robustness"). Units without a valid answer are left out (they do
not vary).
"""

from __future__ import annotations

from cchc.par.results import Results
from cchc.par.uncertainty import ComponentUncertainty, FactorCount
from cchc.surveys.index import SurveyResult

__all__ = ["uncertainty_from_survey"]


def uncertainty_from_survey(
    results: Results, component: str, survey: SurveyResult
) -> list[ComponentUncertainty]:
    """The counts form of ``component`` for every unit of ``results`` the survey covers."""
    out: list[ComponentUncertainty] = []
    codes = {u.unit_code for u in results.units if u.components.get(component) is not None
             and u.components[component].score is not None}
    for unit in survey.units:
        if unit.unit_code not in codes or unit.respondents <= 0:
            continue
        counts = []
        for factor in unit.factors.values():
            share = factor.share
            if not share.valid or share.index is None:
                continue
            people = min(unit.respondents, share.valid)
            counts.append(FactorCount(factor.key, people, round(share.index * people)))
        if counts:
            out.append(ComponentUncertainty(unit.unit_code, component, counts=tuple(counts)))
    return sorted(out, key=lambda x: (x.unit_code, x.component))
