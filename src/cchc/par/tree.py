"""Rolling scores up the framework tree, with "not applicable" leaving the maximum.

The rule (docs/par.md, "Values at any level"):

- a node whose descendants carry values scores the sum of its applicable children, and its
  applicable maximum is the sum of theirs (docs/field.md §3: criteria that do not apply leave
  the maximum);
- a node with a value of its own and no values below it scores that value out of its full
  maximum;
- a node marked ``NOT_APPLICABLE`` (KAD) — or whose children all are — does not apply
  (score None, applicable maximum 0);
- a node with no value, nothing below it and no ancestor carrying a value is **missing**:
  never read as "not applicable" (a forgotten cell must not change a rank); ``roll_up``
  lists the missing nodes and the engine refuses to rank with any;
- when a node has a value AND values below it, the two must agree at 2 decimals — the way
  offices round — otherwise it is an error (``Disagreement``); a node marked KAD with
  scored children is one too (``given`` None).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from cchc.par.framework import Framework, Node
from cchc.par.rounding import round2
from cchc.par.values import NOT_APPLICABLE, NotApplicable, ScoreValue

__all__ = [
    "Disagreement",
    "Rolled",
    "Subtotal",
    "grand_total",
    "missing_nodes",
    "roll_up",
    "subtotals",
]


@dataclass(frozen=True, slots=True)
class Rolled:
    """A node's score (None = not applicable, or missing) and its applicable maximum."""

    score: float | None
    max: float
    missing: tuple[str, ...] = ()
    """The nodes at or below this one that carry no value and are not covered by a value
    above them (the highest such node of each missing branch)."""


@dataclass(frozen=True)
class Disagreement:
    """A value given for a node differs from the sum of the values given below it."""

    code: str
    given: float | None
    """The node's own value; None when it was marked not applicable (KAD)."""
    children_sum: float


def roll_up(
    framework: Framework, values: Mapping[str, ScoreValue | None]
) -> tuple[dict[str, Rolled], list[Disagreement]]:
    """Every node's score and applicable maximum for one unit's given ``values``.

    A code absent from ``values`` (or mapped to None) is "not given"; only
    ``NOT_APPLICABLE`` means "does not apply". ``out[c].missing`` of each top-level
    component lists what is missing (``missing_nodes`` gathers them).
    """
    out: dict[str, Rolled] = {}
    disagreements: list[Disagreement] = []
    for component in framework.components:
        _roll(component, values, out, disagreements)
    return out, disagreements


def missing_nodes(framework: Framework, rolled: Mapping[str, Rolled]) -> list[str]:
    """The nodes a unit still needs a value (or KAD) for, in framework order."""
    return [code for c in framework.components for code in rolled[c.code].missing]


def grand_total(framework: Framework, rolled: Mapping[str, Rolled]) -> tuple[float, float]:
    """A unit's total and its applicable maximum: the sum over the components that apply
    (a component that does not apply leaves the maximum, docs/field.md §3)."""
    parts = [rolled[c.code] for c in framework.components if rolled[c.code].score is not None]
    return math.fsum(p.score or 0.0 for p in parts), math.fsum(p.max for p in parts)


@dataclass(frozen=True, slots=True)
class Subtotal:
    """A component's (or the whole framework's) points while scores are still coming in.

    ``score`` sums what is given so far (None: nothing given, or it does not apply);
    ``max`` is the framework's maximum; ``applicable_max`` what is left of it once the
    criteria marked "does not apply" leave it (criteria not scored yet still count);
    ``missing`` the scored nodes (leaves) still without a value.
    """

    code: str
    name: str
    score: float | None
    max: float
    applicable_max: float
    missing: tuple[str, ...]


def subtotals(
    framework: Framework,
    values: Mapping[str, ScoreValue | None],
    *,
    leave_out: Collection[str] = (),
) -> tuple[list[Subtotal], Subtotal]:
    """Each component's subtotal and the grand total of one unit's ``values``, by the
    rule of ``roll_up`` and ``grand_total`` (a self-assessment in progress, a draft).

    ``leave_out`` names scored nodes that are not part of this reckoning (the survey
    components a unit does not score itself): they count neither as points, nor in the
    maxima, nor as missing; a component made only of them is not listed.
    """
    skipped = set(leave_out)
    given = {code: value for code, value in values.items() if code not in skipped}
    rolled, _ = roll_up(framework, given)
    leaves = [n for n in framework.nodes() if n.is_leaf and n.code not in skipped]
    # The same roll-up with every criterion at its maximum gives the maxima: the full one,
    # and the one that applies (only KAD takes points off it).
    full, _ = roll_up(framework, {n.code: n.max for n in leaves})
    reachable, _ = roll_up(
        framework,
        {n.code: NOT_APPLICABLE if isinstance(given.get(n.code), NotApplicable) else n.max for n in leaves},
    )
    rows: list[Subtotal] = []
    for component in framework.components:
        own = [n for n in component.walk() if n.is_leaf and n.code not in skipped]
        if not own:
            continue
        rows.append(
            Subtotal(
                component.code,
                component.name,
                rolled[component.code].score,
                full[component.code].max,
                reachable[component.code].max,
                tuple(n.code for n in own if given.get(n.code) is None),
            )
        )
    score, _ = grand_total(framework, rolled)
    total = Subtotal(
        "",
        "Tổng cộng",
        score if any(r.score is not None for r in rows) else None,
        grand_total(framework, full)[1],
        grand_total(framework, reachable)[1],
        tuple(code for r in rows for code in r.missing),
    )
    return rows, total


def _roll(
    node: Node,
    values: Mapping[str, ScoreValue | None],
    out: dict[str, Rolled],
    disagreements: list[Disagreement],
) -> Rolled:
    own = values.get(node.code)
    if not node.children:  # a criterion: the common case, kept short
        if own is None:
            result = Rolled(None, 0.0, (node.code,))
        elif isinstance(own, NotApplicable):
            result = Rolled(None, 0.0)
        else:
            result = Rolled(own, node.max)
        out[node.code] = result
        return result
    below = [_roll(child, values, out, disagreements) for child in node.children]
    applicable = [r for r in below if r.score is not None]
    missing: tuple[str, ...] = ()
    for r in below:
        if r.missing:
            missing += r.missing
    if isinstance(own, NotApplicable):
        result = Rolled(None, 0.0)
        if applicable:
            score = math.fsum(r.score for r in applicable if r.score is not None)
            disagreements.append(Disagreement(node.code, None, score))
    elif applicable:
        score = math.fsum(r.score for r in applicable if r.score is not None)
        # A value of the node's own covers children left out; otherwise they are missing.
        result = Rolled(
            score, math.fsum(r.max for r in applicable), () if own is not None else missing
        )
        if own is not None and round2(own) != round2(score):
            disagreements.append(Disagreement(node.code, own, score))
    elif own is not None:
        result = Rolled(own, node.max)
    elif not missing:
        result = Rolled(None, 0.0)  # every child explicitly does not apply
    elif any(not r.missing for r in below):
        result = Rolled(None, 0.0, missing)  # some children KAD, the others missing
    else:
        result = Rolled(None, 0.0, (node.code,))  # nothing given at all: name the node
    out[node.code] = result
    return result
