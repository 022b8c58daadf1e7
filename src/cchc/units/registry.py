"""The registry of administrative units: stable codes, levels, parents, validity, lineage.

Units change over time (docs/field.md §2): districts ceased on 1 July 2025, provinces and
communes merged. A unit is therefore valid over an interval, and lineage events say which
unit went into which, so a comparison across years can follow a unit to its successors.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = [
    "Level",
    "LineageEvent",
    "LineageKind",
    "Unit",
    "UnitRegistry",
    "UnitsError",
    "default_registry",
    "load_registry",
]


class Level(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    AGENCY = "agency"


class LineageKind(StrEnum):
    MERGED_INTO = "merged_into"
    SPLIT_FROM = "split_from"


class UnitsError(ValueError):
    """A units or lineage file that cannot be trusted; the message names file, row, column."""


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    level: Level
    kind: str
    parent: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""

    def valid_on(self, day: dt.date) -> bool:
        """Whether the unit existed on ``day`` (open ends mean "since ever" / "still")."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True, slots=True)
class LineageEvent:
    """``from_code`` ``kind`` ``to_code`` on ``date``: BDI merged_into GLA on 2025-07-01.

    ``split_from`` reads the other way round: to_code was split from from_code, so the
    predecessor is always ``from_code`` and the successor ``to_code``.
    """

    date: dt.date
    kind: LineageKind
    from_code: str
    to_code: str
    source: str = ""


class UnitRegistry:
    """Units and their lineage, answering "who was there, on what date, and what became of it"."""

    def __init__(self, units: Iterable[Unit], lineage: Iterable[LineageEvent] = ()) -> None:
        self._units: dict[str, Unit] = {}
        for unit in units:
            if unit.code in self._units:
                raise UnitsError(f"duplicate unit code {unit.code!r}")
            self._units[unit.code] = unit
        self._lineage = tuple(sorted(lineage, key=lambda e: (e.date, e.from_code, e.to_code)))
        for event in self._lineage:
            for code in (event.from_code, event.to_code):
                if code not in self._units:
                    raise UnitsError(f"lineage names unknown unit {code!r}")
        for unit in self._units.values():
            if unit.parent is not None and unit.parent not in self._units:
                raise UnitsError(f"unit {unit.code!r} has unknown parent {unit.parent!r}")

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def get(self, code: str) -> Unit:
        """The unit with this code; KeyError with the code when there is none."""
        try:
            return self._units[code]
        except KeyError:
            raise KeyError(f"không có đơn vị mã {code!r}") from None

    def units(
        self,
        level: Level | str | None = None,
        parent: str | None = None,
        on: dt.date | None = None,
    ) -> list[Unit]:
        """Units of a level under a parent valid on a date, in registry order."""
        return [
            u
            for u in self._units.values()
            if (level is None or u.level == Level(level))
            and (parent is None or u.parent == parent)
            and (on is None or u.valid_on(on))
        ]

    @property
    def lineage(self) -> tuple[LineageEvent, ...]:
        return self._lineage

    def successors(self, code: str) -> list[Unit]:
        """Units that ``code`` went into (directly), oldest event first."""
        self.get(code)
        return [self._units[e.to_code] for e in self._lineage if e.from_code == code]

    def predecessors(self, code: str) -> list[Unit]:
        """Units that went into ``code`` (directly), oldest event first."""
        self.get(code)
        return [self._units[e.from_code] for e in self._lineage if e.to_code == code]

    def lineage_codes(self, code: str) -> list[str]:
        """Every code linked to ``code`` through lineage, either way, transitively.

        Year-over-year comparison matches a unit to last year's row by code first and, when
        codes changed, through this list (nearest first).
        """
        self.get(code)
        seen = [code]
        frontier = [code]
        while frontier:
            nxt: list[str] = []
            for current in frontier:
                for e in self._lineage:
                    for a, b in ((e.from_code, e.to_code), (e.to_code, e.from_code)):
                        if a == current and b not in seen:
                            seen.append(b)
                            nxt.append(b)
            frontier = nxt
        return seen[1:]


_UNIT_COLUMNS = ("code", "name", "level", "kind", "parent", "valid_from", "valid_to", "source")
_LINEAGE_COLUMNS = ("date", "event", "from_code", "to_code", "source")


def _date(value: str, where: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UnitsError(f"{where}: not a date in YYYY-MM-DD form: {value!r}") from None


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise UnitsError(f"{path.name}: missing columns {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            yield number, {k: (v or "") for k, v in row.items() if k is not None}


def _read_units(path: Path) -> list[Unit]:
    units = []
    for number, row in _rows(path, _UNIT_COLUMNS):
        where = f"{path.name}, row {number}"
        try:
            level = Level(row["level"].strip())
        except ValueError:
            allowed = ", ".join(level.value for level in Level)
            raise UnitsError(f"{where}, column level: {row['level']!r} is not one of {allowed}") from None
        if not row["code"].strip() or not row["name"].strip():
            raise UnitsError(f"{where}, column code/name: must not be empty")
        valid_from = _date(row["valid_from"], f"{where}, column valid_from")
        valid_to = _date(row["valid_to"], f"{where}, column valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            raise UnitsError(f"{where}, column valid_to: ends before it starts")
        units.append(
            Unit(
                code=row["code"].strip(),
                name=row["name"].strip(),
                level=level,
                kind=row["kind"].strip(),
                parent=row["parent"].strip() or None,
                valid_from=valid_from,
                valid_to=valid_to,
                source=row["source"].strip(),
            )
        )
    return units


def _read_lineage(path: Path) -> list[LineageEvent]:
    events = []
    for number, row in _rows(path, _LINEAGE_COLUMNS):
        where = f"{path.name}, row {number}"
        day = _date(row["date"], f"{where}, column date")
        if day is None:
            raise UnitsError(f"{where}, column date: must not be empty")
        try:
            kind = LineageKind(row["event"].strip())
        except ValueError:
            raise UnitsError(f"{where}, column event: {row['event']!r} is not merged_into or split_from") from None
        events.append(LineageEvent(day, kind, row["from_code"].strip(), row["to_code"].strip(), row["source"].strip()))
    return events


def load_registry(units_csv: Path, lineage_csv: Path | None = None) -> UnitRegistry:
    """Read a registry from CSV files (columns as in the shipped ``data/units.csv``)."""
    units = _read_units(units_csv)
    lineage = _read_lineage(lineage_csv) if lineage_csv is not None else []
    try:
        return UnitRegistry(units, lineage)
    except UnitsError as exc:
        raise UnitsError(f"{units_csv.name}: {exc}") from None


@cache
def default_registry() -> UnitRegistry:
    """The shipped registry: Bình Định, its 11 district-level units, Hoài Nhơn's 17 communes
    (to 30/06/2025), Gia Lai and the 7 wards formed on 01/07/2025."""
    data = resources.files("cchc.units") / "data"
    with resources.as_file(data / "units.csv") as units_csv, resources.as_file(
        data / "lineage.csv"
    ) as lineage_csv:
        return load_registry(Path(units_csv), Path(lineage_csv))
