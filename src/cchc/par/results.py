"""Results of an index: every unit's score, index, rank and band, per node and in total.

Pure computation on the framework and the score sheets: nothing is rounded here except
where ranking compares at 2 decimals (ranking.py), bands classify the index as shown, and
points lost are stated at 2 decimals like the scores they are read against. Rounding for
display happens in export.py and narrative.py.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cchc.par.framework import Framework
from cchc.par.ranking import competition_rank, ranking_keys
from cchc.par.rounding import round2
from cchc.par.scores import ScoreProblem, ScoresError, ScoreSheet
from cchc.par.tree import Rolled, grand_total, missing_nodes, roll_up

__all__ = [
    "MergedPrevious",
    "NodeResult",
    "PreviousResult",
    "Results",
    "Summary",
    "UnitResult",
    "compute_results",
]


@dataclass(frozen=True, slots=True)
class NodeResult:
    """One node for one unit; the ``previous_*`` fields are set when a previous year is given.

    ``max`` is the applicable maximum (0 when the whole node does not apply); ``rank`` is
    among the units to which the node applies; ``rank_change`` is positive when the unit
    moved up.
    """

    score: float | None
    max: float
    index: float | None
    rank: int | None
    previous_score: float | None = None
    previous_max: float | None = None
    previous_rank: int | None = None
    delta: float | None = None
    rank_change: int | None = None

    @property
    def lost(self) -> float | None:
        """Points not obtained: applicable maximum − score, at 2 decimals; None when not applicable.

        Rounded so that a full score summed from children in floating point (max − score
        = -1e-15) reads as 0, not as a criterion where points were lost; ``+ 0.0`` turns the
        -0.0 that rounding leaves into 0.0, so it never prints as "-0,00".
        """
        return None if self.score is None else round2(self.max - self.score) + 0.0


@dataclass(frozen=True)
class PreviousResult:
    """The matched unit in the previous year (its code may differ, through lineage)."""

    unit_code: str
    score: float
    max: float
    index: float
    rank: int
    components: dict[str, NodeResult]
    unit_name: str = ""


@dataclass(frozen=True)
class MergedPrevious:
    """Last year's index of a unit formed from several, aggregated from its predecessors with
    a stated weight (population, dossiers, …); ``None`` weights mean no aggregate is given."""

    index: float
    weight_label: str
    weights: dict[str, float]


@dataclass(frozen=True)
class UnitResult:
    """One unit's results: total and every node of the framework keyed by code."""

    unit_code: str
    unit_name: str
    score: float
    max: float
    index: float
    rank: int
    band: str | None
    components: dict[str, NodeResult]
    previous: PreviousResult | None = None
    rank_change: int | None = None
    #: a unit formed from several last-year units (a merger): each one's result, nearest first
    predecessors: tuple[PreviousResult, ...] = ()
    #: their weighted aggregate, only when weights were stated for every predecessor
    merged_previous: MergedPrevious | None = None

    @property
    def delta(self) -> float | None:
        return None if self.previous is None else self.score - self.previous.score


@dataclass(frozen=True)
class Summary:
    """Number of units, mean index (percent) and how many units fall in each band."""

    units: int
    average_index: float
    band_counts: dict[str, int]


