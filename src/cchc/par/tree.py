"""Rolling scores up the framework tree, with "not applicable" leaving the maximum.

The rule (docs/par.md, "Values at any level"):

- a node whose descendants carry values scores the sum of its applicable children, and its
  applicable maximum is the sum of theirs (docs/field.md §3: criteria that do not apply leave
  the maximum);
- a node with a value of its own and no values below it scores that value out of its full
  maximum;
- a node with neither is not applicable (score None, applicable maximum 0);
- when a node has a value AND values below it, the two must agree at 2 decimals — the way
  offices round — otherwise it is an error (``Disagreement``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cchc.par.framework import Framework, Node
from cchc.par.rounding import round2

__all__ = ["Disagreement", "Rolled", "roll_up"]


@dataclass(frozen=True, slots=True)
class Rolled:
    """A node's score (None = not applicable) and its applicable maximum."""

    score: float | None
    max: float


@dataclass(frozen=True)
class Disagreement:
    """A value given for a node differs from the sum of the values given below it."""

    code: str
    given: float
    children_sum: float


def roll_up(
    framework: Framework, values: Mapping[str, float | None]
) -> tuple[dict[str, Rolled], list[Disagreement]]:
    """Every node's score and applicable maximum for one unit's given ``values``."""
    out: dict[str, Rolled] = {}
    disagreements: list[Disagreement] = []
    for component in framework.components:
        _roll(component, values, out, disagreements)
    return out, disagreements


def _roll(
    node: Node,
    values: Mapping[str, float | None],
    out: dict[str, Rolled],
    disagreements: list[Disagreement],
) -> Rolled:
    own = values.get(node.code)
    below = [_roll(child, values, out, disagreements) for child in node.children]
    applicable = [r for r in below if r.score is not None]
    if applicable:
        score = math.fsum(r.score for r in applicable if r.score is not None)
        result = Rolled(score, math.fsum(r.max for r in applicable))
        if own is not None and round2(own) != round2(score):
            disagreements.append(Disagreement(node.code, own, score))
    elif own is not None:
        result = Rolled(own, node.max)
    else:
        result = Rolled(None, 0.0)
    out[node.code] = result
    return result
