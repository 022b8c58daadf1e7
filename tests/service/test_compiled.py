"""The shipped DuckDB SQL is exactly what Ibis compiles from the index expressions."""

from __future__ import annotations

import pyarrow as pa
from ledger_builders import dossier, ledger

from cchc.service import compiled
from cchc.service.engines import compute_index, duckdb_from_arrow, duckdb_index


def test_shipped_sql_is_current():
    header, _, body = compiled.SQL_FILE.read_text("utf-8").partition("\n")
    assert header == "-- fingerprint: " + compiled.fingerprint(), (
        "src/cchc/service/data/index_duckdb.sql is stale: run `python -m cchc.service.compiled`"
    )
    assert body == compiled.compile_template()


def test_a_stale_file_is_never_used(tmp_path, monkeypatch):
    stale = tmp_path / "index_duckdb.sql"
    stale.write_text("-- fingerprint: old\nSELECT 'wrong' AS unit_code", encoding="utf-8")
    monkeypatch.setattr(compiled, "SQL_FILE", stale)
    assert compiled.duckdb_template() == compiled.compile_template()


def test_parameterised_sql_equals_the_ibis_backend_on_every_kind_of_period():
    rows = [
        dossier(finished_at="2025-01-08 10:00"),
        dossier(received_at="2024-12-20 09:00", due_at="2025-01-06 17:00", finished_at="2025-01-07 08:00"),
        dossier(received_at="2025-06-30 16:00", due_at="2025-07-07 17:00"),
        dossier(received_at="2025-12-31 23:59", due_at="2026-01-08 17:00", unit_code="U2"),
    ]
    table: pa.Table = ledger(rows)
    backend = duckdb_from_arrow(table)
    for period in ("2025", "2025-H1", "2025-H2", "2025-Q1", "2025-Q3", "2025-01", "2025-12", "2024"):
        fast = duckdb_index(table, period)
        assert fast is not None
        assert fast.to_dict() == compute_index(backend, period).to_dict()
