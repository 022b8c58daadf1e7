"""Ibis expressions compiled once to DuckDB SQL, shipped with the package.

``import ibis`` alone takes about half a second, which is most of ``cchc service index``'s
fixed cost on a 1 M-row ledger. So the DuckDB SQL that Ibis generates from an expression
is written once to a file under ``data/`` with its run-time values as parameters (the
period's bounds ``$start`` and ``$end``, and whatever else the expression takes), together
with a fingerprint of the sources it came from (the modules the expression is written in
and the Ibis version). At run time a matching fingerprint means the file is exactly what
Ibis would produce now; any mismatch (an edited module, another Ibis) recompiles through
Ibis, so the shipped SQL can be stale but never wrong. These expressions are compiled:

- ``INDEX``: ``index.indicator_counts`` with its count of invalid rows in the period
  (``data/index_duckdb.sql``), for ``cchc service index`` on a ledger that holds invalid
  values somewhere;
- ``LEDGER_INVALID``: ``index.ledger_invalid`` (``data/ledger_invalid_duckdb.sql``), the
  whole-ledger check that runs first; when it finds nothing, ``INDEX_UNCHECKED``
  (``data/index_unchecked_duckdb.sql``, the counts alone) gives the same numbers in less;
- ``INTEGRITY``: ``integrity.summary`` with the codes (``data/integrity_duckdb.sql``), for
  ``cchc service integrity``; the calendar enters as parameters (``$days_off``,
  ``$last_working_day``, ``$open_second``, ``$close_second``).

Regenerate both with ``python -m cchc.service.compiled``; a test fails when one is out of
date.

Parameters are put in by compiling with sentinel values no real ledger has (dates in the
years 1111 and 2222, seconds 11111 and 22222) and replacing exactly those literals; a
sentinel Ibis no longer writes the expected way stops the compilation rather than
shipping SQL with a value frozen in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Final

from cchc.service.period import Period

_DATA: Final = Path(__file__).with_name("data")
_HEADER: Final = "-- fingerprint: "
_START: Final = dt.datetime(1111, 1, 1)
_END: Final = dt.datetime(2222, 2, 2)
_TIMESTAMPS: Final = {"$start": _START, "$end": _END}


def _fingerprint(sources: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    package = resources.files("cchc.service")
    for name in sources:
        digest.update(package.joinpath(name).read_bytes())
    for dist in ("ibis-framework", "sqlglot"):
        digest.update(f"{dist}=={metadata.version(dist)}".encode())
    return digest.hexdigest()


def _replace(sql: str, literal: str, parameter: str) -> str:
    if literal not in sql:
        raise RuntimeError(f"Ibis no longer writes {literal!r} as expected; update compiled.py")
    return sql.replace(literal, parameter)


def _parameterise_bounds(sql: str) -> str:
    for name, value in _TIMESTAMPS.items():
        literal = f"MAKE_TIMESTAMP({value.year}, {value.month}, {value.day}, 0, 0, 0.0)"
        sql = _replace(sql, literal, f"CAST({name} AS TIMESTAMP)")
    return sql


@dataclass(frozen=True)
class Compiled:
    """One expression's shipped DuckDB SQL: where it lives, what it is compiled from."""

    file_name: str
    sources: tuple[str, ...]
    compile: Callable[[], str]

    @property
    def path(self) -> Path:
        return _DATA / self.file_name

    def fingerprint(self) -> str:
        """A hash of everything the compiled SQL depends on."""
        return _fingerprint(self.sources)

    def template(self, path: Path | None = None) -> str:
        """The shipped SQL when it is current, else a fresh compilation."""
        try:
            header, _, body = (path or self.path).read_text("utf-8").partition("\n")
        except OSError:
            return self.compile()
        if header == _HEADER + self.fingerprint():
            return body
        return self.compile()

    def write(self, path: Path | None = None) -> None:
        (path or self.path).write_text(
            _HEADER + self.fingerprint() + "\n" + self.compile(), encoding="utf-8"
        )


def _compile_index(*, checked: bool = True) -> str:
    """``indicator_counts`` with the period bounds as parameters."""
    import ibis

    from cchc.service.index import dossiers_table, indicator_counts

    expr = indicator_counts(dossiers_table(), Period("", _START, _END), checked=checked)
    return _parameterise_bounds(str(ibis.to_sql(expr, dialect="duckdb")))


def _compile_ledger_invalid() -> str:
    """``ledger_invalid``: no parameter, the whole ledger."""
    import ibis

    from cchc.service.index import dossiers_table, ledger_invalid

    return str(ibis.to_sql(ledger_invalid(dossiers_table()), dialect="duckdb"))


_DAYS_OFF: Final = (dt.date(1111, 3, 3), dt.date(1111, 4, 4))
_LAST_WORKING_DAY: Final = dt.date(1111, 5, 5)
_OPEN_SECOND: Final = 11111
_CLOSE_SECOND: Final = 22222


def _compile_integrity() -> str:
    """``integrity.summary`` with the codes; period and calendar facts as parameters."""
    import ibis

    from cchc.service.index import dossiers_table
    from cchc.service.integrity import CalendarFacts, summary

    facts = CalendarFacts(_DAYS_OFF, _LAST_WORKING_DAY, _OPEN_SECOND, _CLOSE_SECOND)
    expr = summary(dossiers_table(), Period("", _START, _END), facts, with_codes=True)
    sql = _parameterise_bounds(str(ibis.to_sql(expr, dialect="duckdb")))
    days = r",\s*".join(re.escape(f"MAKE_DATE({d.year}, {d.month}, {d.day})") for d in _DAYS_OFF)
    sql, found = re.subn(
        rf"IN \(\s*{days}\s*\)", "IN (SELECT UNNEST(CAST($days_off AS DATE[])))", sql
    )
    if found != 1:
        raise RuntimeError("Ibis no longer writes the days off as IN (...); update compiled.py")
    last = _LAST_WORKING_DAY
    sql = _replace(
        sql, f"MAKE_DATE({last.year}, {last.month}, {last.day})", "CAST($last_working_day AS DATE)"
    )
    for name, value in (("$open_second", _OPEN_SECOND), ("$close_second", _CLOSE_SECOND)):
        sql, found = re.subn(rf"\b{value}\b", f"CAST({name} AS BIGINT)", sql)
        if found != 1:
            raise RuntimeError(f"Ibis no longer writes {value} once; update compiled.py")
    return sql


_INDEX_SOURCES: Final = ("index.py", "schema.py", "period.py", "compiled.py")
INDEX: Final = Compiled("index_duckdb.sql", _INDEX_SOURCES, _compile_index)
INDEX_UNCHECKED: Final = Compiled(
    "index_unchecked_duckdb.sql", _INDEX_SOURCES, lambda: _compile_index(checked=False)
)
LEDGER_INVALID: Final = Compiled(
    "ledger_invalid_duckdb.sql", _INDEX_SOURCES, _compile_ledger_invalid
)
INTEGRITY: Final = Compiled(
    "integrity_duckdb.sql",
    ("integrity.py", "index.py", "schema.py", "period.py", "compiled.py"),
    _compile_integrity,
)
SHIPPED: Final = (INDEX, INDEX_UNCHECKED, LEDGER_INVALID, INTEGRITY)


if __name__ == "__main__":
    for compiled in SHIPPED:
        compiled.write()
        print(f"wrote {compiled.path}")
