"""Binding the index expressions to an engine: DuckDB (default), PostgreSQL, SQLite, PySpark.

The expressions of ``cchc.service.index`` are written against an unbound table named
``dossiers`` (or any name you pass); each engine only has to expose a table or view of that
name with the interchange columns, and ``compute_index`` runs the one aggregate query there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc.service.index import ServiceIndex, dossiers_table, indicator_counts, score
from cchc.service.period import Period, as_period
from cchc.service.schema import COLUMNS

if TYPE_CHECKING:
    import ibis.backends
    import pyarrow as pa


class LedgerError(ValueError):
    """A ledger the index cannot read as it stands."""


def compute_index(
    con: ibis.backends.BaseBackend, period: Period | str, table: str = "dossiers"
) -> ServiceIndex:
    """Run the index on any Ibis backend holding a ``table`` with the interchange columns."""
    period = as_period(period)
    expr = indicator_counts(dossiers_table(table), period)
    return _scored(con.to_pyarrow(expr).to_pylist(), period)


def _scored(rows: list[dict[str, Any]], period: Period) -> ServiceIndex:
    # Counts run without the per-row check have no "invalid" column: nothing was invalid.
    invalid = sum(int(r.pop("invalid", 0) or 0) for r in rows)
    if invalid:
        raise LedgerError(
            f"{invalid} hồ sơ trong kỳ có trạng thái, kênh nộp hoặc mã đơn vị không hợp lệ; "
            "hãy kiểm tra bằng 'cchc service import'"
        )
    return score(rows, period.label)


def duckdb_index(source: Path | pa.Table, period: Period | str) -> ServiceIndex | None:
    """The fast path of ``cchc service index``: DuckDB queries straight over the file.

    The Ibis expressions compiled to DuckDB SQL (``cchc.service.compiled``) run on a plain
    DuckDB connection: no Ibis import when the shipped SQL is current, no backend round
    trip, one row per unit back. Returns None when a Parquet file is not in the interchange
    types, so the caller imports it first.

    The validity rule (``index.invalid_filters``) is checked over the whole ledger first,
    one condition at a time: DuckDB then skips every Parquet row group whose dictionary and
    null count already rule the condition out, so on a valid ledger the check costs almost
    nothing, and the counts run without it. A ledger with an invalid value anywhere is
    counted with the in-period check (``compiled.INDEX``), which says how many dossiers of
    the period are invalid; invalid rows outside the period do not stop the index.
    """
    from cchc.service.compiled import INDEX, INDEX_UNCHECKED, LEDGER_INVALID

    period = as_period(period)
    bounds = {"start": period.start, "end": period.end}
    with _ledger_connection(source) as con:
        if con is None:
            return None
        if any(row["rows"] for row in _rows(con, LEDGER_INVALID.template(), {})):
            rows = _rows(con, INDEX.template(), bounds)
        else:
            rows = _rows(con, INDEX_UNCHECKED.template(), bounds)
    return _scored(rows, period)


def run_compiled(
    source: Path | pa.Table, sql: str, parameters: Mapping[str, Any]
) -> list[dict[str, Any]] | None:
    """Run shipped SQL (``cchc.service.compiled``) over a ledger as the view ``dossiers`` on a
    plain DuckDB connection: a Parquet file read in place, or an Arrow table. Rows as dicts;
    None when the Parquet file is not in the interchange types (the caller imports it)."""
    with _ledger_connection(source) as con:
        return None if con is None else _rows(con, sql, parameters)


@contextmanager
def _ledger_connection(source: Path | pa.Table) -> Iterator[Any]:
    """A plain DuckDB connection with the ledger as the view ``dossiers``; None when a
    Parquet file is not in the interchange types."""
    import duckdb

    con = duckdb.connect()
    try:
        # No progress bar: stderr belongs to the CLI's own messages. The Parquet footer is
        # read once for the validity check and the counts (DuckDB checks the file's time).
        con.execute("SET enable_progress_bar = false")
        con.execute("SET parquet_metadata_cache = true")
        if isinstance(source, Path):
            relation = f"read_parquet({_sql_string(str(source))})"
            if not _has_interchange_types(con, relation):
                yield None
                return
            con.execute(f"CREATE VIEW dossiers AS SELECT * FROM {relation}")
        else:
            con.register("dossiers", source)
        yield con
    finally:
        con.close()


def _rows(con: Any, sql: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, dict(parameters)) if parameters else con.execute(sql)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_DUCK_TYPES = {
    "string": {"VARCHAR"},
    "timestamp": {"TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"},
    "boolean": {"BOOLEAN"},
    "int64": {
        "BIGINT",
        "INTEGER",
        "SMALLINT",
        "TINYINT",
        "UBIGINT",
        "UINTEGER",
        "USMALLINT",
        "UTINYINT",
    },
}


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _has_interchange_types(con: Any, relation: str) -> bool:
    described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    types = {row[0]: str(row[1]).upper() for row in described}
    return all(types.get(name) in _DUCK_TYPES[kind] for name, kind in COLUMNS)


def is_interchange_parquet(path: Path) -> bool:
    """True when a Parquet file already has every interchange column in its type."""
    import duckdb

    con = duckdb.connect()
    try:
        return _has_interchange_types(con, f"read_parquet({_sql_string(str(path))})")
    finally:
        con.close()


def duckdb_ledger(path: Path, table: str = "dossiers") -> ibis.backends.BaseBackend | None:
    """An Ibis DuckDB backend with a view over an interchange Parquet file, read in place.

    Returns None when the file is not already in the interchange types (say, a portal
    export or string timestamps). Only DuckDB's built-in Parquet reader is used, no
    extension is downloaded.
    """
    import ibis

    con = ibis.duckdb.connect()
    source = f"read_parquet({_sql_string(str(path))})"
    if not _has_interchange_types(con.con, source):
        con.disconnect()
        return None
    con.raw_sql(f'CREATE VIEW "{table}" AS SELECT * FROM {source}')
    return con


def duckdb_from_arrow(ledger: pa.Table, table: str = "dossiers") -> ibis.backends.BaseBackend:
    """An in-process DuckDB holding an already validated Arrow ledger (no copy)."""
    import ibis

    con = ibis.duckdb.connect()
    # Registered on the raw connection: a zero-copy view of the Arrow table.
    con.con.register(table, ledger)
    return con


def spark_ledger(
    spark: Any, path: Path | str, table: str = "dossiers"
) -> ibis.backends.BaseBackend:
    """Register a Parquet ledger (local, HDFS or S3 path) as a Spark view and connect Ibis.

    Spark reads naive Parquet timestamps as TIMESTAMP_NTZ; the session time zone should be
    UTC (``spark.sql.session.timeZone``) so nothing is shifted.
    """
    import ibis

    spark.read.parquet(str(path)).createOrReplaceTempView(table)
    return ibis.pyspark.connect(spark)


def local_spark_session(master: str = "local[2]") -> Any:
    """A small local SparkSession tuned for an index run (few shuffle partitions, no UI)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName("cchc-service-index")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
