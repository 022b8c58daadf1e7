"""One set of Ibis expressions, the same numbers on DuckDB, SQLite and PostgreSQL.

The numbers each engine must give are the dossiers counted by hand and scored with the 766
scorer (``hand_index``), not another engine's output. Spark has its own module
(test_spark.py, marked ``spark``).
"""

from __future__ import annotations

import datetime as dt
import uuid

import ibis
import pyarrow as pa
import pytest
from hand_index import hand_index
from ledger_builders import dossier, ledger

from cchc.service.catalogue_data import CatalogueEntry
from cchc.service.engines import compute_index, duckdb_from_arrow, duckdb_index, duckdb_ledger
from cchc.service.extension import EXTENSION_COLUMNS
from cchc.service.feedback import Feedback
from cchc.service.generator import generate_ledger
from cchc.service.quality import quality
from cchc.service.schema import COLUMNS

PERIODS = ["2024", "2024-H2", "2025-Q1", "2025-02", "2025-12"]
_SQL_TYPES = {"string": "TEXT", "timestamp": "TIMESTAMP", "boolean": "BOOLEAN", "int64": "BIGINT"}


def edge_rows() -> list[dict]:
    """Hand-made dossiers at every rule's edge, in units of their own."""
    return [
        dossier(unit_code="E1", finished_at="2025-01-10 17:00"),
        dossier(unit_code="E1", received_at="2024-12-20 09:00", due_at="2025-01-06 17:00", finished_at="2025-01-07 08:00"),
        dossier(unit_code="E1", received_at="2025-03-25 08:00", due_at="2025-04-03 17:00", finished_at="2025-04-09 08:00"),
        dossier(unit_code="E2", supplement_count=1, supplement_requested_at="2025-01-03 08:00",
                supplement_completed_at="2025-01-08 08:00", finished_at="2025-01-14 09:00"),
        dossier(unit_code="E2", supplement_count=1, supplement_requested_at="2025-03-05 08:00",
                received_at="2025-03-03 08:00", due_at="2025-03-14 17:00", status="supplement_requested"),
        dossier(unit_code="E2", supplement_count=2, supplement_requested_at="2025-01-03 08:00",
                supplement_completed_at="2025-01-04 08:00", finished_at="2025-01-06 08:00", has_complaint=True),
        dossier(unit_code="E3", due_at=None, finished_at="2025-02-01 08:00", rating="dislike", online_eligible=True, channel="online"),
        # two requests, still waiting for papers at the end of 2025-Q1: overdue
        dossier(unit_code="E3", supplement_count=2, supplement_requested_at="2025-03-05 08:00",
                received_at="2025-03-03 08:00", due_at="2025-03-14 17:00", status="supplement_requested"),
        # overdue and complained about: subtracted once from 5.4
        dossier(unit_code="E3", finished_at="2025-01-20 10:00", has_complaint=True, rating="dislike"),
        # only zero denominators but 2.1 and 5.4 (carried over)
        dossier(unit_code="E4", received_at="2024-12-20 09:00", due_at="2025-01-06 17:00", finished_at="2025-01-03 10:00"),
    ]


@pytest.fixture(scope="module")
def sample() -> pa.Table:
    """Generated and edge dossiers, with the optional Circular 01 columns (some empty)."""
    generated = generate_ledger(3000, seed=11, start=dt.date(2024, 6, 1), end=dt.date(2025, 12, 31))
    table = pa.concat_tables([generated.select([n for n, _ in COLUMNS]).cast(ledger([]).schema), ledger(edge_rows())])
    n = table.num_rows
    table = table.append_column("contacts", pa.array([i % 4 if i % 7 else None for i in range(n)], pa.int64()))
    table = table.append_column("agencies", pa.array([i % 3 for i in range(n)], pa.int64()))
    table = table.append_column("steps_late", pa.array([int(i % 5 == 0) for i in range(n)], pa.int64()))
    return table.append_column("at_one_stop", pa.array([i % 2 == 0 if i % 11 else None for i in range(n)], pa.bool_()))


