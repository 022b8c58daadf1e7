"""What-if over the 766 scorer: the points a change brings, and the cheapest way to N points.

A "dossier of a kind" is one more of the unit's existing dossiers (or procedures, or
petitions) counted in an indicator's numerator: handled on time, paid online, digitised,
given an electronic result, and so on. The denominator stays: the work is making what is
already counted better, not receiving more. How many are needed is found with the scorer's
own ``points`` (exact rate, half-up to 2 decimals), so the answer is what the portal would
publish, not an estimate.

Pure: counts in, numbers out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from cchc.service.portal766 import Count, Indicator, UnitScore, indicator, points, score_units

#: What one more in each indicator's numerator is, for a reader (Vietnamese).
KINDS: Final[dict[str, str]] = {
    "1.1": "TTHC công bố đúng hạn",
    "1.2": "TTHC cập nhật, công khai đúng hạn",
    "1.3": "TTHC công khai đầy đủ nội dung",
    "1.4": "hồ sơ đồng bộ lên Cổng DVCQG",
    "2.1": "hồ sơ giải quyết đúng hạn",
    "3.5a": "TTHC có phí được cung cấp trên Cổng DVCQG",
    "3.5b": "TTHC có giao dịch thanh toán trực tuyến",
    "3.6": "hồ sơ thanh toán trực tuyến",
    "4.1": "hồ sơ có kết quả điện tử",
    "4.2": "hồ sơ số hóa",
    "4.3": "hồ sơ tái sử dụng dữ liệu số hóa",
    "4.4": "hồ sơ đồng bộ vào kho dữ liệu cá nhân, tổ chức",
    "4.5a": "TTHC kết nối dữ liệu dân cư",
    "4.5b": "hồ sơ dùng dữ liệu dân cư",
    "5.2": "PAKN xử lý đúng hạn",
    "5.3": "PAKN được hài lòng",
    "5.4": "hồ sơ được hài lòng (đúng hạn, không phản ánh)",
}

#: Not levers: 4.6 is published as provided or not (a rate, no dossiers); group 3's formula
#: is not publicly determined.
NOT_LEVERS: Final = frozenset({"4.6"})


class WhatIfError(ValueError):
    """A what-if that cannot be answered (unknown unit, indicator, or impossible change)."""


@dataclass(frozen=True)
class Option:
    """One way to gain points: ``dossiers`` more of a kind, and what they bring."""

    indicator: str
    kind: str
    dossiers: int
    gain: Decimal
    max_gain: Decimal  # the most this indicator can still give
    room: int  # how many more the denominator allows

    @property
    def points_per_dossier(self) -> Decimal:
        return (self.gain / self.dossiers).quantize(Decimal("0.0001"), ROUND_HALF_UP) if self.dossiers else Decimal(0)


@dataclass(frozen=True)
class Change:
    """The points a given change brings: before, after, and per indicator."""

    before: UnitScore
    after: UnitScore
    gains: dict[str, Decimal]

    @property
    def gain(self) -> Decimal:
        return self.after.total_points - self.before.total_points


def _unit_counts(counts: Iterable[Count], unit: str) -> dict[str, Count]:
    mine = {indicator(c.indicator).id: c for c in counts if c.unit_code == unit}
    if not mine:
        raise WhatIfError(f"không có số liệu của đơn vị {unit}")
    return mine


def _lever(ind: Indicator, count: Count) -> int | None:
    """How many more the numerator can take, or None when the indicator is not a lever."""
    if ind.id in NOT_LEVERS or not ind.recomputed or ind.max == 0 or count.denominator == 0:
        return None
    room = Decimal(count.denominator) - Decimal(count.numerator)
    return max(0, int(room))


def _gain(ind: Indicator, count: Count, extra: int) -> Decimal:
    return points(ind, Decimal(count.numerator) + extra, count.denominator) - points(
        ind, count.numerator, count.denominator
    )


def _smallest(ind: Indicator, count: Count, room: int, target: Decimal) -> int | None:
    """The fewest more in the numerator that gain ``target`` points (points only grow)."""
    if room == 0 or _gain(ind, count, room) < target:
        return None
    low, high = 1, room
    while low < high:
        middle = (low + high) // 2
        if _gain(ind, count, middle) >= target:
            high = middle
        else:
            low = middle + 1
    return low


def options(counts: Iterable[Count], unit: str, target: Decimal) -> list[Option]:
    """For each indicator that can give ``target`` points on its own: how many more dossiers
    of its kind, best points per dossier first (then fewest dossiers)."""
    if target <= 0:
        raise WhatIfError("số điểm muốn tăng phải lớn hơn 0")
    out: list[Option] = []
    for key, count in _unit_counts(counts, unit).items():
        ind = indicator(key)
        room = _lever(ind, count)
        if room is None:
            continue
        needed = _smallest(ind, count, room, target)
        if needed is None:
            continue
        out.append(Option(ind.id, KINDS.get(ind.id, ind.name), needed, _gain(ind, count, needed),
                          _gain(ind, count, room), room))
    out.sort(key=lambda o: (-o.points_per_dossier, o.dossiers, o.indicator))
    return out


def cheapest(counts: Iterable[Count], unit: str, target: Decimal) -> list[Option]:
    """The fewest dossiers in all to gain ``target`` points, mixing kinds: take the kinds
    with the most points per dossier first, each up to its full points, then the least of
    the next that reaches the target. Empty when even every lever at its full points falls
    short."""
    if target <= 0:
        raise WhatIfError("số điểm muốn tăng phải lớn hơn 0")
    mine = _unit_counts(counts, unit)
    levers: list[tuple[Decimal, Indicator, Count, int]] = []
    for key, count in mine.items():
        ind = indicator(key)
        room = _lever(ind, count)
        if room:
            full_gain = _gain(ind, count, room)
            if full_gain > 0:
                # Points per dossier while below the threshold: max ÷ (denominator × full_at).
                share = Decimal(count.denominator) * (ind.full_at or Decimal(1))
                levers.append((ind.max / share, ind, count, room))
    levers.sort(key=lambda lever: (-lever[0], lever[1].id))
    plan: list[Option] = []
    remaining = target
    for _, ind, count, room in levers:
        if remaining <= 0:
            break
        needed = _smallest(ind, count, room, remaining)
        if needed is not None:
            plan.append(Option(ind.id, KINDS.get(ind.id, ind.name), needed, _gain(ind, count, needed),
                               _gain(ind, count, room), room))
            remaining = Decimal(0)
            break
        # Not enough alone: take what gives this kind's full points (the fewest that do).
        full = _gain(ind, count, room)
        fewest = _smallest(ind, count, room, full) or room
        plan.append(Option(ind.id, KINDS.get(ind.id, ind.name), fewest, full, full, room))
        remaining -= full
    return plan if remaining <= 0 else []


def apply(counts: Iterable[Count], unit: str, added: Mapping[str, int]) -> Change:
    """The unit's score before and after ``added`` more in the numerators of some indicators."""
    everything = list(counts)
    mine = _unit_counts(everything, unit)
    changed: dict[str, Count] = {}
    for key, extra in added.items():
        try:
            ind = indicator(key)
        except KeyError as exc:
            raise WhatIfError(str(exc)) from None
        count = mine.get(ind.id)
        if count is None:
            raise WhatIfError(f"đơn vị {unit} không có số liệu chỉ số {ind.id}")
        if extra < 0:
            raise WhatIfError(f"chỉ số {ind.id}: số hồ sơ thêm phải từ 0 trở lên")
        numerator = Decimal(count.numerator) + extra
        if numerator > Decimal(count.denominator) and count.denominator:
            raise WhatIfError(
                f"chỉ số {ind.id}: tử số {numerator} sẽ vượt mẫu số {count.denominator}"
            )
        whole = int(numerator) if numerator == numerator.to_integral_value() else numerator
        changed[ind.id] = Count(count.unit_code, count.unit_name, ind.id, whole, count.denominator)
    before = _one(mine.values(), unit)
    after = _one([changed.get(k, c) for k, c in mine.items()], unit)
    gains = {
        key: after.indicators[key].points - before.indicators[key].points for key in changed
    }
    return Change(before, after, gains)


def _one(counts: Iterable[Count], unit: str) -> UnitScore:
    [score] = [s for s in score_units(counts) if s.unit_code == unit]
    return score
