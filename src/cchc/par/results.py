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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from cchc.par.exact import competition_rank_array, fsum_rows
from cchc.par.framework import Framework
from cchc.par.ranking import competition_rank, ranking_keys
from cchc.par.rounding import round2
from cchc.par.scores import ScoreProblem, ScoresError, ScoreSheet
from cchc.par.table import NodeTable, node_table, ranking_keys_array, roll_up_units
from cchc.par.tree import Rolled, grand_total, missing_nodes, roll_up

__all__ = [
    "MergedPrevious",
    "NodeResult",
    "NodeResults",
    "PreviousResult",
    "Results",
    "Summary",
    "UnitResult",
    "compare_results",
    "compute_results",
    "plain_results",
    "summary_of",
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


class NodeResults(Mapping[str, NodeResult]):
    """A unit's ``NodeResult`` of every node, read from the year's ``NodeTable`` when asked.

    Behaves as the dict ``{code: NodeResult}`` it stands for (equal to it, same order), but
    holds no object per node: a country's table has ~385 000 cells and a page reads one
    unit's. With ``previous`` (last year's nodes of the matched unit) each node also
    carries last year's score and rank, as ``compute_results`` describes.
    """

    __slots__ = ("previous", "row", "table")

    def __init__(
        self, table: NodeTable, row: int, previous: Mapping[str, NodeResult] | None = None
    ) -> None:
        self.table = table
        self.row = row
        self.previous = previous

    def __getitem__(self, code: str) -> NodeResult:
        j = self.table.column[code]
        t, i = self.table, self.row
        node = NodeResult(
            t.cells("score")[i][j],  # type: ignore[arg-type]
            t.cells("max")[i][j],  # type: ignore[arg-type]
            t.cells("index")[i][j],  # type: ignore[arg-type]
            t.cells("rank")[i][j],  # type: ignore[arg-type]
        )
        if self.previous is None:
            return node
        return _compared(node, self.previous.get(code))

    def __iter__(self) -> Iterator[str]:
        return iter(self.table.codes)

    def __len__(self) -> int:
        return len(self.table.codes)

    def __contains__(self, code: object) -> bool:
        return code in self.table.column

    def __repr__(self) -> str:
        return repr(dict(self))


class _Applicable(Mapping[str, NodeResult]):
    """The nodes of ``nodes`` that apply (score not None), read through when asked."""

    __slots__ = ("nodes",)

    def __init__(self, nodes: Mapping[str, NodeResult]) -> None:
        self.nodes = nodes

    def __getitem__(self, code: str) -> NodeResult:
        node = self.nodes[code]
        if node.score is None:
            raise KeyError(code)
        return node

    def __iter__(self) -> Iterator[str]:
        return (code for code, node in self.nodes.items() if node.score is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return repr(dict(self))


@dataclass(frozen=True)
class PreviousResult:
    """The matched unit in the previous year (its code may differ, through lineage)."""

    unit_code: str
    score: float
    max: float
    index: float
    rank: int
    components: Mapping[str, NodeResult]
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
    components: Mapping[str, NodeResult]
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
    against, when one was given. ``table`` is the roll-up and ranking stage: every node of
    every unit of this year as arrays (None when the per-unit rule computed the results).
    """

    framework: Framework
    units: list[UnitResult]
    summary: Summary
    previous_year: int | None = None
    previous_units: int | None = None
    previous_summary: Summary | None = None
    illustrative: bool = False
    table: NodeTable | None = field(default=None, repr=False, compare=False)

    _by_code: dict[str, UnitResult] = field(default_factory=dict, repr=False, compare=False)
    _per_rank: Counter[int] = field(default_factory=Counter, repr=False, compare=False)
    _node_ranks: dict[str, Counter[int]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Lookups by code and rank stay O(1) for a province's thousands of communes.
        self._by_code.update((u.unit_code, u) for u in self.units)
        self._per_rank.update(u.rank for u in self.units)

    def _ranks_of(self, node: str) -> Counter[int]:
        """How many units hold each rank of ``node``, counted when first asked."""
        if not self._node_ranks:
            self._node_ranks.update(self._count_node_ranks())
        return self._node_ranks[node]

    def _count_node_ranks(self) -> dict[str, Counter[int]]:
        codes = [n.code for n in self.framework.nodes()]
        table = self.table
        if table is not None and all(
            isinstance(u.components, NodeResults) and u.components.table is table
            for u in self.units
        ):
            rows = [u.components.row for u in self.units]  # type: ignore[attr-defined]
            counters: dict[str, Counter[int]] = {}
            for code in codes:
                ranks = table.rank[rows, table.column[code]]
                values, counts = np.unique(ranks[ranks > 0], return_counts=True)
                counters[code] = Counter(dict(zip(values.tolist(), counts.tolist(), strict=True)))
            return counters
        counters = {code: Counter() for code in codes}
        for u in self.units:  # one pass over the units, not one per node
            for code, node in u.components.items():
                if node.rank is not None and code in counters:
                    counters[code][node.rank] += 1
        return counters

    def unit(self, code: str) -> UnitResult:
        """The result of the unit with this code; KeyError when absent."""
        return self._by_code[code]

    def tied(self, rank: int, node: str | None = None) -> int:
        """How many units share this rank, in total or for ``node`` (1: nobody else)."""
        return self._per_rank[rank] if node is None else self._ranks_of(node)[rank]

    def ranked(self, node: str | None = None) -> int:
        """How many units are ranked, in total or for ``node`` (those it applies to)."""
        return len(self.units) if node is None else self._ranks_of(node).total()


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
    current = plain_results(framework, sheet)
    if previous is None:
        return current
    prev_framework = previous_framework or framework
    if previous.framework_code != prev_framework.code:
        raise ValueError(
            f"previous scores are for framework {previous.framework_code}, "
            f"not {prev_framework.code}"
        )
    return compare_results(
        current,
        plain_results(prev_framework, previous),
        previous_year=previous_framework.year if previous_framework else framework.year - 1,
        lineage=lineage,
        predecessor_weights=predecessor_weights,
        weight_label=weight_label,
    )


def plain_results(framework: Framework, sheet: ScoreSheet) -> Results:
    """One year's results on their own (no previous year): what ``compute_results`` gives
    without ``previous``, and what a published campaign stores (``cchc.par.stored``)."""
    units, table = _plain(framework, sheet)
    units.sort(key=lambda u: (u.rank, u.unit_code))
    return Results(
        framework=framework,
        units=units,
        summary=summary_of(framework, units),
        illustrative=sheet.illustrative,
        table=table,
    )


def compare_results(
    current: Results,
    previous: Results,
    *,
    previous_year: int | None = None,
    lineage: Callable[[str], list[str]] | None = None,
    predecessor_weights: Mapping[str, float] | None = None,
    weight_label: str = "",
) -> Results:
    """``current`` (one year on its own, ``plain_results``) compared with ``previous`` (last
    year on its own): the matching rule of ``compute_results``. ``previous_year`` defaults
    to the previous framework's year."""
    if current.previous_year is not None or previous.previous_year is not None:
        raise ValueError("compare_results takes results of one year on their own")
    prev_plain = {u.unit_code: u for u in previous.units}
    units: list[UnitResult] = []
    for unit in current.units:
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
        framework=current.framework,
        units=units,
        summary=current.summary,
        previous_year=previous.framework.year if previous_year is None else previous_year,
        previous_units=len(prev_plain),
        previous_summary=previous.summary,
        illustrative=current.illustrative or previous.illustrative,
        table=current.table,
    )


def _plain(framework: Framework, sheet: ScoreSheet) -> tuple[list[UnitResult], NodeTable | None]:
    """Results of one year on its own, and its node table; ``ScoresError`` when any unit
    misses a score.

    All units at once (``table.roll_up_units``); the per-unit rule, which gives the same
    results, when that does not apply or to name what is missing.
    """
    rolling = roll_up_units(framework, [row.values for row in sheet.rows])
    if rolling is None:
        return _plain_per_unit(framework, sheet), None
    parts = [rolling.column[c.code] for c in framework.components]
    if rolling.missing[:, parts].any():
        return _plain_per_unit(framework, sheet), None  # raises, naming every missing node
    applicable = ~np.isnan(rolling.score[:, parts])
    scores = fsum_rows(np.where(applicable, rolling.score[:, parts], 0.0))
    maxima = fsum_rows(np.where(applicable, rolling.max[:, parts], 0.0))
    if scores is None or maxima is None or not (maxima > 0).all():
        return _plain_per_unit(framework, sheet), None
    index = scores / maxima * 100
    ranks = competition_rank_array(ranking_keys_array(scores, maxima))
    table = node_table([row.unit_code for row in sheet.rows], rolling)
    out = [
        UnitResult(
            unit_code=row.unit_code,
            unit_name=row.unit_name,
            score=score,
            max=amax,
            index=idx,
            rank=rank,
            band=framework.band_for(idx),
            components=NodeResults(table, i),
        )
        for i, (row, score, amax, idx, rank) in enumerate(
            zip(
                sheet.rows,
                scores.tolist(),
                maxima.tolist(),
                index.tolist(),
                ranks.tolist(),
                strict=True,
            )
        )
    ]
    return out, table


def _plain_per_unit(framework: Framework, sheet: ScoreSheet) -> list[UnitResult]:
    """``_plain`` one unit at a time (``tree.roll_up``): the rule as first written.

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
        components=_Applicable(prev.components),
        unit_name=prev.unit_name,
    )


def _compared(node: NodeResult, before: NodeResult | None) -> NodeResult:
    """``node`` with last year's figures of the same node, when it applied last year."""
    if before is None or before.score is None:
        return node
    return NodeResult(
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


def _with_previous(unit: UnitResult, prev: UnitResult) -> UnitResult:
    components: Mapping[str, NodeResult]
    if isinstance(unit.components, NodeResults) and unit.components.previous is None:
        components = NodeResults(unit.components.table, unit.components.row, prev.components)
    else:
        components = {
            code: _compared(node, prev.components.get(code))
            for code, node in unit.components.items()
        }
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


def summary_of(framework: Framework, units: list[UnitResult]) -> Summary:
    """How many units, their mean index and how many fall in each band."""
    counts = {band.label: 0 for band in framework.bands}
    for unit in units:
        if unit.band is not None:
            counts[unit.band] += 1
    average = math.fsum(u.index for u in units) / len(units) if units else 0.0
    return Summary(units=len(units), average_index=average, band_counts=counts)