@dataclass(frozen=True)
class Results:
    """A whole index computed: the framework, units sorted by rank then code, a summary.

    ``previous_year``, ``previous_units`` and ``previous_summary`` describe the year compared
    against, when one was given.
    """

    framework: Framework
    units: list[UnitResult]
    summary: Summary
    previous_year: int | None = None
    previous_units: int | None = None
    previous_summary: Summary | None = None
    illustrative: bool = False

    _by_code: dict[str, UnitResult] = field(default_factory=dict, repr=False, compare=False)
    _per_rank: Counter[int] = field(default_factory=Counter, repr=False, compare=False)
    _node_ranks: dict[str, Counter[int]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Lookups by code and rank stay O(1) for a province's thousands of communes.
        self._by_code.update((u.unit_code, u) for u in self.units)
        self._per_rank.update(u.rank for u in self.units)
        counters: dict[str, Counter[int]] = {n.code: Counter() for n in self.framework.nodes()}
        for u in self.units:  # one pass over the units, not one per node
            for code, node in u.components.items():
                if node.rank is not None and code in counters:
                    counters[code][node.rank] += 1
        self._node_ranks.update(counters)

    def unit(self, code: str) -> UnitResult:
        """The result of the unit with this code; KeyError when absent."""
        return self._by_code[code]

    def tied(self, rank: int, node: str | None = None) -> int:
        """How many units share this rank, in total or for ``node`` (1: nobody else)."""
        return self._per_rank[rank] if node is None else self._node_ranks[node][rank]

    def ranked(self, node: str | None = None) -> int:
        """How many units are ranked, in total or for ``node`` (those it applies to)."""
        return len(self.units) if node is None else self._node_ranks[node].total()


def compute_results(
    framework: Framework,
    sheet: ScoreSheet,
    previous: ScoreSheet | None = None,
    previous_framework: Framework | None = None,
    lineage: Callable[[str], list[str]] | None = None,
    predecessor_weights: Mapping[str, float] | None = None,
    weight_label: str = "",
) -> Results:
    """Compute every unit's results, and compare with ``previous`` when given.

    ``previous`` was scored on ``previous_framework`` (default: the same framework; the
    previous year is then taken as ``framework.year - 1``). Units are matched by code;
    when a code is absent last year, ``lineage(code)`` lists the unit's earlier codes and
    the one present last year is used — a unit formed from several (a merger) has no single
    previous rank and gets none: it carries each predecessor's result instead
    (``UnitResult.predecessors``), and their aggregate index only when
    ``predecessor_weights`` gives a weight for every one of them (``weight_label`` says what
    the weight is, e.g. "dân số"); an aggregate is never made up without a stated weight.

    Raises ``ScoresError`` (file, row, node) when a unit has no value for a node and no
    value above it: a missing score is never read as "not applicable".
    """
    if sheet.framework_code != framework.code:
        raise ValueError(f"scores are for framework {sheet.framework_code}, not {framework.code}")
    current = _plain(framework, sheet)
    units: list[UnitResult] = []
    prev_year: int | None = None
    prev_plain: dict[str, UnitResult] = {}
    prev_summary: Summary | None = None
    if previous is not None:
        prev_framework = previous_framework or framework
        if previous.framework_code != prev_framework.code:
            raise ValueError(
                f"previous scores are for framework {previous.framework_code}, "
                f"not {prev_framework.code}"
            )
        prev_year = previous_framework.year if previous_framework else framework.year - 1
        prev_list = _plain(prev_framework, previous)
        prev_plain = {u.unit_code: u for u in prev_list}
        prev_summary = _summary(prev_framework, prev_list)
    for unit in current:
        match = _match(unit.unit_code, prev_plain, lineage) if prev_plain else None
        if match:
            units.append(_with_previous(unit, match))
            continue
        found = _merged(unit.unit_code, prev_plain, lineage) if prev_plain else []
        if len(found) > 1:
            unit = dataclasses.replace(
                unit,
                predecessors=tuple(_previous(p) for p in found),
                merged_previous=_aggregate(found, predecessor_weights, weight_label),
            )
        units.append(unit)
    units.sort(key=lambda u: (u.rank, u.unit_code))
    return Results(
        framework=framework,
        units=units,
        summary=_summary(framework, units),
        previous_year=prev_year,
        previous_units=len(prev_plain) if previous is not None else None,
        previous_summary=prev_summary,
        illustrative=sheet.illustrative or bool(previous and previous.illustrative),
    )


def _plain(framework: Framework, sheet: ScoreSheet) -> list[UnitResult]:
    """Results of one year on its own; ``ScoresError`` when any unit misses a score.

    A node without a value is never ranked as "not applicable" (only KAD is): one unit
    scored on a single component would otherwise rank on it alone.
    """
    rolled: dict[str, dict[str, Rolled]] = {}
    problems: list[ScoreProblem] = []
    for row in sheet.rows:
        rolled[row.unit_code], _ = roll_up(framework, row.values)
        problems.extend(
            ScoreProblem(
                sheet.source,
                row.row,
                code,
                f"đơn vị {row.unit_code!r} chưa có điểm {code} (ghi KAD nếu không áp dụng)",
            )
            for code in missing_nodes(framework, rolled[row.unit_code])
        )
    if problems:
        raise ScoresError(problems)
    nodes = list(framework.nodes())
    node_ranks: dict[str, dict[str, int]] = {}
    for node in nodes:
        applicable = {
            code: (r[node.code].score, r[node.code].max)
            for code, r in rolled.items()
            if r[node.code].score is not None
        }
        node_ranks[node.code] = competition_rank(ranking_keys(applicable))  # type: ignore[arg-type]
    totals = {code: grand_total(framework, r) for code, r in rolled.items()}
    total_ranks = competition_rank(ranking_keys(totals))
    out: list[UnitResult] = []
    for row in sheet.rows:
        r = rolled[row.unit_code]
        score, amax = totals[row.unit_code]
        index = score / amax * 100
        components = {
            node.code: NodeResult(
                r[node.code].score,
                r[node.code].max,
                _index(r[node.code]),
                node_ranks[node.code].get(row.unit_code),
            )
            for node in nodes
        }
        out.append(
            UnitResult(
                unit_code=row.unit_code,
                unit_name=row.unit_name,
                score=score,
                max=amax,
                index=index,
                rank=total_ranks[row.unit_code],
                band=framework.band_for(index),
                components=components,
            )
        )
    return out


def _index(rolled: Rolled) -> float | None:
    if rolled.score is None or rolled.max <= 0:
        return None
    return rolled.score / rolled.max * 100


def _match(
    code: str, previous: dict[str, UnitResult], lineage: Callable[[str], list[str]] | None
) -> UnitResult | None:
    if code in previous:
        return previous[code]
    if lineage is None:
        return None
    found = _merged(code, previous, lineage)
    return found[0] if len(found) == 1 else None


def _merged(
    code: str, previous: dict[str, UnitResult], lineage: Callable[[str], list[str]] | None
) -> list[UnitResult]:
    """Last year's results of the units linked to ``code`` through lineage (each once)."""
    if lineage is None:
        return []
    found: dict[str, UnitResult] = {}
    for c in lineage(code):
        if c in previous:
            found.setdefault(previous[c].unit_code, previous[c])
    return list(found.values())


def _aggregate(
    found: list[UnitResult], weights: Mapping[str, float] | None, label: str
) -> MergedPrevious | None:
    if not weights or not all(weights.get(u.unit_code, 0) > 0 for u in found):
        return None
    chosen = {u.unit_code: float(weights[u.unit_code]) for u in found}
    total = math.fsum(chosen.values())
    index = math.fsum(u.index * chosen[u.unit_code] for u in found) / total
    return MergedPrevious(index=index, weight_label=label or "trọng số", weights=chosen)


def _previous(prev: UnitResult) -> PreviousResult:
    return PreviousResult(
        unit_code=prev.unit_code,
        score=prev.score,
        max=prev.max,
        index=prev.index,
        rank=prev.rank,
        components={c: n for c, n in prev.components.items() if n.score is not None},
        unit_name=prev.unit_name,
    )


def _with_previous(unit: UnitResult, prev: UnitResult) -> UnitResult:
    components: dict[str, NodeResult] = {}
    for code, node in unit.components.items():
        before = prev.components.get(code)
        if before is None or before.score is None:
            components[code] = node
            continue
        components[code] = NodeResult(
            score=node.score,
            max=node.max,
            index=node.index,
            rank=node.rank,
            previous_score=before.score,
            previous_max=before.max,
            previous_rank=before.rank,
            delta=None if node.score is None else node.score - before.score,
            rank_change=_change(before.rank, node.rank),
        )
    return UnitResult(
        unit_code=unit.unit_code,
        unit_name=unit.unit_name,
        score=unit.score,
        max=unit.max,
        index=unit.index,
        rank=unit.rank,
        band=unit.band,
        components=components,
        previous=_previous(prev),
        rank_change=prev.rank - unit.rank,
    )


def _change(before: int | None, now: int | None) -> int | None:
    return None if before is None or now is None else before - now


def _summary(framework: Framework, units: list[UnitResult]) -> Summary:
    counts = {band.label: 0 for band in framework.bands}
    for unit in units:
        if unit.band is not None:
            counts[unit.band] += 1
    average = math.fsum(u.index for u in units) / len(units) if units else 0.0
    return Summary(units=len(units), average_index=average, band_counts=counts)
