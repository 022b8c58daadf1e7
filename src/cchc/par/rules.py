"""Scoring rules that are formulas: a criterion's points computed from the unit's raw input.

Published index frameworks write many sub-criteria as a formula of a count or a rate, not
as a judgement. The framework file carries the formula (``rule:`` on a criterion) and the
core computes the points from the unit's raw figure, so nobody does the arithmetic by hand
and an appraiser who corrects a figure sees the points follow:

- ``per_item``: "0,5 điểm cho mỗi …, tối đa 2 điểm": points × count, capped at the
  criterion's maximum;
- ``deduct_per_item``: "trừ 0,25 điểm cho mỗi …": the maximum less points × count, never
  below 0;
- ``bands``: "đạt 100%: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm": the
  points of the band the figure falls in; bands are ``[from, to)`` and must cover the whole
  range of the figure (0..100 for a rate, 0 and up for a count) without overlapping;
- ``proportional``: "số điểm = tỷ lệ × điểm tối đa": rate ÷ 100 × the maximum.

Points are rounded half-up to 2 decimals, as every score (decision 0002). Validation
reports every problem with its key path (``components[0].children[1].rule.bands[2].to``),
like the rest of the framework file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from cchc.fmt import ParseNumberError, format_number, parse_number
from cchc.par.rounding import round2

__all__ = [
    "KINDS",
    "FigureError",
    "FigureField",
    "Figures",
    "InputError",
    "Rule",
    "RuleBand",
    "describe_rule",
    "figure_fields",
    "parse_figures",
    "parse_input",
    "parse_rule",
    "read_figures",
    "rule_points",
]

Kind: TypeAlias = Literal["per_item", "deduct_per_item", "bands", "proportional"]
InputKind: TypeAlias = Literal["count", "rate"]

KINDS: Final[tuple[Kind, ...]] = ("per_item", "deduct_per_item", "bands", "proportional")
_INPUTS: Final[tuple[InputKind, ...]] = ("count", "rate")
# The input each kind reads when the file does not say: a count for "per …", a rate else.
_DEFAULT_INPUT: Final[dict[Kind, InputKind]] = {
    "per_item": "count",
    "deduct_per_item": "count",
    "bands": "rate",
    "proportional": "rate",
}
_KEYS: Final[dict[Kind, set[str]]] = {
    "per_item": {"kind", "input", "points", "item"},
    "deduct_per_item": {"kind", "input", "points", "item"},
    "bands": {"kind", "input", "bands", "item", "total"},
    "proportional": {"kind", "input", "item", "total"},
}
_BAND_KEYS: Final = {"from", "to", "points"}
_RATE_TOP: Final = 100.0
# Maxima typed as decimals (0,33 × 3) are compared at a precision no framework uses.
_TOLERANCE: Final = 1e-6

_Bad = Callable[[str, str], None]


class InputError(ValueError):
    """A raw figure a person wrote cannot be used; the message is Vietnamese, without place."""


@dataclass(frozen=True)
class RuleBand:
    """Figures in ``[low, high)`` score ``points``; ``high`` None: up to the end of the range
    (for a rate, 100 included)."""

    low: float
    high: float | None
    points: float


@dataclass(frozen=True)
class Rule:
    """How a criterion's points follow from one raw figure of the unit."""

    kind: Kind
    input: InputKind
    points: float = 0.0
    """Per item, for ``per_item`` and ``deduct_per_item``."""
    bands: tuple[RuleBand, ...] = ()
    """Sorted by ``low``, for ``bands``."""
    item: str = ""
    """What is counted or measured, as the framework says it ("văn bản", "hồ sơ đúng hạn")."""
    total: str = ""
    """What a rate is taken over, its denominator ("hồ sơ tiếp nhận"); rates only."""


