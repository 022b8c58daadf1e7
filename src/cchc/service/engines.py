"""Binding the index expressions to an engine: DuckDB (default), PostgreSQL, SQLite, PySpark.

The expressions of ``cchc.service.index`` are written against an unbound table named
``dossiers`` (or any name you pass); each engine only has to expose a table or view of that
name with the interchange columns, and ``compute_index`` runs the one aggregate query there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc.service.index import ServiceIndex, dossiers_table, indicator_counts, score
from cchc.service.period import Period, parse_period
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
    if isinstance(period, str):
        period = parse_period(period)
    expr = indicator_counts(dossiers_table(table), period)
    rows = con.to_pyarrow(expr).to_pylist()
    invalid = sum(int(r.pop("invalid") or 0) for r in rows)
    if invalid:
        raise LedgerError(
            f"{invalid} hồ sơ trong kỳ có trạng thái, kênh nộp hoặc mã đơn vị không hợp lệ; "
            "hãy kiểm tra bằng 'cchc service import'"
        )
    return score(rows, period.label)


_DUCK_TYPES = {
    "string": {"VARCHAR"},
    "timestamp": {"TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"},
    "boolean": {"BOOLEAN"},
    "int64": {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"},
}


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_ledger(path: Path, table: str = "dossiers") -> ibis.backends.BaseBackend | None:
    """An in-process DuckDB with a view over an interchange Parquet file, read in place.

    Returns None when the file is not already in the interchange types (say, a portal
    export or string timestamps): the caller then goes through the importer. Only DuckDB's
    built-in Parquet reader is used, no extension is downloaded.
    """
    import ibis

    con = ibis.duckdb.connect()
    source = f"read_parquet({_sql_string(str(path))})"
    described = con.raw_sql(f"DESCRIBE SELECT * FROM {source}").fetchall()
    types = {row[0]: str(row[1]).upper() for row in described}
    for name, kind in COLUMNS:
        if types.get(name) not in _DUCK_TYPES[kind]:
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


def spark_ledger(spark: Any, path: Path | str, table: str = "dossiers") -> ibis.backends.BaseBackend:
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
