"""A period picked in words: a year and a part of it (the year, a half, a quarter, a month).

Kept out of ``period.py`` on purpose: that module's source is part of the compiled index
SQL's fingerprint (``compiled.py``), and words for a form are no reason to recompile it.
"""

from __future__ import annotations

from cchc.service.period import Period, as_period

_ROMAN = ("I", "II", "III", "IV")

#: The parts of a year a period is, in words, as a picker offers them (the year, its halves,
#: quarters, months): (group, [(suffix of the code, words)]). "" is the whole year.
PARTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Năm", (("", "Cả năm"),)),
    ("6 tháng", (("H1", "6 tháng đầu năm"), ("H2", "6 tháng cuối năm"))),
    ("Quý", tuple((f"Q{q}", f"Quý {_ROMAN[q - 1]}") for q in range(1, 5))),
    ("Tháng", tuple((f"{m:02d}", f"Tháng {m:02d}") for m in range(1, 13))),
)


def compose(year: str | int, part: str) -> str:
    """The code of a period picked in words: (2026, "Q3") → "2026-Q3", (2026, "") → "2026".
    Not checked here: ``parse_period`` refuses what is not a period, with its reason."""
    year, part = str(year).strip(), part.strip()
    return f"{year}-{part}" if part else year


def part_of(value: Period | str) -> tuple[int, str]:
    """(year, part) of a period, the inverse of ``compose``: "2026-Q3" → (2026, "Q3")."""
    period = as_period(value)
    year, first = period.start.year, period.start.month
    months = (period.end.year - year) * 12 + period.end.month - first
    if months == 12:
        return year, ""
    if months == 6:
        return year, f"H{1 if first == 1 else 2}"
    if months == 3:
        return year, f"Q{(first - 1) // 3 + 1}"
    return year, f"{first:02d}"
