"""What if a unit scored differently, or a framework weight changed? (docs/par.md, "What if")

The engine recomputes everything from a changed framework and score sheet, and the result
is set against the published one unit by unit. Nothing is ranked or summed here: a change
is applied to the inputs and ``compute_results`` does the rest, so a simulation follows
exactly the rules of the published index.

- A weight ``NODE=MAX`` gives the node a new maximum; its descendants' maxima and every
  unit's points on it are scaled by the same factor (a unit keeps its share of the
  maximum), and its ancestors' maxima become the sums of their children.
- A score ``UNIT:NODE=VALUE`` replaces the unit's value on the node, in the framework as
  changed by the weights; values given below the node are dropped (the node now has its
  own value). A parent's value given beside its children is recomputed from them.
- A unit scored only at a coarser level (a component without its criteria) cannot have a
  criterion inside it changed: its points there are unknown, and that is an error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cchc.fmt import ParseNumberError, format_number, parse_number
from cchc.par.framework import Framework, Node
from cchc.par.results import Results, compute_results
from cchc.par.scores import ScoresError, ScoreSheet, scores_from_rows
from cchc.par.values import NotApplicable, ScoreValue

__all__ = [
    "ScoreChange",
    "UnitChange",
    "WhatIf",
    "WhatIfError",
    "parse_score_change",
    "parse_weight",
    "reweigh",
    "simulate",
]

_TOLERANCE = 1e-9


class WhatIfError(ValueError):
    """A change cannot be applied; ``problems`` lists every reason, in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ScoreChange:
    """``UNIT:NODE=VALUE``: the unit scores VALUE on NODE."""

    unit_code: str
    node: str
    value: float


@dataclass(frozen=True)
class UnitChange:
    """One unit before (published) and after the simulated change."""

    unit_code: str
    unit_name: str
    score_before: float
    score_after: float
    max_before: float
    max_after: float
    index_before: float
    index_after: float
    rank_before: int
    rank_after: int
    band_before: str | None
    band_after: str | None

    @property
    def rank_change(self) -> int:
        """Positive when the unit moves up."""
        return self.rank_before - self.rank_after

    @property
    def changed(self) -> bool:
        return (
            self.rank_before != self.rank_after
            or self.band_before != self.band_after
            or abs(self.score_after - self.score_before) > _TOLERANCE
            or abs(self.max_after - self.max_before) > _TOLERANCE
        )


@dataclass(frozen=True)
class WhatIf:
    """The published results, the simulated ones, and every unit set side by side."""

    published: Results
    simulated: Results
    units: list[UnitChange]
    scores: tuple[ScoreChange, ...]
    weights: dict[str, float]


def parse_score_change(text: str) -> ScoreChange:
    """``"HNH:KQ=56,5"`` → ScoreChange("HNH", "KQ", 56.5); WhatIfError when malformed."""
    unit, colon, rest = text.partition(":")
    node, equals, value = rest.partition("=")
    if not (colon and equals and unit.strip() and node.strip() and value.strip()):
        raise WhatIfError([f"Đổi điểm {text!r}: cần dạng ĐƠN_VỊ:MỤC=ĐIỂM (ví dụ HNH:KQ=56,5)"])
    try:
        number = parse_number(value)
    except ParseNumberError:
        raise WhatIfError([f"Đổi điểm {text!r}: {value.strip()!r} không phải là số"]) from None
    return ScoreChange(unit.strip(), node.strip(), number)


def parse_weight(text: str) -> tuple[str, float]:
    """``"HL=33"`` → ("HL", 33.0); WhatIfError when malformed or not positive."""
    node, equals, value = text.partition("=")
    if not (equals and node.strip() and value.strip()):
        raise WhatIfError([f"Đổi trọng số {text!r}: cần dạng MỤC=ĐIỂM_TỐI_ĐA (ví dụ HL=33)"])
    try:
        number = parse_number(value)
    except ParseNumberError:
        raise WhatIfError([f"Đổi trọng số {text!r}: {value.strip()!r} không phải là số"]) from None
    if number <= 0:
        raise WhatIfError([f"Đổi trọng số {text!r}: điểm tối đa phải lớn hơn 0"])
    return node.strip(), number


def reweigh(framework: Framework, weights: Mapping[str, float]) -> tuple[Framework, dict[str, float]]:
    """The framework with new maxima, and the factor each node's points are scaled by."""
    problems = [
        f"Đổi trọng số {code}: mã {code!r} không có trong bộ chỉ số {framework.code}"
        for code in weights
        if not framework.has_node(code)
    ]
    for code in weights:
        if not framework.has_node(code):
            continue
        parent = framework.node(code).parent
        while parent is not None:
            if parent in weights:
                problems.append(f"Đổi trọng số {code}: nằm trong {parent}, cũng được đổi trọng số")
            parent = framework.node(parent).parent
    if problems:
        raise WhatIfError(problems)
    factors: dict[str, float] = {}
    for code, new_max in weights.items():
        factor = new_max / framework.node(code).max
        for node in framework.node(code).walk():
            factors[node.code] = factor

    def rebuild(node: Node) -> Node:
        children = tuple(rebuild(c) for c in node.children)
        if children:
            new_max = math.fsum(c.max for c in children)
        else:
            new_max = node.max * factors.get(node.code, 1.0)
        return Node(node.code, node.name, new_max, children, node.parent)

    components = tuple(rebuild(c) for c in framework.components)
    changed = Framework(
        code=framework.code,
        name=framework.name,
        year=framework.year,
        level=framework.level,
        max=math.fsum(c.max for c in components),
        bands=framework.bands,
        components=components,
        source=framework.source,
    )
    return changed, factors


