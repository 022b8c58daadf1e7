"""Every unit × every node of one year as arrays: the roll-up and ranking stage of ``Results``.

``tree.roll_up`` states the rule for one unit; ``roll_up_units`` applies the same rule to
all units at once, a node at a time (children before parents), with ``exact.fsum_rows``
for the sums, so each figure is the float ``roll_up`` gives, bit for bit
(tests/par/test_par_table.py compares the two on random frameworks). ``NodeTable`` keeps
the result — score, applicable maximum, index and rank of every node for every unit —
without a Python object per cell: a country's 3 321 communes × 116 nodes would be ~385 000.
``NodeResult`` objects are made when a node is read (``NodeResults``).

``roll_up_units`` returns None for what it does not cover (a value that is not a float, or
sums outside ``fsum_rows``' range): the caller then uses the per-unit rule, which gives the
same results, slower.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import NoneType

import numpy as np
import numpy.typing as npt

from cchc.par.exact import competition_rank_array, fsum_rows, round2_array
from cchc.par.framework import Framework
from cchc.par.values import NotApplicable, ScoreValue

__all__ = ["NodeTable", "Rolling", "node_table", "roll_up_units"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Rolling:
    """``roll_up`` for many units: row i is unit i, column j is ``codes[j]``.

    ``score`` is NaN where ``Rolled.score`` is None; ``missing`` is True where
    ``Rolled.missing`` is not empty; ``disagrees`` marks the nodes ``roll_up`` reports a
    ``Disagreement`` for.
    """

    codes: tuple[str, ...]
    score: Floats
    max: Floats
    missing: Bools
    disagrees: Bools

    @cached_property
    def column(self) -> dict[str, int]:
        return {code: j for j, code in enumerate(self.codes)}


def roll_up_units(
    framework: Framework, values: Sequence[Mapping[str, ScoreValue | None]]
) -> Rolling | None:
    """``tree.roll_up`` of every unit's ``values`` at once; None when not covered."""
    nodes = list(framework.nodes())
    codes = tuple(n.code for n in nodes)
    column = {code: j for j, code in enumerate(codes)}
    count, width = len(values), len(nodes)
    given = _given(values, column, count, width)
    if given is None:
        return None
    own, kad = given
    score = np.full((count, width), np.nan)
    top = np.zeros((count, width))
    missing = np.zeros((count, width), dtype=bool)
    disagrees = np.zeros((count, width), dtype=bool)
    # Pre-order lists a parent before its children: reversed, children come first.
    for j in reversed(range(width)):
        node = nodes[j]
        o, k = own[:, j], kad[:, j]
        number = ~np.isnan(o)
        if not node.children:
            score[:, j] = o
            top[:, j] = np.where(number, node.max, 0.0)
            missing[:, j] = ~number & ~k
            continue
        below = [column[c.code] for c in node.children]
        applicable = ~np.isnan(score[:, below])
        any_applicable = applicable.any(axis=1)
        sums = fsum_rows(np.where(applicable, score[:, below], 0.0))
        maxima = fsum_rows(np.where(applicable, top[:, below], 0.0))
        if sums is None or maxima is None:
            return None
        score[:, j] = np.where(k, np.nan, np.where(any_applicable, sums, o))
        top[:, j] = np.where(
            k, 0.0, np.where(any_applicable, maxima, np.where(number, node.max, 0.0))
        )
        missing[:, j] = ~k & ~number & missing[:, below].any(axis=1)
        differs = number & any_applicable & ~k
        if differs.any():
            differs &= round2_array(np.where(differs, o, 0.0)) != round2_array(
                np.where(differs, sums, 0.0)
            )
        disagrees[:, j] = (k & any_applicable) | differs
    return Rolling(codes, score, top, missing, disagrees)


def _given(
    values: Sequence[Mapping[str, ScoreValue | None]], column: dict[str, int], count: int, width: int
) -> tuple[Floats, Bools] | None:
    """Each unit's own values (NaN: none) and where KAD was given; None when a value is
    neither a float nor KAD (an int would keep its type through ``roll_up``) or a code is
    not the framework's."""
    flat: list[object] = []
    parts: list[npt.NDArray[np.intp]] = []
    sizes: list[int] = []
    layouts: dict[tuple[str, ...], npt.NDArray[np.intp]] = {}
    for unit in values:
        keys = tuple(unit)  # the units of a sheet share one column order: look it up once
        where = layouts.get(keys)
        if where is None:
            if any(k not in column for k in keys):
                return None
            where = layouts[keys] = np.array([column[k] for k in keys], dtype=np.intp)
        flat.extend(unit.values())
        parts.append(where)
        sizes.append(len(keys))
    if not set(map(type, flat)) <= {float, NotApplicable, NoneType}:
        return None
    cells = np.empty(len(flat), dtype=object)
    cells[:] = flat
    rows = np.repeat(np.arange(count), sizes)
    cols = np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)
    kinds = np.empty(len(flat), dtype=object)
    kinds[:] = list(map(type, flat))
    kad_cells = kinds == NotApplicable
    blank = kinds == NoneType
    numbers = np.where(kad_cells | blank, np.nan, cells).astype(np.float64)
    if np.isnan(numbers[~(kad_cells | blank)]).any():
        return None  # a NaN given would read as "not given"
    own = np.full((count, width), np.nan)
    own[rows, cols] = numbers
    kad = np.zeros((count, width), dtype=bool)
    kad[rows[kad_cells], cols[kad_cells]] = True
    return own, kad


@dataclass(frozen=True, eq=False)
class NodeTable:
    """Every node's score, applicable maximum, index and rank for every unit of one year.

    Row i is ``unit_codes[i]``; ``score`` and ``index`` are NaN and ``rank`` 0 where the
    engine's ``NodeResult`` has None.
    """

    unit_codes: tuple[str, ...]
    codes: tuple[str, ...]
    score: Floats
    max: Floats
    index: Floats
    rank: Ints
    _lists: dict[str, list[list[object]]] = field(default_factory=dict, repr=False)

    @cached_property
    def column(self) -> dict[str, int]:
        return {code: j for j, code in enumerate(self.codes)}

    @cached_property
    def row(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.unit_codes)}

    def cells(self, name: str) -> list[list[object]]:
        """One of the four arrays as Python lists (None where empty), converted once."""
        if name not in self._lists:
            array = getattr(self, name)
            empty = array == 0 if name == "rank" else np.isnan(array)
            cells = array.astype(object)
            cells[empty] = None
            self._lists[name] = cells.tolist()
        return self._lists[name]


def node_table(unit_codes: Sequence[str], rolling: Rolling) -> NodeTable:
    """Index and rank of every node from a roll-up with nothing missing (``_plain``'s rule):
    index = score ÷ maximum × 100; ranked among the units the node applies to, on the
    score when their maxima agree (at 6 decimals), else on the index."""
    score, top = rolling.score, rolling.max
    applicable = ~np.isnan(score)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(applicable & (top > 0), score / top * 100, np.nan)
    rank = np.zeros(score.shape, dtype=np.int64)
    for j in range(score.shape[1]):
        rows = np.flatnonzero(applicable[:, j])
        if rows.size:
            rank[rows, j] = competition_rank_array(ranking_keys_array(score[rows, j], top[rows, j]))
    return NodeTable(tuple(unit_codes), rolling.codes, score, top, index, rank)


def ranking_keys_array(score: Floats, top: Floats) -> Floats:
    """``ranking.ranking_keys`` for arrays of (score, applicable maximum)."""
    distinct = np.unique(top)
    if distinct.size > 1 and len({round(float(m), 6) for m in distinct}) > 1:
        return score / top * 100
    return score

