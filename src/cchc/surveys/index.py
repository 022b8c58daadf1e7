"""The satisfaction index: per question, factor and unit, each with a 95 % Wilson interval.

Definitions (docs/surveys.md, Indices; docs/field.md §4 after Decision 1001/QĐ-BNV):
- a factor's (or question's) index = satisfied ÷ valid over all its answers, where
  satisfied = answers at the top two levels (4 or 5) and valid = answers that are not
  "không trả lời";
- a unit's index = mean of its factor indices, unweighted by default. The published
  overall SIPAS figure is not the plain mean of its factors (docs/field.md §4, assumed), so
  weights are a parameter. A factor with no valid answer has no index (None) and is left
  out of the mean; the unit lists it in ``factors_without_data``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cchc.surveys.answers import Answer
from cchc.surveys.interval import Z95, wilson_interval

__all__ = [
    "AnswerCounts",
    "FactorResult",
    "QuestionCount",
    "Share",
    "SurveyResult",
    "UnitResult",
    "compute_index",
    "count_answers",
    "index_from_counts",
]


@dataclass(frozen=True)
class Share:
    """satisfied out of valid, its index and Wilson interval (all None without valid answers)."""

    satisfied: int
    valid: int
    answers: int  # valid + "không trả lời"
    z: float = Z95

    @property
    def index(self) -> float | None:
        return self.satisfied / self.valid if self.valid else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.satisfied, self.valid, self.z)


@dataclass(frozen=True)
class FactorResult:
    key: str
    share: Share
    questions: dict[str, Share]


@dataclass(frozen=True)
class UnitResult:
    """A unit's survey result.

    ``ci_low``/``ci_high`` of the unit are the weighted means of its factors' Wilson bounds:
    an ASSUMED, conservative interval (exact if the factors moved together; the factors are
    answered by the same people, so treating them as independent would understate it).
    """

    unit_code: str
    respondents: int
    factors: dict[str, FactorResult]
    index: float | None
    ci_low: float | None
    ci_high: float | None
    factors_without_data: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class SurveyResult:
    units: list[UnitResult]  # sorted by unit_code
    factor_keys: tuple[str, ...]  # in order of first appearance in the data
    weights: dict[str, float] | None  # None = equal weights
    satisfied_min: int

    def unit(self, unit_code: str) -> UnitResult:
        return next(u for u in self.units if u.unit_code == unit_code)


class _Tally:
    def __init__(self) -> None:
        self.satisfied = 0
        self.valid = 0
        self.answers = 0

    def add(self, value: int | None, satisfied_min: int) -> None:
        self.answers += 1
        if value is not None:
            self.valid += 1
            self.satisfied += value >= satisfied_min

    def share(self, z: float) -> Share:
        return Share(self.satisfied, self.valid, self.answers, z)


def _weighted(
    factors: dict[str, FactorResult], weights: Mapping[str, float] | None
) -> tuple[float | None, float | None, float | None]:
    with_data = [f for f in factors.values() if f.share.valid]
    if not with_data:
        return None, None, None
    w = {f.key: (weights[f.key] if weights is not None else 1.0) for f in with_data}
    total = sum(w.values())
    if total <= 0:
        return None, None, None
    index = sum(w[f.key] * (f.share.index or 0.0) for f in with_data) / total
    bounds = [(w[f.key], f.share.interval or (0.0, 0.0)) for f in with_data]
    low = sum(weight * b[0] for weight, b in bounds) / total
    high = sum(weight * b[1] for weight, b in bounds) / total
    return index, low, high


def compute_index(
    answers: Iterable[Answer],
    *,
    weights: Mapping[str, float] | None = None,
    satisfied_min: int = 4,
    z: float = Z95,
) -> SurveyResult:
    """Compute the index of every question, factor and unit in ``answers``.

    ``weights`` maps every factor key to a non-negative weight (normalised over the factors
    that have data); None means the unweighted mean of the contract.
    """
    counts = count_answers(answers, satisfied_min)
    return index_from_counts(counts, weights=weights, satisfied_min=satisfied_min, z=z)


@dataclass(frozen=True, slots=True)
class QuestionCount:
    """The counts behind one question's share in one unit: all answers, valid, satisfied."""

    answers: int
    valid: int
    satisfied: int


@dataclass(frozen=True)
class AnswerCounts:
    """What the index needs from the answers: counts per unit, factor and question
    (questions in order of first appearance within their unit and factor), respondents per
    unit and the factor keys in order of first appearance in the data."""

    questions: dict[str, dict[str, dict[str, QuestionCount]]]
    respondents: dict[str, int]
    factor_keys: tuple[str, ...]


def count_answers(answers: Iterable[Answer], satisfied_min: int = 4) -> AnswerCounts:
    """Count answers one at a time (``cchc.surveys.counts`` does it column-wise for a file)."""
    factor_order: dict[str, None] = {}
    unit_question: dict[str, dict[str, dict[str, _Tally]]] = {}
    respondents: dict[str, set[str]] = {}
    for answer in answers:
        factor_order.setdefault(answer.factor)
        respondents.setdefault(answer.unit_code, set()).add(answer.respondent_id)
        questions = unit_question.setdefault(answer.unit_code, {}).setdefault(answer.factor, {})
        questions.setdefault(answer.question, _Tally()).add(answer.value, satisfied_min)
    return AnswerCounts(
        questions={
            unit: {
                factor: {q: QuestionCount(t.answers, t.valid, t.satisfied) for q, t in qs.items()}
                for factor, qs in factors.items()
            }
            for unit, factors in unit_question.items()
        },
        respondents={unit: len(people) for unit, people in respondents.items()},
        factor_keys=tuple(factor_order),
    )


def index_from_counts(
    answer_counts: AnswerCounts,
    *,
    weights: Mapping[str, float] | None = None,
    satisfied_min: int = 4,
    z: float = Z95,
) -> SurveyResult:
    """The index from the answers' counts: the one place where shares, intervals and the
    unit mean are built, whether the answers were counted one at a time or column-wise.
    """
    counts, respondents, factor_keys = (
        answer_counts.questions,
        answer_counts.respondents,
        answer_counts.factor_keys,
    )
    if weights is not None:
        missing = [key for key in factor_keys if key not in weights]
        if missing:
            raise ValueError(f"thiếu trọng số cho yếu tố: {', '.join(missing)}")
        negative = [key for key, value in weights.items() if value < 0]
        if negative:
            raise ValueError(f"trọng số không được âm: {', '.join(negative)}")
    position = {key: i for i, key in enumerate(factor_keys)}
    units: list[UnitResult] = []
    for unit_code in sorted(counts):
        factors: dict[str, FactorResult] = {}
        for key in sorted(counts[unit_code], key=position.__getitem__):
            questions = counts[unit_code][key]
            factor = _Tally()
            for count in questions.values():
                factor.answers += count.answers
                factor.valid += count.valid
                factor.satisfied += count.satisfied
            factors[key] = FactorResult(
                key=key,
                share=factor.share(z),
                questions={
                    q: Share(c.satisfied, c.valid, c.answers, z) for q, c in questions.items()
                },
            )
        index, low, high = _weighted(factors, weights)
        units.append(
            UnitResult(
                unit_code=unit_code,
                respondents=respondents[unit_code],
                factors=factors,
                index=index,
                ci_low=low,
                ci_high=high,
                factors_without_data=tuple(k for k, f in factors.items() if not f.share.valid),
            )
        )
    return SurveyResult(
        units=units,
        factor_keys=factor_keys,
        weights=dict(weights) if weights is not None else None,
        satisfied_min=satisfied_min,
    )
