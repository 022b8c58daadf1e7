"""One score value as a person writes it: a number, "does not apply", or nothing yet.

A criterion has three states, and they never stand in for one another:

- **scored**: a number in 0..the node's maximum, rounded half-up to ``SCORE_DECIMALS``
  decimals (docs/decisions/0002-ranking-and-rounding.md: offices round on paper and in
  Excel half away from zero, so "1,005" is 1,01);
- **does not apply** (``NOT_APPLICABLE``): written explicitly as ``KAD``, ``không áp
  dụng``, ``N/A`` or ``-`` (any case, with or without diacritics); the criterion leaves
  the unit's applicable maximum (docs/par.md, "Values at any level");
- **not scored yet**: a blank. Files refuse it (a forgotten cell must not change a rank);
  a web form reads it as "not entered".

``parse_score`` is the only reader of a person's score: the files (``cchc.par.scores``),
the command line and every web form call it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Final, TypeAlias

from cchc.fmt import ParseNumberError, format_number, parse_number
from cchc.par.framework import Node
from cchc.par.rounding import round2

__all__ = [
    "NOT_APPLICABLE",
    "NOT_APPLICABLE_WORDS",
    "SCORE_DECIMALS",
    "NotApplicable",
    "ScoreValue",
    "ScoreValueError",
    "is_not_applicable_text",
    "parse_score",
]

#: Scores are kept to 2 decimals, as offices write them ("55,46").
SCORE_DECIMALS: Final = 2

# A value typed to more decimals than shown may exceed the maximum by rounding noise only.
_RANGE_TOLERANCE = 1e-9


class NotApplicable:
    """The explicit "does not apply" (KAD) of a criterion; one shared instance."""

    _instance: NotApplicable | None = None

    def __new__(cls) -> NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"

    def __str__(self) -> str:
        return "KAD"

    def __reduce__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE: Final = NotApplicable()

ScoreValue: TypeAlias = float | NotApplicable
"""A given value: a number, or ``NOT_APPLICABLE``; a value not given is simply absent."""

#: How people write "does not apply", compared without case, diacritics, spaces or dots.
NOT_APPLICABLE_WORDS: Final = ("KAD", "không áp dụng", "N/A", "-")
_DASHES = {"-", "–", "—", "−"}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in plain.casefold() if ch.isalnum() or ch in _DASHES)


_FOLDED = {_fold(w) for w in NOT_APPLICABLE_WORDS if w != "-"}


def is_not_applicable_text(text: str) -> bool:
    """True for "KAD", "kad", "Không áp dụng", "khong ap dung", "N/A", "n/a", "-", "—"."""
    folded = _fold(text)
    return folded in _FOLDED or (bool(folded) and all(ch in _DASHES for ch in folded))


class ScoreValueError(ValueError):
    """A score a person wrote cannot be used; the message is Vietnamese, without place."""


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@lru_cache(maxsize=1 << 16)
def _read_text(text: str) -> tuple[float, bool] | NotApplicable | str:
    """A non-blank, stripped cell: (number, was negative), KAD, or why it is not a number.

    Remembered: a country's sheet repeats the same few hundred spellings ("0,5", "KAD")
    across ~350 000 cells; only the range check depends on the node.
    """
    # A number starts with a digit: skip the (slower) folding on every score cell.
    if not text[0].isdigit() and is_not_applicable_text(text):
        return NOT_APPLICABLE
    try:
        number = parse_number(text)
    except ParseNumberError:
        return f"{text!r} không phải là số"
    negative = number < 0
    # Typed with at most 2 decimals, there is nothing to round (most cells).
    mark = max(text.rfind(","), text.rfind("."))
    if mark >= 0 and len(text) - mark - 1 > SCORE_DECIMALS:
        number = round2(number)  # = round_half_up(number, 2), fast on every cell
    return number, negative


def parse_score(value: object, node: Node) -> ScoreValue | None:
    """Read one score written for ``node``: a number, ``NOT_APPLICABLE``, or None (blank).

    Accepts "55,46", "55.46", "1.234,5", "1,234.5" and numbers; rounds half-up to 2
    decimals ("1,005" → 1,01); refuses negative numbers and numbers above the node's
    maximum (after rounding), raising ``ScoreValueError``.
    """
    if value is None:
        return None
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
        read = _read_text(text)
        if isinstance(read, str):
            raise ScoreValueError(read)
        if isinstance(read, NotApplicable):
            return read
        number, negative = read
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise ScoreValueError(f"{_shown(value)!r} không phải là số")
    else:
        try:
            number = parse_number(value)
        except ParseNumberError:
            raise ScoreValueError(f"{_shown(value)!r} không phải là số") from None
        negative = number < 0
        number = round2(number)
    if negative or number > node.max + _RANGE_TOLERANCE:
        shown = _shown(value) if negative else format_number(number, SCORE_DECIMALS, trim=True)
        raise ScoreValueError(
            f"điểm {shown} nằm ngoài khoảng "
            f"0..{format_number(node.max, SCORE_DECIMALS, trim=True)} của {node.code}"
        )
    return number
