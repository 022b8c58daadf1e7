"""The registry of administrative units: stable codes, levels, parents, validity, lineage.

Units change over time: district-level units ceased on 01/07/2025 (Law on the Organisation
of Local Government 2025), provinces merged (Resolution 202/2025/QH15) and communes were
rearranged (one resolution of the National Assembly Standing Committee per province). A unit
is therefore valid over an interval, and lineage events say which unit went into which, so a
comparison across years can follow a unit to its successors.

Official codes (mã đơn vị hành chính) were reused in 2025: most new communes took the code
of one of the communes they replaced, and Gia Lai took Bình Định's code 52. A code alone
therefore does not name one unit across time; each unit has an ``id`` that does: its code,
or ``<code>@2025-06-30`` for a unit that ended on that day when a later unit took its code.
Looking a code up gives the latest unit with it; ``find`` gives them all. Codes made up
before the official list was used (``HNH``, ``GLA-BSO``) are aliases of ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections.abc import Iterable, Iterator, Mapping
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
    "national_registry",
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
    #: unique across time; empty means the code (see the module's docstring)
    id: str = ""

    @property
    def key(self) -> str:
        """The registry's key of this unit: its id, or its code when it has no id of its own."""
        return self.id or self.code

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
    #: e.g. "một phần" when only part of a divided commune went to ``to_code``
    note: str = ""


