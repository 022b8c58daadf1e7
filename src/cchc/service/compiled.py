"""The index query as DuckDB SQL compiled from the Ibis expressions, shipped with the package.

``import ibis`` alone takes about half a second, which is most of ``cchc service index``'s
fixed cost on a 1 M-row ledger. So the DuckDB SQL that Ibis generates from
``index.indicator_counts`` is written once to ``data/index_duckdb.sql`` with the period's
bounds as parameters (``$start``, ``$end``), together with a fingerprint of the sources it
came from (the index, schema and period modules and the Ibis version). At run time a
matching fingerprint means the file is exactly what Ibis would produce now; any mismatch
(an edited module, another Ibis) recompiles through Ibis, so the shipped SQL can be stale
but never wrong. Regenerate with ``python -m cchc.service.compiled``; a test fails when it
is out of date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from importlib import metadata, resources
from pathlib import Path
from typing import Final

from cchc.service.period import Period

_SOURCES: Final = ("index.py", "schema.py", "period.py", "compiled.py")
_PARAMS: Final = {
    "$start": dt.datetime(1111, 1, 1),
    "$end": dt.datetime(2222, 2, 2),
}
_HEADER: Final = "-- fingerprint: "
SQL_FILE: Final = Path(__file__).with_name("data") / "index_duckdb.sql"


def fingerprint() -> str:
    """A hash of everything the compiled SQL depends on."""
    digest = hashlib.sha256()
    package = resources.files("cchc.service")
    for name in _SOURCES:
        digest.update(package.joinpath(name).read_bytes())
    for dist in ("ibis-framework", "sqlglot"):
        digest.update(f"{dist}=={metadata.version(dist)}".encode())
    return digest.hexdigest()


def compile_template() -> str:
    """Compile ``indicator_counts`` with Ibis and turn the period bounds into parameters."""
    import ibis

    from cchc.service.index import dossiers_table, indicator_counts

    start, end = _PARAMS["$start"], _PARAMS["$end"]
    sql = str(ibis.to_sql(indicator_counts(dossiers_table(), Period("", start, end)), dialect="duckdb"))
    for name, value in _PARAMS.items():
        literal = f"MAKE_TIMESTAMP({value.year}, {value.month}, {value.day}, 0, 0, 0.0)"
        if literal not in sql:
            raise RuntimeError(f"Ibis no longer writes timestamps as {literal}; update compiled.py")
        sql = sql.replace(literal, f"CAST({name} AS TIMESTAMP)")
    return sql


def duckdb_template() -> str:
    """The shipped SQL when it is current, else a fresh compilation."""
    try:
        header, _, body = SQL_FILE.read_text("utf-8").partition("\n")
    except OSError:
        return compile_template()
    if header == _HEADER + fingerprint():
        return body
    return compile_template()


def write_template(path: Path = SQL_FILE) -> None:
    path.write_text(_HEADER + fingerprint() + "\n" + compile_template(), encoding="utf-8")


if __name__ == "__main__":
    write_template()
    print(f"wrote {SQL_FILE}")