def parse_rule(raw: object, node_max: float | None, key: str, bad: _Bad) -> Rule | None:
    """Validate a ``rule:`` mapping of a criterion whose maximum is ``node_max``.

    Reports every problem through ``bad(key path, message)``; None when the rule is unusable.
    """
    if not isinstance(raw, Mapping):
        bad(key, "phải có dạng {kind, …}: per_item, deduct_per_item, bands hoặc proportional")
        return None
    kind = raw.get("kind")
    if kind not in KINDS:
        bad(f"{key}.kind", f"phải là một trong {', '.join(KINDS)}, không phải {kind!r}")
        return None
    ok = True
    for extra in sorted(set(raw) - _KEYS[kind], key=str):
        bad(f"{key}.{extra}", f"khóa không được hỗ trợ trong công thức {kind}")
        ok = False
    input_kind = raw.get("input", _DEFAULT_INPUT[kind])
    if input_kind not in _INPUTS:
        bad(
            f"{key}.input",
            f"phải là count (số lượng) hoặc rate (tỷ lệ %), không phải {input_kind!r}",
        )
        return None
    if kind == "proportional" and input_kind != "rate":
        bad(f"{key}.input", "công thức proportional tính theo tỷ lệ (rate)")
        ok = False
    if kind in ("per_item", "deduct_per_item") and input_kind != "count":
        bad(f"{key}.input", f"công thức {kind} tính theo số lượng (count)")
        ok = False
    item = raw.get("item", "")
    if not isinstance(item, str):
        bad(f"{key}.item", f"phải là chuỗi, không phải {item!r}")
        ok = False
        item = ""
    total = raw.get("total", "")
    if not isinstance(total, str):
        bad(f"{key}.total", f"phải là chuỗi, không phải {total!r}")
        ok = False
        total = ""
    elif total and input_kind != "rate" and "total" in _KEYS[kind]:
        bad(f"{key}.total", "mẫu số (total) chỉ dùng cho công thức tính theo tỷ lệ (rate)")
        ok = False
    points = 0.0
    bands: tuple[RuleBand, ...] = ()
    if kind in ("per_item", "deduct_per_item"):
        if "points" not in raw:
            bad(f"{key}.points", "thiếu khóa bắt buộc (số điểm cho mỗi đơn vị)")
            ok = False
        else:
            value = _number(raw["points"], f"{key}.points", bad, positive=True)
            if value is None:
                ok = False
            else:
                points = value
                if node_max is not None and value > node_max + _TOLERANCE:
                    bad(
                        f"{key}.points",
                        f"{_n(value)} điểm cho mỗi đơn vị lớn hơn điểm tối đa của tiêu chí "
                        f"({_n(node_max)})",
                    )
                    ok = False
    elif kind == "bands":
        if "bands" not in raw:
            bad(f"{key}.bands", "thiếu khóa bắt buộc (danh sách {from, to, points})")
            ok = False
        else:
            parsed = _bands(raw["bands"], input_kind, node_max, f"{key}.bands", bad)
            if parsed is None:
                ok = False
            else:
                bands = parsed
    if not ok:
        return None
    return Rule(
        kind=kind,
        input=input_kind,
        points=points,
        bands=bands,
        item=item.strip(),
        total=total.strip(),
    )


