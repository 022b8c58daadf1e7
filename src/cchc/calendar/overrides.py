"""The shipped override table: each year's government notices, one row per date.

The `holidays` package knows the Labour Code rules but learns each year's notice (Tết days,
the second National Day, swapped weekdays, Saturdays worked) late or not at all. The table in
``data/overrides.csv`` records them with the notice number as source; see docs/calendar.md for
how to add next year's notice.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

__all__ = ["DayKind", "Override", "OverrideError", "load_overrides", "shipped_overrides"]

COLUMNS = ("date", "kind", "name", "source", "note")


class DayKind(StrEnum):
    """What a notice says about a date."""

    HOLIDAY = "holiday"  # a statutory holiday (Labour Code 2019 Art. 112, or a Tết day)
    DAY_OFF = "day_off"  # a make-up day (Art. 111(3)) or a weekday swapped off
    WORKING_DAY = "working_day"  # a Saturday (or any day) worked, e.g. in exchange for a swap


class OverrideError(ValueError):
    """A row of an override table is invalid; the message names file, row and column."""


@dataclass(frozen=True, slots=True)
class Override:
    """One date fixed by a notice: a day off or a day worked, with its name and source."""

    date: dt.date
    kind: DayKind
    name: str
    source: str
    note: str = ""

    @property
    def is_day_off(self) -> bool:
        return self.kind is not DayKind.WORKING_DAY


def _fail(origin: str, row: int, column: str, reason: str) -> OverrideError:
    return OverrideError(f"{origin}: dòng {row}, cột {column}: {reason}")


def parse_overrides(lines: list[str], origin: str) -> tuple[Override, ...]:
    """Parse CSV text lines (header first) into overrides, all-or-nothing.

    Row numbers count the header as row 1, as a spreadsheet shows them.
    """
    reader = csv.DictReader(lines)
    header = tuple(reader.fieldnames or ())
    missing = [c for c in COLUMNS[:4] if c not in header]
    if missing:
        raise _fail(origin, 1, ", ".join(missing), "thiếu cột bắt buộc")
    out: list[Override] = []
    seen: dict[dt.date, int] = {}
    for row_no, row in enumerate(reader, start=2):
        if row.get(None):  # type: ignore[call-overload]
            # An unquoted comma would silently cut a name or a source in two.
            raise _fail(origin, row_no, "note", "thừa cột (đặt trong dấu ngoặc kép ô có dấu phẩy)")
        raw_date = (row.get("date") or "").strip()
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            raise _fail(
                origin, row_no, "date", f"ngày {raw_date!r} không đúng dạng YYYY-MM-DD"
            ) from None
        if day in seen:
            raise _fail(origin, row_no, "date", f"ngày {raw_date} đã có ở dòng {seen[day]}")
        seen[day] = row_no
        raw_kind = (row.get("kind") or "").strip()
        try:
            kind = DayKind(raw_kind)
        except ValueError:
            allowed = ", ".join(k.value for k in DayKind)
            raise _fail(
                origin, row_no, "kind", f"loại {raw_kind!r} không hợp lệ (chỉ nhận: {allowed})"
            ) from None
        name = (row.get("name") or "").strip()
        if not name:
            raise _fail(origin, row_no, "name", "thiếu tên ngày")
        source = (row.get("source") or "").strip()
        if not source:
            raise _fail(origin, row_no, "source", "thiếu nguồn (số hiệu văn bản)")
        note = (row.get("note") or "").strip()
        out.append(Override(day, kind, name, source, note))
    return tuple(sorted(out, key=lambda o: o.date))


def load_overrides(path: Path) -> tuple[Override, ...]:
    """Read an override table (columns date, kind, name, source, note) from a CSV file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise OverrideError(f"{path}: không đọc được tệp: {exc.strerror or exc}") from None
    return parse_overrides(text.splitlines(), str(path))


def shipped_overrides() -> tuple[Override, ...]:
    """The override table shipped in the package (notices 2021–2026)."""
    ref = resources.files("cchc.calendar").joinpath("data/overrides.csv")
    text = ref.read_text(encoding="utf-8-sig")
    return parse_overrides(text.splitlines(), "cchc/calendar/data/overrides.csv")
