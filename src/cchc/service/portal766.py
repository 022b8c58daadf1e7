"""The Decision 766 service index scored as the national public-service portal scores it.

One scorer for every source of counts: the dossier ledger (``index``), a counts file
(``cchc service score``), the portal's own responses and Excel exports. The rules are data
(``data/portal766.yaml``); this module is the arithmetic, reconstructed from the portal's
published evaluation responses and reproducing every published point:

- rate = numerator ÷ denominator, exact (a ratio of integers); the rate shown is a fraction
  rounded half-up to 4 decimals (the portal shows a percentage with 2 decimals);
- points = max × rate, or max × min(1, rate ÷ full_at) where a threshold applies, rounded
  half-up to 2 decimals **from the exact rate** (never from the shown, rounded rate) —
  except the online-payment group (3.5a, 3.5b, 3.6), whose published totals are reproduced
  only from the shown rate (``rate_places: 4`` in the data; the evidence is there);
- a zero denominator: no rate and 0 points, except where the indicator says ``when_zero:
  full`` (5.2 and 5.3: a unit with no feedback gets the full 6 points);
- a group's points are the sum of its present indicators' rounded points, the total the
  sum of the groups; ranks are competition ranks (1-2-2-4, docs/decisions/0002).

Pure and typed: no I/O besides reading the shipped rules, no web, no engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any, Final

__all__ = [
    "GROUPS",
    "RULES",
    "Count",
    "Group",
    "Indicator",
    "IndicatorScore",
    "UnitScore",
    "UnknownIndicator",
    "competition_ranks",
    "indicator",
    "points",
    "rate",
    "score_units",
]

POINT_PLACES: Final = Decimal("0.01")
RATE_PLACES: Final = Decimal("0.0001")


class UnknownIndicator(KeyError):
    """An indicator id or portal metric code that the 766 table does not have."""

    def __str__(self) -> str:
        return f"không có chỉ số '{self.args[0]}' trong bộ chỉ số 766 (mã chỉ số hoặc mã chỉ tiêu của Cổng DVCQG)"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of the 766 table, as data (``data/portal766.yaml``)."""

    id: str
    code: str | None
    group: int
    name: str
    max: Decimal
    full_at: Decimal | None
    when_zero: str  # "zero" | "full"
    recomputed: bool
    #: None: points from the exact rate; n: from the rate rounded half-up to n decimals first
    rate_places: int | None = None
    #: where this product counts it: ledger | catalogue | feedback | portal
    input: str = "portal"


@dataclass(frozen=True, slots=True)
class Group:
    number: int
    name: str
    max: Decimal


@dataclass(frozen=True, slots=True)
class Count:
    """One line of the counts interchange: a unit's numerator and denominator of one indicator."""

    unit_code: str
    unit_name: str
    indicator: str
    numerator: Decimal | int
    denominator: Decimal | int


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    id: str
    numerator: Decimal | int
    denominator: Decimal | int
    rate: Decimal | None
    points: Decimal
    max: Decimal


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit_code: str
    unit_name: str
    indicators: Mapping[str, IndicatorScore]
    groups: Mapping[int, tuple[Decimal, Decimal]]  # group → (points, max)
    total_points: Decimal
    total_max: Decimal
    rank: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``cchc service score`` (numbers as JSON numbers)."""

        def num(value: Decimal | int | None) -> float | int | None:
            if value is None or isinstance(value, int):
                return value
            return (
                int(value)
                if value == value.to_integral_value() and abs(value) < 2**53
                else float(value)
            )

        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "indicators": {
                key: {
                    "numerator": num(s.numerator),
                    "denominator": num(s.denominator),
                    "rate": None if s.rate is None else float(s.rate),
                    "points": float(s.points),
                    "max": float(s.max),
                }
                for key, s in self.indicators.items()
            },
            "groups": {
                str(g): {"points": float(p), "max": float(m)} for g, (p, m) in self.groups.items()
            },
            "total_points": float(self.total_points),
            "total_max": float(self.total_max),
            "rank": self.rank,
        }


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@cache
def _load() -> tuple[tuple[Indicator, ...], tuple[Group, ...], str]:
    import yaml

    # LibYAML's safe loader when PyYAML has it: the same data, a tenth of the start-up time
    # of every command that scores.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("cchc.service").joinpath("data", "portal766.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=loader)
    rules = tuple(
        Indicator(
            id=str(item["id"]),
            code=item["code"],
            group=int(item["group"]),
            name=item["name"],
            max=Decimal(str(item["max"])),
            full_at=_decimal(item["full_at"]),
            when_zero=item["when_zero"],
            recomputed=bool(item["recomputed"]),
            rate_places=item.get("rate_places"),
            input=item.get("input", "portal"),
        )
        for item in raw["indicators"]
    )
    groups = tuple(
        Group(int(key), g["name"], Decimal(str(g["max"]))) for key, g in raw["groups"].items()
    )
    for ind in rules:
        if ind.when_zero not in ("zero", "full"):
            raise ValueError(f"portal766.yaml: {ind.id}: when_zero must be 'zero' or 'full'")
    for g in groups:
        if sum((i.max for i in rules if i.group == g.number), Decimal(0)) != g.max:
            raise ValueError(
                f"portal766.yaml: indicator maxima of group {g.number} do not add up to {g.max}"
            )
    return rules, groups, str(raw["source"])


RULES: Final[tuple[Indicator, ...]] = _load()[0]
GROUPS: Final[tuple[Group, ...]] = _load()[1]
SOURCE: Final[str] = _load()[2]
_BY_KEY: Final[dict[str, Indicator]] = {
    **{i.id: i for i in RULES},
    **{i.code.upper(): i for i in RULES if i.code},
}
_ORDER: Final = {i.id: n for n, i in enumerate(RULES)}


def indicator(key: str) -> Indicator:
    """The indicator of an id ("2.1", "4.5b") or a portal metric code (case-insensitive)."""
    text = key.strip()
    found = _BY_KEY.get(text) or _BY_KEY.get(text.upper()) or _BY_KEY.get(text.lower())
    if found is None:
        raise UnknownIndicator(key)
    return found


# Exact arithmetic on ratios of integers (numerator, positive denominator): the same
# results as ``fractions.Fraction`` at a tenth of its cost, which matters at 3 321 units.
_Ratio = tuple[int, int]


def _ratio(value: Decimal | int) -> _Ratio:
    return value.as_integer_ratio()


def _half_up(value: _Ratio, places: int) -> Decimal:
    """Round an exact ratio half away from zero to ``places`` decimals."""
    num, den = value
    # floor(|num| × 10^places ÷ den + ½), in integers
    whole = (2 * abs(num) * 10**places + den) // (2 * den)
    result = Decimal(whole).scaleb(-places)
    return -result if num < 0 else result


def _divide(a: _Ratio, b: _Ratio) -> _Ratio:
    num, den = a[0] * b[1], a[1] * b[0]
    return (-num, -den) if den < 0 else (num, den)


def rate(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """The rate as shown: a fraction half-up to 4 decimals (a percentage with 2); None for 0/0."""
    if denominator == 0:
        return None
    return _half_up(_divide(_ratio(numerator), _ratio(denominator)), 4)


def points(ind: Indicator, numerator: Decimal | int, denominator: Decimal | int) -> Decimal:
    """An indicator's points, half-up to 2 decimals from the exact rate.

    Points stay within [0, max]: a negative rate (the ledger's 5.4 when complaints fall on
    overdue dossiers) gives 0 and a rate above 1 the maximum (assumed; the decision gives
    neither negative points nor more than the maximum).
    """
    if denominator == 0:
        return ind.max.quantize(POINT_PLACES) if ind.when_zero == "full" else Decimal("0.00")
    share = _divide(_ratio(numerator), _ratio(denominator))
    if ind.rate_places is not None:
        share = _ratio(_half_up(share, ind.rate_places))
    if ind.full_at is not None:
        share = _divide(share, _ratio(ind.full_at))
    num, den = share
    num = min(den, max(0, num))  # the share within [0, 1]
    top, bottom = _ratio(ind.max)
    return _half_up((top * num, bottom * den), 2)


def score(ind: Indicator, numerator: Decimal | int, denominator: Decimal | int) -> IndicatorScore:
    """Rate, points and maximum of one indicator's counts."""
    return IndicatorScore(
        ind.id,
        numerator,
        denominator,
        rate(numerator, denominator),
        points(ind, numerator, denominator),
        ind.max,
    )