def _bands(
    raw: object, input_kind: InputKind, node_max: float | None, key: str, bad: _Bad
) -> tuple[RuleBand, ...] | None:
    if not isinstance(raw, list) or not raw:
        bad(key, "phải là một danh sách khác rỗng các mức {from, to, points}")
        return None
    top = _RATE_TOP if input_kind == "rate" else math.inf
    ok = True
    found: list[tuple[int, RuleBand]] = []
    for i, item in enumerate(raw):
        at = f"{key}[{i}]"
        if not isinstance(item, Mapping):
            bad(at, "phải có dạng {from, to, points}")
            ok = False
            continue
        for extra in sorted(set(item) - _BAND_KEYS, key=str):
            bad(f"{at}.{extra}", "khóa không được hỗ trợ")
            ok = False
        for required in ("from", "points"):
            if required not in item:
                bad(f"{at}.{required}", "thiếu khóa bắt buộc")
                ok = False
        low = (
            _bound(item.get("from"), input_kind, top, f"{at}.from", bad) if "from" in item else None
        )
        high = _bound(item.get("to"), input_kind, top, f"{at}.to", bad) if "to" in item else None
        points = _number(item["points"], f"{at}.points", bad) if "points" in item else None
        if points is not None and node_max is not None and points > node_max + _TOLERANCE:
            bad(f"{at}.points", f"{_n(points)} lớn hơn điểm tối đa của tiêu chí ({_n(node_max)})")
            ok = False
        if low is not None and high is not None and high <= low:
            bad(f"{at}.to", f"phải lớn hơn from ({_n(low)}), không phải {_n(high)}")
            ok = False
        if low is None or points is None or ("to" in item and high is None):
            ok = False
            continue
        found.append((i, RuleBand(low=low, high=high, points=points)))
    if not ok:
        return None
    found.sort(key=lambda pair: pair[1].low)
    covered = 0.0
    previous: tuple[int, RuleBand] | None = None
    for i, band in found:
        at = f"{key}[{i}]"
        if previous is not None and previous[1].high is None:
            bad(
                at,
                f"chồng lấn với {key}[{previous[0]}] (mức từ {_n(previous[1].low)} "
                "không có 'to' đã phủ đến hết)",
            )
            ok = False
        elif band.low < covered - _TOLERANCE:
            assert previous is not None
            bad(
                f"{at}.from",
                f"{_n(band.low)} chồng lấn với {key}[{previous[0]}] "
                f"(từ {_n(previous[1].low)} đến dưới {_n(covered)})",
            )
            ok = False
        elif band.low > covered + _TOLERANCE:
            bad(
                f"{at}.from",
                f"bỏ trống khoảng từ {_n(covered)} đến dưới {_n(band.low)}: "
                "mọi số liệu phải thuộc đúng một mức",
            )
            ok = False
        covered = band.high if band.high is not None else top
        previous = (i, band)
    if ok and previous is not None and previous[1].high is not None:
        end = "100" if input_kind == "rate" else "vô cùng"
        bad(
            f"{key}[{previous[0]}].to",
            f"các mức phải phủ đến {end}: bỏ mục 'to' của mức cao nhất "
            f"(hiện dừng trước {_n(previous[1].high)})",
        )
        ok = False
    if ok and node_max is not None:
        best = max(band.points for _, band in found)
        if abs(best - node_max) > _TOLERANCE:
            bad(
                key,
                f"điểm cao nhất của các mức ({_n(best)}) khác điểm tối đa của tiêu chí "
                f"({_n(node_max)})",
            )
            ok = False
    return tuple(band for _, band in found) if ok else None


def _bound(value: object, input_kind: InputKind, top: float, key: str, bad: _Bad) -> float | None:
    number = _number(value, key, bad)
    if number is None:
        return None
    if input_kind == "count" and not number.is_integer():
        bad(key, f"số lượng phải là số nguyên, không phải {_n(number)}")
        return None
    if number > top:
        bad(key, f"tỷ lệ phải trong 0..100, không phải {_n(number)}")
        return None
    return number


def _number(value: object, key: str, bad: _Bad, *, positive: bool = False) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        bad(key, f"phải là số, không phải {value!r}")
        return None
    if value < 0 or (positive and value == 0):
        bad(key, f"phải là số {'dương' if positive else 'không âm'}, không phải {value!r}")
        return None
    return float(value)


def _n(value: float) -> str:
    return format_number(value, 6, trim=True)


_FRACTION = re.compile(r"^\s*([^/]+)/([^/]+)\s*$")
# A count written with thousands grouping, "1.234" or "1,234" (a count is whole, so a
# separator followed by exactly three digits groups thousands; it is no decimal mark).
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")


class FigureError(InputError):
    """A figure refused, with the name of the field it was typed in (``FigureField.name``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FigureField:
    """One raw figure a form asks for: its name and its label in the framework's words."""

    name: Literal["count", "numerator", "denominator", "rate"]
    label: str


def figure_fields(rule: Rule) -> tuple[FigureField, ...]:
    """What to ask a unit for under ``rule``: a count ("Số sáng kiến"), or for a rate the
    two counts it comes from (numerator, denominator) or, when only the rate is known, the
    rate itself in %."""
    if rule.input == "count":
        return (FigureField("count", f"Số {rule.item}" if rule.item else "Số lượng"),)
    part = f"Số {rule.item}" if rule.item else "Tử số"
    whole = f"Tổng số {rule.total}" if rule.total else "Tổng số (mẫu số)"
    rate = f"Tỷ lệ {rule.item} (%)" if rule.item else "Tỷ lệ (%)"
    return (
        FigureField("numerator", part),
        FigureField("denominator", whole),
        FigureField("rate", f"hoặc: {rate[0].lower()}{rate[1:]}, khi chỉ có tỷ lệ"),
    )


