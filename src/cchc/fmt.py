"""Vietnamese formatting and parsing of numbers, dates, counts, ordinals and rank phrases.

The bottom layer of the package: every user-facing figure goes through here, so "88,41",
"1.234.567", "01/07/2025", "thứ nhất" and "tăng 01 bậc" are written one way everywhere
(docs/field.md §9: decimal comma, dot grouping, dd/mm/yyyy, rank phrases).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

__all__ = [
    "ParseNumberError",
    "count2",
    "format_date",
    "format_datetime",
    "format_int",
    "format_number",
    "format_percent",
    "has_visible_text",
    "ordinal",
    "parse_number",
    "rank_change_phrase",
    "round_half_up",
    "visible_text",
]


class ParseNumberError(ValueError):
    """A cell that should hold a number does not."""


def round_half_up(value: float, decimals: int = 2) -> float:
    """Round as people do on paper (2,345 → 2,35), not banker's rounding.

    Offices check our figures against Excel, which rounds half away from zero.
    """
    if math.isnan(value) or math.isinf(value):
        return value
    if abs(value) >= 2**53:
        # Beyond 2**53 a float holds no fractional digits, and Decimal's default
        # 28-digit context cannot quantize 1e30 to cents: there is nothing to round.
        return float(value)
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return float(rounded)


def _group(digits: str) -> str:
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return ".".join(out)


def format_number(value: float | int | None, decimals: int = 2, *, trim: bool = False) -> str:
    """88.41 → "88,41"; 1234567.5 → "1.234.567,50". None → "" (not applicable).

    With ``trim``, trailing zeros are dropped: 8.0 → "8", 91.40 → "91,4", as the seed writes
    "đạt 8/10 điểm" and "91,4%".
    """
    if value is None:
        return ""
    return _format_number(float(value), decimals, trim)


# A results page formats hundreds of figures, most of them repeated from unit to unit (the
# maxima, scores in halves and quarters): each is worked out once. Keys are floats, so 5
# and 5.0 (and 0.0 and -0.0, which both print "0,00") share an entry, as they share a text.
@lru_cache(maxsize=65_536)
def _format_number(number: float, decimals: int, trim: bool) -> str:
    text = repr(abs(number))
    whole, dot, frac = text.partition(".")
    if dot and whole.isdigit() and len(frac) <= decimals:
        # Already at most ``decimals`` digits (as written, e.g. 12.5): rounding changes
        # nothing, so the Decimal round trip is skipped; the digits are the same.
        rounded_negative = number < 0
        frac = frac.ljust(decimals, "0")
    else:
        rounded = round_half_up(number, decimals)
        rounded_negative = rounded < 0
        whole, _, frac = f"{abs(rounded):.{decimals}f}".partition(".")
    if trim:
        frac = frac.rstrip("0")
    sign = "-" if rounded_negative else ""
    return f"{sign}{_group(whole)}" + (f",{frac}" if frac else "")


def format_int(value: int) -> str:
    """1234567 → "1.234.567"."""
    sign = "-" if value < 0 else ""
    return sign + _group(str(abs(value)))


def format_percent(fraction: float | None, decimals: int = 2, *, trim: bool = False) -> str:
    """0.914 → "91,4%" with trim; None → ""."""
    if fraction is None:
        return ""
    return format_number(fraction * 100, decimals, trim=trim) + "%"


def format_date(value: dt.date) -> str:
    """dd/mm/yyyy, the only date form Vietnamese offices use."""
    return value.strftime("%d/%m/%Y")


class ParseDateError(ValueError):
    """A text that is not a date written dd/mm/yyyy (or yyyy-mm-dd)."""


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> dt.date:
    """The date an office writes, "31/03/2025" (also "1/3/2025", "31.03.2025"), or the ISO
    "2025-03-31" of older links and of the browser's own date picker; never mm/dd.

    The one parser of typed dates: the desk's date fields are text fields in dd/mm/yyyy so
    the page looks the same whatever the browser's locale (docs/desk.md)."""
    cleaned = text.strip()
    if match := _DMY.match(cleaned):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(cleaned):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ParseDateError(f"“{text}” không phải ngày hợp lệ (nhập dd/mm/yyyy)")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseDateError(f"“{text}” không phải ngày có thật (nhập dd/mm/yyyy)") from None