def competition_ranks(values: list[Decimal]) -> list[int]:
    """1-2-2-4 ranking, highest first."""
    ordered = sorted(values, reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [first[v] for v in values]


def _groups(scores: Mapping[str, IndicatorScore]) -> dict[int, tuple[Decimal, Decimal]]:
    out: dict[int, tuple[Decimal, Decimal]] = {}
    by_group: dict[int, list[IndicatorScore]] = {}
    for key, scored in scores.items():
        by_group.setdefault(indicator(key).group, []).append(scored)
    for g in GROUPS:
        present = by_group.get(g.number)
        if present:
            out[g.number] = (
                sum((s.points for s in present), Decimal("0.00")),
                sum((s.max for s in present), Decimal(0)),
            )
    return out


class DuplicateCount(ValueError):
    """The same unit and indicator twice in the counts."""


def score_units(counts: Iterable[Count]) -> list[UnitScore]:
    """Score every unit of ``counts``, in rank order (ties by unit code).

    Indicators absent from the counts are absent from the result (not zero); a group is
    present when one of its indicators is, with the sum of the present indicators' points
    and maxima. Ranks compare total points when every unit has the same maximum, otherwise
    points ÷ maximum (docs/decisions/0002: a unit is not penalised for what does not apply).
    """
    names: dict[str, str] = {}
    per_unit: dict[str, dict[str, IndicatorScore]] = {}
    for c in counts:
        ind = indicator(c.indicator)
        unit = per_unit.setdefault(c.unit_code, {})
        if not names.get(c.unit_code):
            names[c.unit_code] = c.unit_name
        if ind.id in unit:
            raise DuplicateCount(f"đơn vị {c.unit_code}: chỉ số {ind.id} xuất hiện hai lần")
        unit[ind.id] = score(ind, c.numerator, c.denominator)
    partial = []
    for code, scores in per_unit.items():
        ordered = dict(sorted(scores.items(), key=lambda kv: _ORDER[kv[0]]))
        groups = _groups(ordered)
        total = sum((p for p, _ in groups.values()), Decimal("0.00"))
        total_max = sum((m for _, m in groups.values()), Decimal(0))
        partial.append((code, ordered, groups, total, total_max))
    same_max = len({p[4] for p in partial}) <= 1
    keys = [
        p[3]
        if same_max
        else (p[3] / p[4] * 100 if p[4] else Decimal(0)).quantize(POINT_PLACES, ROUND_HALF_UP)
        for p in partial
    ]
    ranks = competition_ranks(keys)
    units = [
        UnitScore(code, names.get(code, ""), ordered, groups, total, total_max, rank)
        for (code, ordered, groups, total, total_max), rank in zip(partial, ranks, strict=True)
    ]
    units.sort(key=lambda u: (u.rank, u.unit_code))
    return units