def simulate(
    framework: Framework,
    sheet: ScoreSheet,
    *,
    scores: Iterable[ScoreChange] = (),
    weights: Mapping[str, float] | None = None,
    published: Results | None = None,
) -> WhatIf:
    """Apply the weights, then the score changes, recompute, and compare with ``published``
    (computed from ``framework`` and ``sheet`` when not given)."""
    scores = tuple(scores)
    weights = dict(weights or {})
    if published is None:
        published = compute_results(framework, sheet)
    changed, factors = reweigh(framework, weights)
    values = {row.unit_code: dict(row.values) for row in sheet.rows}
    problems: list[str] = []
    for unit_code, unit_values in values.items():
        for code in weights:
            touched = [
                n.code for n in framework.node(code).walk() if _number(unit_values.get(n.code))
            ]
            _settle_ancestors(framework, unit_code, code, unit_values, problems, "Đổi trọng số")
            for touched_code in touched:
                value = unit_values[touched_code]
                assert not isinstance(value, NotApplicable)
                unit_values[touched_code] = value * factors[touched_code]
    for change in scores:
        where = f"Đổi điểm {change.unit_code}:{change.node}"
        if change.unit_code not in values:
            problems.append(f"{where}: đơn vị {change.unit_code!r} không có trong tệp điểm")
            continue
        if not changed.has_node(change.node):
            problems.append(f"{where}: mã {change.node!r} không có trong bộ chỉ số {framework.code}")
            continue
        node = changed.node(change.node)
        if not -_TOLERANCE <= change.value <= node.max + _TOLERANCE:
            problems.append(
                f"{where}: điểm {format_number(change.value, 6, trim=True)} nằm ngoài khoảng "
                f"0..{format_number(node.max, 6, trim=True)} của {node.code}"
            )
            continue
        unit_values = values[change.unit_code]
        _settle_ancestors(framework, change.unit_code, node.code, unit_values, problems, "Đổi điểm")
        for below in framework.node(node.code).walk():
            unit_values.pop(below.code, None)
        unit_values[node.code] = change.value
    if problems:
        raise WhatIfError(list(dict.fromkeys(problems)))
    # The long form carries exactly the nodes each unit gives (a wide file would need a
    # cell for every column, and a blank cell is an error).
    rows = [
        {
            "unit_code": row.unit_code,
            "unit_name": row.unit_name,
            "criterion": code,
            "self_score": value,
            "final_score": value,
            "note": "",
        }
        for row in sheet.rows
        for code, value in values[row.unit_code].items()
    ]
    try:
        new_sheet = scores_from_rows(rows, changed, "mô phỏng")
    except ScoresError as exc:
        raise WhatIfError([str(e) for e in exc.errors]) from None
    simulated = compute_results(changed, new_sheet.with_illustrative(sheet.illustrative))
    units = []
    for before in published.units:
        after = simulated.unit(before.unit_code)
        units.append(
            UnitChange(
                unit_code=before.unit_code,
                unit_name=before.unit_name,
                score_before=before.score,
                score_after=after.score,
                max_before=before.max,
                max_after=after.max,
                index_before=before.index,
                index_after=after.index,
                rank_before=before.rank,
                rank_after=after.rank,
                band_before=before.band,
                band_after=after.band,
            )
        )
    units.sort(key=lambda u: (u.rank_after, u.unit_code))
    return WhatIf(published, simulated, units, scores, weights)


def _number(value: ScoreValue | None) -> bool:
    """A score given as a number (not absent, not KAD)."""
    return value is not None and not isinstance(value, NotApplicable)


def _settle_ancestors(
    framework: Framework,
    unit_code: str,
    code: str,
    values: dict[str, ScoreValue],
    problems: list[str],
    option: str,
) -> None:
    """Drop an ancestor's own value when values below it make it redundant (it will be
    recomputed); a unit scored only at the ancestor cannot have a part of it changed."""
    parent = framework.node(code).parent
    while parent is not None:
        if isinstance(values.get(parent), NotApplicable):
            problems.append(
                f"{option} {code}: đơn vị {unit_code} ghi {parent} là không áp dụng (KAD)"
            )
        elif values.get(parent) is not None:
            below = [n.code for n in framework.node(parent).walk() if n.code != parent]
            if any(values.get(b) is not None for b in below):
                values.pop(parent)
            else:
                problems.append(
                    f"{option} {code}: đơn vị {unit_code} chỉ có điểm chung của {parent}, "
                    f"không tách được điểm của {code}"
                )
        parent = framework.node(parent).parent
