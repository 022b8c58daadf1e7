"""How sure a rank is: the distribution of each unit's total, rank and band when the survey
components carry sampling error (docs/par.md, "Robustness").

Model (each choice is stated in docs/par.md):

- A component given as counts (respondents and satisfied per survey factor) scores
  ``max × mean of the factors' shares``, as ``cchc survey points`` computes it. Each share is
  drawn from its Jeffreys posterior Beta(s + ½, n − s + ½) and the component moves by
  ``max × (mean of drawn shares − mean of the posterior means)``: the draws are centred on
  the published score, whatever rounding produced it, and 100 % satisfied still carries
  some doubt (the textbook binomial would give none).
- A component given as a standard error moves by a normal draw N(0, se²) (assumed normal).
- A drawn component stays within 0..its applicable maximum (clipped).
- Units are independent (different respondents).
- In every draw, units are ranked as published: competition ranking of the values at 2
  decimals half-up, on the score when every unit has the same applicable maximum, on the
  index otherwise; the band is read from the index as shown (2 decimals).

Exact where it can be: when every varying component is a normal standard error far from its
bounds (6 σ), a unit's total is normal and its interval and band probabilities are
computed from the normal distribution, not from the draws. Ranks, first place and pairs
always come from the draws (vectorised with numpy over draws; the loops run over units and
components only). Without any uncertainty every draw is the published result, so every
interval collapses to the published figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt

from cchc.par.framework import Framework
from cchc.par.results import Results
from cchc.par.rounding import round2
from cchc.par.scores import ScoreSheet
from cchc.par.uncertainty import ComponentUncertainty
from cchc.par.whatif import simulate

__all__ = [
    "PairOrder",
    "RankShift",
    "Robustness",
    "UnitRobustness",
    "WeightShift",
    "competition_ranks",
    "robustness",
    "robustness_paragraph",
    "round2_array",
]

#: A pair's order is settled when one outcome (above, below, tied) has at least this chance.
SETTLED = 0.95
_BOUND_SIGMAS = 6.0

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class UnitRobustness:
    """One unit: the published figures and their distribution under sampling error."""

    unit_code: str
    unit_name: str
    score: float
    rank: int
    band: str | None
    score_low: float
    score_high: float
    rank_low: int  # the best rank of the interval (smallest number)
    rank_high: int
    band_probabilities: dict[str, float]
    p_first: float
    exact: bool  # total interval and band probabilities from the normal distribution


@dataclass(frozen=True)
class PairOrder:
    """Two units whose order is not settled; ``higher`` is the one published higher."""

    higher: str
    lower: str
    p_above: float  # P(higher strictly above lower)
    p_below: float
    p_tie: float


@dataclass(frozen=True)
class RankShift:
    unit_code: str
    rank_before: int
    rank_after: int
    band_before: str | None
    band_after: str | None


@dataclass(frozen=True)
class WeightShift:
    """A top-level component's maximum moved by ``step`` (e.g. +0,1 = +10 %)."""

    component: str
    step: float
    max_before: float
    max_after: float
    changes: list[RankShift]


@dataclass(frozen=True)
class Robustness:
    framework: Framework
    draws: int
    seed: int
    level: float
    units: list[UnitRobustness]
    unsettled: list[PairOrder]
    weights: list[WeightShift]
    weight_step: float
    uncertain_units: int
    illustrative: bool = False

    def unit(self, code: str) -> UnitRobustness:
        for u in self.units:
            if u.unit_code == code:
                return u
        raise KeyError(code)

    def pairs_of(self, code: str) -> list[PairOrder]:
        return [p for p in self.unsettled if code in (p.higher, p.lower)]


def round2_array(values: FloatArray) -> FloatArray:
    """``round2`` on every element: numpy's rounding, with the near-ties taken one by one
    through ``round2`` (Decimal) so the result is identical to the published rounding."""
    scaled = values * 100.0
    near = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6
    out: FloatArray = np.rint(scaled) / 100.0
    if near.any():
        out[near] = [round2(float(v)) for v in values[near]]
    return out