@dataclass(frozen=True)
class Figures:
    """The raw figures a unit gave for one formula criterion: a count, the two counts of a
    rate, or a rate in % (when only the rate is known)."""

    count: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    rate: float | None = None

    @property
    def figure(self) -> float:
        """The one figure ``rule_points`` reads: the count, or the rate in %."""
        if self.count is not None:
            return float(self.count)
        if self.numerator is not None and self.denominator is not None:
            # Multiplied first, so 4/5 is exactly 80 and lands in the band "từ 80%".
            return self.numerator * _RATE_TOP / self.denominator
        return 0.0 if self.rate is None else self.rate

    def as_dict(self) -> dict[str, float | int]:
        """The figures given, for storage ({"count": 5} or {"numerator": 45, "denominator": 50})."""
        names = ("count", "numerator", "denominator", "rate")
        return {n: v for n in names if (v := getattr(self, n)) is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> Figures | None:
        """Back from ``as_dict``; None for None or an empty mapping."""
        if not data:
            return None
        count, part, whole, rate = (data.get(n) for n in ("count", "numerator", "denominator", "rate"))
        return cls(
            count=None if count is None else int(count),  # type: ignore[call-overload]
            numerator=None if part is None else int(part),  # type: ignore[call-overload]
            denominator=None if whole is None else int(whole),  # type: ignore[call-overload]
            rate=None if rate is None else float(rate),  # type: ignore[arg-type]
        )

    def text(self) -> str:
        """As people write it: "5", "45/50 = 90%", "87,5%"."""
        if self.count is not None:
            return _p(self.count)
        if self.numerator is not None and self.denominator is not None:
            return f"{_p(self.numerator)}/{_p(self.denominator)} = {_p(self.figure)}%"
        return f"{_p(self.figure)}%"


def read_figures(rule: Rule, typed: Mapping[str, object]) -> Figures | None:
    """The figures typed in a form's fields (``figure_fields``' names); None when all are
    blank. Raises ``FigureError`` naming the field: a count that is not a whole number ≥ 0,
    a numerator without its denominator (or above it), a denominator of 0, a rate outside
    0..100, or both the counts and the rate."""

    def text(name: str) -> str:
        value = typed.get(name)
        return "" if value is None else str(value).strip()

    if rule.input == "count":
        return Figures(count=int(_field(_count, "count", text("count")))) if text("count") else None
    part, whole, rate = text("numerator"), text("denominator"), text("rate")
    if part or whole:
        if rate:
            raise FigureError("rate", "đã nhập tử số và mẫu số: để trống ô tỷ lệ (hoặc ngược lại)")
        if not part:
            raise FigureError("numerator", "thiếu tử số")
        if not whole:
            raise FigureError("denominator", "thiếu mẫu số")
        numerator = _field(_count, "numerator", part)
        denominator = _field(_count, "denominator", whole)
        if denominator <= 0:
            raise FigureError("denominator", "mẫu số phải lớn hơn 0")
        if numerator > denominator:
            raise FigureError(
                "numerator",
                f"tử số ({_p(numerator)}) lớn hơn mẫu số ({_p(denominator)}): tỷ lệ vượt 100%",
            )
        return Figures(numerator=int(numerator), denominator=int(denominator))
    if not rate:
        return None
    return Figures(rate=_field(_rate, "rate", rate))


def _field(read: Callable[[str], float], name: str, value: str) -> float:
    try:
        return read(value)
    except InputError as exc:
        raise FigureError(name, str(exc)) from None


def parse_figures(value: object, rule: Rule) -> Figures | None:
    """The raw figure of a criterion with ``rule`` written in one cell; None for a blank.

    A count is a whole number ≥ 0 ("3", "1.234" with thousands grouping). A rate is a
    percentage in 0..100 ("87,5", "87,5%") or the two counts it comes from ("45/50" = 90 %:
    on-time dossiers over all dossiers). Raises ``InputError`` otherwise.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(f"{value!r} không phải là số")
    text = value.strip() if isinstance(value, str) else None
    if text == "":
        return None
    if rule.input == "count":
        return Figures(count=int(_count(value if text is None else text)))
    if text is not None and (match := _FRACTION.match(text)):
        part, whole = _count(match.group(1).strip()), _count(match.group(2).strip())
        if whole <= 0 or part > whole:
            raise InputError(f"tỷ lệ {text!r}: cần tử số từ 0 đến mẫu số và mẫu số lớn hơn 0")
        return Figures(numerator=int(part), denominator=int(whole))
    return Figures(rate=_rate(value if text is None else text))


def parse_input(value: object, rule: Rule) -> float | None:
    """The one figure ``rule_points`` reads from a cell (``parse_figures``); None for a blank."""
    figures = parse_figures(value, rule)
    return None if figures is None else figures.figure


def _rate(value: object) -> float:
    text = value.strip() if isinstance(value, str) else None
    if text is not None and text.endswith("%"):
        text = text[:-1].strip()
    number = _parse(value if text is None else text)
    if not 0 <= number <= _RATE_TOP:
        raise InputError(f"tỷ lệ phải trong 0..100 (%), không phải {_shown(value)}")
    return number


def _count(value: object) -> float:
    if isinstance(value, str) and _GROUPED.match(value.replace(" ", "")):
        return float(value.replace(" ", "").replace(".", "").replace(",", ""))
    number = _parse(value)
    if number < 0 or not number.is_integer():
        raise InputError(f"số lượng phải là số nguyên không âm, không phải {_shown(value)}")
    return number


def _parse(value: object) -> float:
    try:
        return float(parse_number(value))  # type: ignore[arg-type]
    except (ParseNumberError, TypeError, ValueError):
        raise InputError(f"{_shown(value)!r} không phải là số") from None


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rule_points(rule: Rule, node_max: float, figure: float) -> float:
    """The points of a criterion (maximum ``node_max``) for the unit's raw ``figure``,
    rounded half-up to 2 decimals; ``figure`` as ``parse_input`` returns it."""
    if rule.kind == "per_item":
        points = min(figure * rule.points, node_max)
    elif rule.kind == "deduct_per_item":
        points = max(node_max - figure * rule.points, 0.0)
    elif rule.kind == "proportional":
        points = figure / _RATE_TOP * node_max
    else:
        points = _band_points(rule.bands, figure)
    return round2(points)


def _band_points(bands: tuple[RuleBand, ...], figure: float) -> float:
    # Validation guarantees one band holds every figure of the range: the last band whose
    # lower bound the figure reaches is the one (bands are sorted and contiguous).
    chosen = bands[0]
    for band in bands:
        if figure + _TOLERANCE >= band.low:
            chosen = band
    return chosen.points


def describe_rule(rule: Rule, node_max: float) -> str:
    """The rule in the words of a framework ("0,5 điểm cho mỗi văn bản, tối đa 2 điểm")."""
    item = rule.item or ("đơn vị" if rule.input == "count" else "")
    if rule.kind == "per_item":
        return f"{_p(rule.points)} điểm cho mỗi {item}, tối đa {_p(node_max)} điểm"
    if rule.kind == "deduct_per_item":
        return f"trừ {_p(rule.points)} điểm cho mỗi {item}, từ {_p(node_max)} điểm, thấp nhất 0"
    what = f"tỷ lệ {item}".strip() if rule.input == "rate" else f"số {item}".strip()
    if rule.kind == "proportional":
        return f"số điểm = {what} × {_p(node_max)} điểm"
    unit = "%" if rule.input == "rate" else ""
    parts = []
    for band in sorted(rule.bands, key=lambda b: b.low, reverse=True):
        low = f"{_p(band.low)}{unit}"
        if band.high is None:
            span = (
                f"đạt {low}"
                if rule.input == "rate" and band.low == _RATE_TOP
                else f"từ {low} trở lên"
            )
        elif band.low == 0:
            span = f"dưới {_p(band.high)}{unit}"
        else:
            span = f"từ {low} đến dưới {_p(band.high)}{unit}"
        parts.append(f"{span}: {_p(band.points)} điểm")
    return f"{what[0].upper()}{what[1:]}: " + "; ".join(parts)


def _p(value: float) -> str:
    return format_number(value, 2, trim=True)