class UnitRegistry:
    """Units and their lineage, answering "who was there, on what date, and what became of it".

    Units are keyed by ``Unit.key`` (id or code); every method that takes a code also takes
    an id, an official code (the latest unit with it) or an alias.
    """

    def __init__(
        self,
        units: Iterable[Unit],
        lineage: Iterable[LineageEvent] = (),
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self._units: dict[str, Unit] = {}
        self._by_code: dict[str, list[str]] = {}
        for unit in units:
            if unit.key in self._units:
                raise UnitsError(f"duplicate unit code {unit.key!r}")
            self._units[unit.key] = unit
            self._by_code.setdefault(unit.code, []).append(unit.key)
        self._lineage = tuple(sorted(lineage, key=lambda e: (e.date, e.from_code, e.to_code)))
        self._from: dict[str, list[LineageEvent]] = {}
        self._to: dict[str, list[LineageEvent]] = {}
        for event in self._lineage:
            for code in (event.from_code, event.to_code):
                if code not in self._units:
                    raise UnitsError(f"lineage names unknown unit {code!r}")
            self._from.setdefault(event.from_code, []).append(event)
            self._to.setdefault(event.to_code, []).append(event)
        for unit in self._units.values():
            if unit.parent is not None and unit.parent not in self._units:
                raise UnitsError(f"unit {unit.key!r} has unknown parent {unit.parent!r}")
        self._aliases = dict(aliases or {})
        self._aliases_of: dict[str, list[str]] = {}
        for alias, key in self._aliases.items():
            if key not in self._units:
                raise UnitsError(f"alias {alias!r} names unknown unit {key!r}")
            if alias in self._units:
                raise UnitsError(f"alias {alias!r} is also a unit's code")
            self._aliases_of.setdefault(key, []).append(alias)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._resolve(code) is not None

    def _resolve(self, code: str) -> str | None:
        if code in self._units:
            return code
        if code in self._aliases:
            return self._aliases[code]
        keys = self._by_code.get(code)
        if keys:  # a reused official code: the unit that lasts longest (still valid first)
            return max(keys, key=lambda k: self._units[k].valid_to or dt.date.max)
        return None

    def get(self, code: str) -> Unit:
        """The unit with this id, code or alias; KeyError with the code when there is none."""
        key = self._resolve(code)
        if key is None:
            raise KeyError(f"không có đơn vị mã {code!r}")
        return self._units[key]

    def find(self, code: str) -> list[Unit]:
        """Every unit that ``code`` may name: its id, the units with that official code (a code
        reused in 2025 names two), or the unit an alias stands for."""
        keys = list(self._by_code.get(code, []))
        for key in (code if code in self._units else None, self._aliases.get(code)):
            if key is not None and key not in keys:
                keys.append(key)
        return [self._units[k] for k in keys]

    def alias_table(self) -> dict[str, str]:
        """Every alias and the id of the unit it stands for."""
        return dict(self._aliases)

    def aliases(self, code: str) -> list[str]:
        """The aliases (codes made up before the official list) of a unit."""
        return list(self._aliases_of.get(self.get(code).key, []))

    def ancestors(self, code: str) -> list[Unit]:
        """The unit's parent, its parent's parent, … up to the province."""
        chain: list[Unit] = []
        unit = self.get(code)
        while unit.parent is not None:
            unit = self._units[unit.parent]
            chain.append(unit)
        return chain

    def units(
        self,
        level: Level | str | None = None,
        parent: str | None = None,
        on: dt.date | None = None,
        province: str | None = None,
    ) -> list[Unit]:
        """Units of a level under a parent (or anywhere in a province) valid on a date, in
        registry order."""
        parent_key = self.get(parent).key if parent is not None else None
        province_key = self.get(province).key if province is not None else None
        return [
            u
            for u in self._units.values()
            if (level is None or u.level == Level(level))
            and (parent_key is None or u.parent == parent_key)
            and (on is None or u.valid_on(on))
            and (
                province_key is None
                or u.key == province_key
                or any(a.key == province_key for a in self.ancestors(u.key))
            )
        ]

    @property
    def lineage(self) -> tuple[LineageEvent, ...]:
        return self._lineage

    def events_from(self, code: str) -> list[LineageEvent]:
        """The events in which the unit went into others, oldest first."""
        return list(self._from.get(self.get(code).key, []))

    def events_to(self, code: str) -> list[LineageEvent]:
        """The events in which others went into the unit, oldest first."""
        return list(self._to.get(self.get(code).key, []))

    def successors(self, code: str) -> list[Unit]:
        """Units that ``code`` went into (directly), oldest event first."""
        return [self._units[e.to_code] for e in self.events_from(code)]

    def predecessors(self, code: str) -> list[Unit]:
        """Units that went into ``code`` (directly), oldest event first."""
        return [self._units[e.from_code] for e in self.events_to(code)]

    def lineage_codes(self, code: str) -> list[str]:
        """Every code linked to ``code`` through lineage, either way, transitively: each
        linked unit's id, then its official code and aliases when they differ.

        Year-over-year comparison matches a unit to last year's row by code first and, when
        codes changed, through this list (nearest first).
        """
        start = self.get(code).key
        seen = [start]
        frontier = [start]
        while frontier:
            nxt: list[str] = []
            for current in frontier:
                for e in self._from.get(current, []) + self._to.get(current, []):
                    other = e.to_code if e.from_code == current else e.from_code
                    if other not in seen:
                        seen.append(other)
                        nxt.append(other)
            frontier = nxt
        names: list[str] = []
        for key in seen[1:]:
            for name in (key, self._units[key].code, *self._aliases_of.get(key, [])):
                if name not in names and name != code:
                    names.append(name)
        return names


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
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
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
                id=row.get("id", "").strip(),
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
        events.append(
            LineageEvent(
                day,
                kind,
                row["from_code"].strip(),
                row["to_code"].strip(),
                row["source"].strip(),
                row.get("note", "").strip(),
            )
        )
    return events


def _read_aliases(path: Path) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for number, row in _rows(path, ("alias", "id")):
        alias, key = row["alias"].strip(), row["id"].strip()
        if not alias or not key:
            raise UnitsError(f"{path.name}, row {number}, column alias/id: must not be empty")
        if alias in aliases:
            raise UnitsError(f"{path.name}, row {number}, column alias: {alias!r} appears twice")
        aliases[alias] = key
    return aliases


def load_registry(
    units_csv: Path, lineage_csv: Path | None = None, aliases_csv: Path | None = None
) -> UnitRegistry:
    """Read a registry from CSV files, plain or gzip-compressed (columns as in the shipped
    ``data/national_units.csv.gz``, ``national_lineage.csv.gz`` and ``aliases.csv``; ``id``
    and ``note`` are optional)."""
    units = _read_units(units_csv)
    lineage = _read_lineage(lineage_csv) if lineage_csv is not None else []
    aliases = _read_aliases(aliases_csv) if aliases_csv is not None else {}
    try:
        return UnitRegistry(units, lineage, aliases)
    except UnitsError as exc:
        raise UnitsError(f"{units_csv.name}: {exc}") from None


@cache
def default_registry() -> UnitRegistry:
    """The demo's registry, with the codes its data and the web installation use: Bình Định,
    its 11 district-level units, Hoài Nhơn's 17 communes (to 30/06/2025), Gia Lai and the 7
    wards formed on 01/07/2025 in the former Hoài Nhơn area, and their lineage. Each of its
    codes is an alias of a unit of ``national_registry()``."""
    data = resources.files("cchc.units") / "data"
    with resources.as_file(data / "units.csv") as units_csv, resources.as_file(
        data / "lineage.csv"
    ) as lineage_csv:
        return load_registry(Path(units_csv), Path(lineage_csv))


@cache
def national_registry() -> UnitRegistry:
    """Every province, district and commune of Vietnam before and after 01/07/2025, with the
    official codes, the 2025 lineage and its resolutions, the demo's codes as aliases, and
    the provincial departments (sở) whose 2025 mergers were sourced (``agencies.csv``,
    ``agency_lineage.csv``; docs/units.md names the sources)."""
    data = resources.files("cchc.units") / "data"
    with resources.as_file(data / "national_units.csv.gz") as units_csv, resources.as_file(
        data / "national_lineage.csv.gz"
    ) as lineage_csv, resources.as_file(data / "aliases.csv") as aliases_csv, resources.as_file(
        data / "agencies.csv"
    ) as agencies_csv, resources.as_file(data / "agency_lineage.csv") as agency_lineage_csv:
        units = _read_units(Path(units_csv)) + _read_units(Path(agencies_csv))
        lineage = _read_lineage(Path(lineage_csv)) + _read_lineage(Path(agency_lineage_csv))
        try:
            return UnitRegistry(units, lineage, _read_aliases(Path(aliases_csv)))
        except UnitsError as exc:
            raise UnitsError(f"national registry: {exc}") from None