def quality_inputs(sample: pa.Table) -> tuple[list[CatalogueEntry], list[Feedback]]:
    """A catalogue of every procedure and a register with feedback on every 37th dossier."""
    codes = sorted(set(sample.column("procedure_code").to_pylist()))
    levels = ("full", "partial", "none")
    catalogue = [CatalogueEntry(c, None, i % 3 != 2, components_complete=i % 2 == 0, online_level=levels[i % 3])
                 for i, c in enumerate(codes)]
    rows = sample.select(["dossier_code", "unit_code", "received_at"]).to_pylist()[::37]
    feedback = [
        Feedback(f"F{i}", r["unit_code"], r["received_at"] + dt.timedelta(days=3),
                 r["received_at"] + dt.timedelta(days=5 + 4 * (i % 6)) if i % 5 else None,
                 "complaint" if i % 2 else "suggestion", r["dossier_code"], i % 3 == 0)
        for i, r in enumerate(rows)
    ]
    return catalogue, feedback


def expected(sample: pa.Table) -> dict[str, dict]:
    """The dossiers counted by hand and scored by the portal's rules, per period."""
    rows = sample.to_pylist()
    docs = {p: hand_index(rows, p) for p in PERIODS}
    assert all(len(doc["units"]) > 1 for doc in docs.values())  # nothing compared is empty
    return docs


def test_duckdb_equals_counting_by_hand(sample):
    con = duckdb_from_arrow(sample)
    for period, doc in expected(sample).items():
        assert compute_index(con, period).to_dict() == doc


def expected_quality(sample: pa.Table) -> dict[str, list]:
    con = duckdb_from_arrow(sample)
    catalogue, feedback = quality_inputs(sample)
    out = {p: quality(con, p, catalogue=catalogue, feedback=feedback) for p in PERIODS}
    assert any(u.band is not None for units in out.values() for u in units)  # all nine computed
    return out


def test_duckdb_fast_path_equals_the_ibis_backend(sample, tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "ledger.parquet"
    pq.write_table(sample, path)
    con = duckdb_ledger(path)
    assert con is not None
    for period, doc in expected(sample).items():
        assert duckdb_index(path, period).to_dict() == doc
        assert compute_index(con, period).to_dict() == doc


def test_parquet_not_in_interchange_types_is_not_read_in_place(sample, tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "strings.parquet"
    pq.write_table(sample.cast(pa.schema([pa.field(f.name, pa.string()) for f in sample.schema])), path)
    assert duckdb_index(path, "2025") is None


def test_sqlite_gives_the_same_numbers(sample, tmp_path):
    import sqlite3

    db = tmp_path / "app.sqlite3"
    with sqlite3.connect(db) as raw:
        cols = ", ".join(f"{n} {_SQL_TYPES[k]}" for n, k in COLUMNS + EXTENSION_COLUMNS)
        raw.execute(f"CREATE TABLE ledger ({cols})")
        # Django's SQLite layout: "YYYY-MM-DD HH:MM:SS" text, booleans 0/1.
        values = [
            tuple(v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v for v in row.values())
            for row in sample.to_pylist()
        ]
        raw.executemany(f"INSERT INTO ledger VALUES ({', '.join('?' * sample.num_columns)})", values)
    con = ibis.sqlite.connect(db)
    for period, doc in expected(sample).items():
        assert compute_index(con, period, table="ledger").to_dict() == doc
    catalogue, feedback = quality_inputs(sample)
    for period, units in expected_quality(sample).items():
        assert quality(con, period, table="ledger", catalogue=catalogue, feedback=feedback) == units


@pytest.mark.postgres
def test_postgresql_gives_the_same_numbers(sample, postgres_url):
    import psycopg

    table = f"dossiers_{uuid.uuid4().hex[:12]}"
    cols = ", ".join(f"{n} {_SQL_TYPES[k]}" for n, k in COLUMNS + EXTENSION_COLUMNS)
    catalogue, feedback = quality_inputs(sample)
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute(f"CREATE TABLE {table} ({cols})")
        try:
            with raw.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as copy:
                for row in sample.to_pylist():
                    copy.write_row(tuple(row.values()))
            con = ibis.connect(postgres_url)
            try:
                for period, doc in expected(sample).items():
                    assert compute_index(con, period, table=table).to_dict() == doc
                for period, units in expected_quality(sample).items():
                    assert quality(con, period, table=table, catalogue=catalogue, feedback=feedback) == units
            finally:
                con.disconnect()
        finally:
            raw.execute(f"DROP TABLE {table}")