def competition_ranks(keys: FloatArray) -> IntArray:
    """Competition ranks (1-2-2-4, higher first) of every row of ``keys`` (draws × units),
    compared at 2 decimals half-up — ``ranking.competition_rank`` on each row, vectorised."""
    draws, n = keys.shape
    cents = np.rint(round2_array(keys) * 100.0).astype(np.int64)
    low = int(cents.min()) if cents.size else 0
    span = (int(cents.max()) - low + 1) if cents.size else 1
    offsets = (np.arange(draws, dtype=np.int64) * span)[:, None]
    shifted = cents - low + offsets
    flat_sorted = np.sort(shifted, axis=1).ravel()
    # values ≤ v in the same row = position after v in the row-blocked sorted array
    not_greater = np.searchsorted(flat_sorted, shifted.ravel(), side="right").reshape(draws, n)
    not_greater -= (np.arange(draws, dtype=np.int64) * n)[:, None]
    ranks: IntArray = (n - not_greater + 1).astype(np.int64)
    return ranks


def robustness(
    results: Results,
    uncertainty: Sequence[ComponentUncertainty],
    *,
    sheet: ScoreSheet | None = None,
    draws: int = 10_000,
    seed: int = 0,
    level: float = 0.90,
    weight_step: float = 0.10,
) -> Robustness:
    """The distribution of every unit's total, rank and band; ``sheet`` (the scores the
    results were computed from) adds the sensitivity to each component's weight."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    units = results.units
    position = {u.unit_code: i for i, u in enumerate(units)}
    rng = np.random.default_rng(seed)
    deltas, variance, exact, varying = _draw_deltas(units, position, uncertainty, rng, draws)
    exact &= varying  # a unit that does not vary is exact trivially; say so only when it varies
    scores = np.array([u.score for u in units])
    maxima = np.array([u.max for u in units])
    totals = np.ascontiguousarray((scores[:, None] + deltas).T)
    indices = totals / maxima[None, :] * 100.0
    same_max = len({round(m, 6) for m in maxima}) <= 1
    ranks = competition_ranks(totals if same_max else indices)
    shown = round2_array(indices)
    tail = (1 - level) / 2
    rank_q = np.quantile(ranks, [tail, 1 - tail], axis=0, method="inverted_cdf")
    score_q = np.quantile(totals, [tail, 1 - tail], axis=0)
    z = NormalDist().inv_cdf(1 - tail)
    bands = results.framework.bands
    drawn_bands = _drawn_band_probabilities(results.framework, shown)
    first = (ranks == 1).mean(axis=0)
    out: list[UnitRobustness] = []
    for i, u in enumerate(units):
        if not varying[i]:
            low = high = u.score
            probs = {b.label: float(b.label == u.band) for b in bands}
        elif exact[i]:
            sigma = math.sqrt(variance[i])
            low, high = u.score - z * sigma, u.score + z * sigma
            probs = _normal_band_probabilities(results.framework, u.score, sigma, u.max)
        else:
            low, high = float(score_q[0, i]), float(score_q[1, i])
            probs = {label: float(p[i]) for label, p in drawn_bands.items()}
        out.append(
            UnitRobustness(
                unit_code=u.unit_code,
                unit_name=u.unit_name,
                score=u.score,
                rank=u.rank,
                band=u.band,
                score_low=low,
                score_high=high,
                rank_low=int(rank_q[0, i]),
                rank_high=int(rank_q[1, i]),
                band_probabilities=probs,
                p_first=float(first[i]),
                exact=bool(exact[i]),
            )
        )
    return Robustness(
        framework=results.framework,
        draws=draws,
        seed=seed,
        level=level,
        units=out,
        unsettled=_unsettled(units, ranks),
        weights=_weight_shifts(results, sheet, weight_step) if sheet is not None else [],
        weight_step=weight_step,
        uncertain_units=int(varying.sum()),
        illustrative=results.illustrative,
    )


def _draw_deltas(
    units: Sequence[Any],
    position: dict[str, int],
    uncertainty: Sequence[ComponentUncertainty],
    rng: np.random.Generator,
    draws: int,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """How much each unit's total moves in each draw (units × draws), with one random call
    for every survey factor and one for every standard error (no loop over draws)."""
    n = len(units)
    deltas = np.zeros((n, draws))
    variance = np.zeros(n)
    exact = np.ones(n, dtype=bool)
    varying = np.zeros(n, dtype=bool)
    # Components in (unit, component) order — the reader sorts them — so a seed means one draw.
    counted = [c for c in uncertainty if c.se is None and c.counts]
    normal = [c for c in uncertainty if c.se is not None and c.se > 0]
    moves: list[tuple[ComponentUncertainty, FloatArray]] = []
    if counted:
        a = np.array([f.satisfied + 0.5 for c in counted for f in c.counts])
        b = np.array([f.respondents - f.satisfied + 0.5 for c in counted for f in c.counts])
        shares = rng.beta(a[:, None], b[:, None], size=(len(a), draws)) - (a / (a + b))[:, None]
        starts = np.cumsum([0] + [len(c.counts) for c in counted[:-1]])
        sizes = np.array([len(c.counts) for c in counted], dtype=float)
        spread = np.add.reduceat(shares, starts, axis=0) / sizes[:, None]
        for c, row in zip(counted, spread, strict=True):
            node = units[position[c.unit_code]].components[c.component]
            moves.append((c, node.max * row))
    if normal:
        se = np.array([c.se for c in normal], dtype=float)
        noise = rng.normal(0.0, 1.0, size=(len(normal), draws)) * se[:, None]
        moves += list(zip(normal, noise, strict=True))
    for c, moved in moves:  # one row per unit and component, not per draw
        i = position[c.unit_code]
        node = units[i].components[c.component]
        score = node.score or 0.0
        if c.se is not None:
            variance[i] += c.se**2
            if score - _BOUND_SIGMAS * c.se < 0 or score + _BOUND_SIGMAS * c.se > node.max:
                exact[i] = False
        else:
            exact[i] = False
        varying[i] = True
        deltas[i] += np.clip(score + moved, 0.0, node.max) - score
    return deltas, variance, exact, varying


def _normal_band_probabilities(
    framework: Framework, score: float, sigma: float, amax: float
) -> dict[str, float]:
    """P(band) for a normal total: the index as shown (half-up) reaches ``min`` exactly when
    the index reaches ``min − 0,005``."""
    dist = NormalDist(score, sigma)
    probs: dict[str, float] = {}
    above = 0.0  # P(reaching a higher band)
    for band in framework.bands:
        reach = 1.0 - dist.cdf((band.min - 0.005) * amax / 100.0)
        probs[band.label] = max(0.0, reach - above)
        above = max(above, reach)
    return probs


def _drawn_band_probabilities(framework: Framework, shown: FloatArray) -> dict[str, FloatArray]:
    """P(band) of every unit (columns of ``shown``, the drawn indices as shown)."""
    probs: dict[str, FloatArray] = {}
    taken = np.zeros(shown.shape, dtype=bool)
    for band in framework.bands:
        reach = (shown >= band.min) & ~taken
        probs[band.label] = reach.mean(axis=0)
        taken |= reach
    return probs


def _unsettled(units: Sequence[object], ranks: IntArray) -> list[PairOrder]:
    """Pairs whose order no outcome (above, below, tied) reaches ``SETTLED``.

    Only pairs whose central ``SETTLED`` rank intervals overlap are counted: when A's upper
    quantile (1 − s)/2 is better than B's lower one, A is above B in more than ``SETTLED``
    of the draws (each tail holds at most (1 − s)/2), so the pair is settled without
    counting — an exact shortcut, not an approximation.
    """
    codes = [u.unit_code for u in units]  # type: ignore[attr-defined]
    tail = (1 - SETTLED) / 2
    best, worst = np.quantile(ranks, [tail, 1 - tail], axis=0, method="inverted_cdf")
    # Narrow integers: comparing draws × units is memory-bound.
    small = ranks.astype(np.int16 if ranks.shape[1] < 32_000 else np.int32)
    pairs: list[PairOrder] = []
    n = len(codes)
    for i in range(n):
        others = [j for j in range(i + 1, n) if best[j] <= worst[i] and best[i] <= worst[j]]
        if not others:
            continue
        mine = small[:, i : i + 1]
        theirs = small[:, others]
        above = np.less(mine, theirs).mean(axis=0)
        tied = np.equal(mine, theirs).mean(axis=0)
        for k, j in enumerate(others):
            below = max(0.0, 1.0 - float(above[k]) - float(tied[k]))
            if max(above[k], below, tied[k]) < SETTLED:
                pairs.append(PairOrder(codes[i], codes[j], float(above[k]), below, float(tied[k])))
    return pairs


def _weight_shifts(results: Results, sheet: ScoreSheet, step: float) -> list[WeightShift]:
    """Each top-level component's maximum moved by −step and +step (the others kept):
    which units change rank or band (``whatif.simulate``)."""
    shifts: list[WeightShift] = []
    for component in results.framework.components:
        for signed in (-step, step):
            new_max = component.max * (1 + signed)
            if new_max <= 0:
                continue
            sim = simulate(results.framework, sheet, weights={component.code: new_max}, published=results)
            changes = [
                RankShift(u.unit_code, u.rank_before, u.rank_after, u.band_before, u.band_after)
                for u in sim.units
                if u.rank_before != u.rank_after or u.band_before != u.band_after
            ]
            shifts.append(WeightShift(component.code, signed, component.max, new_max, changes))
    return shifts


def _pct(p: float) -> str:
    from cchc.fmt import format_percent

    return format_percent(p, 0 if p in (0.0, 1.0) else 1, trim=True)


def _rank_span(u: UnitRobustness) -> str:
    return f"thứ {u.rank_low}" if u.rank_low == u.rank_high else f"từ {u.rank_low} đến {u.rank_high}"


def robustness_paragraph(report: Robustness, code: str) -> str:
    """What the sampling error means for one unit, in Vietnamese (the narrative's paragraph)."""
    from cchc.fmt import format_number

    u = report.unit(code)
    level = report.framework.level_label
    share = format_number(report.level * 100, 0, trim=True)
    if u.score_low == u.score_high and u.rank_low == u.rank_high:
        return (
            f"Không có số liệu sai số khảo sát làm thay đổi kết quả của {u.unit_name}: "
            f"thứ hạng công bố ({u.rank}) là chắc chắn."
        )
    text = (
        f"Tính đến sai số chọn mẫu của khảo sát, tổng điểm của {u.unit_name} nằm trong khoảng "
        f"{format_number(u.score_low)}–{format_number(u.score_high)} điểm và thứ hạng "
        f"{_rank_span(u)} {level} (độ tin cậy {share}%); xác suất xếp thứ nhất "
        f"{_pct(u.p_first)}."
    )
    if u.band is not None and u.band_probabilities.get(u.band, 1.0) < SETTLED:
        text += (
            f" Xác suất giữ mức xếp loại {u.band.lower()} là "
            f"{_pct(u.band_probabilities[u.band])}."
        )
    names = {x.unit_code: x.unit_name for x in report.units}
    others = [p.lower if p.higher == code else p.higher for p in report.pairs_of(code)]
    if others:
        text += (
            " Thứ hạng so với " + ", ".join(names[o] for o in others)
            + " không khác biệt có ý nghĩa thống kê."
        )
    return text