def format_datetime(value: dt.datetime) -> str:
    """24-hour time then the date: "15:30 ngày 01/07/2025" is long; we keep "01/07/2025 15:30"."""
    return value.strftime("%d/%m/%Y %H:%M")


def count2(n: int) -> str:
    """Counts as administrative texts write them: two digits below ten ("02 xã", "01 bậc")."""
    return f"{n:02d}" if 0 <= n < 10 else format_int(n)


_ORDINAL_WORDS = {1: "thứ nhất", 4: "thứ tư"}


def ordinal(n: int) -> str:
    """1 → "thứ nhất", 2 → "thứ 2", 4 → "thứ tư" (Vietnamese irregular ordinals)."""
    return _ORDINAL_WORDS.get(n, f"thứ {n}")


def rank_change_phrase(change: int) -> str:
    """+1 → "tăng 01 bậc", -2 → "giảm 02 bậc", 0 → "giữ nguyên vị trí"."""
    if change > 0:
        return f"tăng {count2(change)} bậc"
    if change < 0:
        return f"giảm {count2(-change)} bậc"
    return "giữ nguyên vị trí"


_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+)?([.,]\d+)?$")


def parse_number(text: str | float | int) -> float:
    """Accept "55,46", "55.46", "1.234,5", "1,234.5" and plain numbers; reject anything else.

    One separator alone is read as the decimal mark (offices type "55,46" and "55.46"
    alike); with both present, the last one is the decimal mark.
    """
    if isinstance(text, bool):
        raise ParseNumberError(f"not a number: {text!r}")
    if isinstance(text, int | float):
        if isinstance(text, float) and (math.isnan(text) or math.isinf(text)):
            raise ParseNumberError(f"not a number: {text!r}")
        return float(text)
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if not raw or not any(ch.isdigit() for ch in raw):
        raise ParseNumberError(f"not a number: {text!r}")
    if "," in raw and "." in raw:
        decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        if raw.count(decimal_mark) != 1:
            raise ParseNumberError(f"not a number: {text!r}")
        normal = raw.replace(group_mark, "").replace(decimal_mark, ".")
    elif raw.count(",") == 1 or raw.count(".") == 1:
        normal = raw.replace(",", ".")
    elif raw.count(",") > 1 or raw.count(".") > 1:
        # "1.234.567" — grouping only.
        if not _NUMBER.match(raw):
            raise ParseNumberError(f"not a number: {text!r}")
        normal = raw.replace(",", "").replace(".", "")
    else:
        normal = raw
    try:
        value = Decimal(normal)
    except InvalidOperation as exc:
        raise ParseNumberError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ParseNumberError(f"not a number: {text!r}")
    return float(value)


# Characters that print nothing though Unicode files them as letters or symbols (fillers,
# the blank braille pattern); categories Cc, Cf, Z*, M* (a mark alone), Co and Cn print
# nothing either (U+200B zero width space, U+2060 word joiner, U+FEFF BOM, U+00AD …).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = ("C", "Z", "M")


def _visible(ch: str) -> bool:
    return ch not in _BLANK_LETTERS and not unicodedata.category(ch).startswith(
        _INVISIBLE_CATEGORIES
    )


def has_visible_text(text: str | None) -> bool:
    """True when ``text`` holds at least one character a reader can see."""
    return bool(text) and any(_visible(ch) for ch in text)  # type: ignore[union-attr]


def visible_text(text: str | None) -> str:
    """A reason, explanation or note as typed, without the invisible characters and spaces
    around it; "" when nothing in it is visible (only spaces, U+200B, U+2060, U+FEFF …).

    Every place that requires a written reason (appraisal, "does not apply", a corrected
    publication, objections and their answers) calls this and refuses "".
    """
    if not has_visible_text(text):
        return ""
    assert text is not None
    start = next(i for i, ch in enumerate(text) if _visible(ch))
    end = max(i for i, ch in enumerate(text) if _visible(ch)) + 1
    return text[start:end]
