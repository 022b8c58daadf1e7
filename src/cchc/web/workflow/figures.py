"""The raw figures of a formula criterion on the self-assessment and appraisal forms.

A criterion whose framework writes a formula (``rule:``, docs/par.md "Formulas") is
scored from the figure the rule is written in: a count ("Số sáng kiến: 3") or the two
counts of a rate (on-time dossiers over all dossiers), or the rate itself when only it is
known. The forms ask for those figures, labelled in the framework's words
(``cchc.par.rules.figure_fields``); the points are computed by the core's one evaluator
in ``services.points_from_figures``, never here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import HttpRequest

from cchc.fmt import format_number
from cchc.par.framework import Node
from cchc.par.rules import Figures, figure_fields
from cchc.web.campaigns.services import FigureRefused

# Form fields are named "fig_count", "fig_numerator", "fig_denominator", "fig_rate".
PREFIX = "fig_"


@dataclass(frozen=True)
class FigureInput:
    """One figure field as a template draws it."""

    name: str  # the form field's name
    id: str  # the element's id
    label: str
    value: str  # as stored, or as typed when the form was refused
    error: str  # the reason it was refused, shown beside it; "" otherwise


def typed_figures(request: HttpRequest, node: Node) -> dict[str, str] | None:
    """The figure fields posted for a formula criterion, as typed; None without a formula."""
    if node.rule is None:
        return None
    return {f.name: str(request.POST.get(PREFIX + f.name, "")) for f in figure_fields(node.rule)}


def _shown(figures: Figures | None, name: str) -> str:
    value = None if figures is None else getattr(figures, name)
    return "" if value is None else format_number(value, 2, trim=True)


def figure_inputs(
    node: Node,
    side: str,
    stored: Mapping[str, object] | None,
    typed: Mapping[str, str] | None = None,
    error: Exception | None = None,
) -> list[FigureInput]:
    """The figure fields of ``node`` for the ``side`` form ("self" or "appraise"): the
    stored figures, or what was typed when the form was refused, with the refusal beside
    the field it concerns. Empty for a criterion scored by hand."""
    if node.rule is None:
        return []
    figures = Figures.from_dict(stored)
    at = error.field if isinstance(error, FigureRefused) else None
    return [
        FigureInput(
            name=PREFIX + f.name,
            id=f"id_{side}_{f.name}",
            label=f.label,
            value=typed.get(f.name, "") if typed is not None else _shown(figures, f.name),
            error=str(error) if f.name == at else "",
        )
        for f in figure_fields(node.rule)
    ]
