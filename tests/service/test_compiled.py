"""The shipped DuckDB SQL is exactly what Ibis compiles from the index expressions."""

from __future__ import annotations

import pyarrow as pa
import pytest
from ledger_builders import dossier, ledger

from cchc.service import compiled
from cchc.service.engines import compute_index, duckdb_from_arrow, duckdb_index


@pytest.mark.parametrize("shipped", compiled.SHIPPED, ids=lambda c: c.file_name)
def test_shipped_sql_is_current(shipped):
    header, _, body = shipped.path.read_text("utf-8").partition("\n")
    assert header == "-- fingerprint: " + shipped.fingerprint(), (
        f"src/cchc/service/data/{shipped.file_name} is stale: run `python -m cchc.service.compiled`"
    )
    assert body == shipped.compile()


@pytest.mark.parametrize("shipped", compiled.SHIPPED, ids=lambda c: c.file_name)
def test_a_stale_file_is_never_used(shipped, tmp_path):
    stale = tmp_path / shipped.file_name
    stale.write_text("-- fingerprint: old\nSELECT 'wrong' AS unit_code", encoding="utf-8")
    assert shipped.template(stale) == shipped.compile()


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


def test_the_calendar_and_the_period_are_parameters_not_frozen_values():
    sql = compiled.INTEGRITY.compile()
    for name in ("$start", "$end", "$days_off", "$last_working_day", "$open_second", "$close_second"):
        assert name in sql
    assert "1111" not in sql and "2222" not in sql and "MAKE_DATE" not in sql


def _integrity_ledger() -> pa.Table:
    rows = [
        # Every exact rule, in Q1 and in Q3, in two units.
        dossier(supplement_requested_at="2025-01-10 17:00:01", supplement_count=1),
        dossier(supplement_requested_at="2025-01-10 09:00", supplement_count=1),
        dossier(due_at="2025-01-01 08:00", finished_at="2025-01-06 10:00"),
        dossier(unit_code="U2", received_at="2025-07-01 08:00", due_at="2025-07-08 17:00",
                supplement_requested_at="2025-07-08 08:00", supplement_count=1),
        dossier(unit_code="U2", received_at="2025-07-01 08:00", due_at="2025-07-08 17:00",
                finished_at="2025-06-30 08:00"),
        # The same code in 2024 and in 2025, in two units: a duplicate in every period.
        dossier(dossier_code="DUP-1", received_at="2024-06-03 08:00", due_at="2024-06-10 17:00",
                finished_at="2024-06-04 08:00"),
        dossier(dossier_code="DUP-1", unit_code="U2"),
        # Signals: a holiday (01/01), a Saturday night, Tết (28/01), exactly at the
        # appointment, the last working day of Q1 (31/03) and of the year (31/12).
        dossier(received_at="2024-12-30 08:00", finished_at="2025-01-01 10:00"),
        dossier(finished_at="2025-01-04 21:00"),
        dossier(received_at="2025-01-20 08:00", due_at="2025-02-10 17:00", finished_at="2025-01-28 10:00"),
        dossier(finished_at="2025-01-10 17:00"),
        dossier(received_at="2025-03-24 08:00", due_at="2025-04-02 17:00", finished_at="2025-03-31 16:00"),
        dossier(unit_code="U2", received_at="2025-12-22 08:00", due_at="2026-01-05 17:00",
                finished_at="2025-12-31 07:30"),
    ]
    rows += [dossier(unit_code="U2", finished_at="2025-01-06 10:00") for _ in range(3)]
    return ledger(rows)


def test_the_integrity_fast_path_equals_the_ibis_backend_on_every_kind_of_period():
    from cchc.service.integrity import duckdb_integrity, integrity

    table = _integrity_ledger()
    backend = duckdb_from_arrow(table)
    for period in ("2025", "2025-H1", "2025-H2", "2025-Q1", "2025-Q3", "2025-Q4", "2025-01", "2025-12", "2024"):
        fast = duckdb_integrity(table, period)
        assert fast is not None
        assert fast.to_dict() == integrity(backend, period).to_dict(), period
    q1 = duckdb_integrity(table, "2025-Q1")
    assert q1 is not None
    assert all(q1.totals[rule] > 0 for rule in q1.totals)  # the comparison above is not of zeros
    u1 = q1.units[0]
    assert {name: s.count for name, s in u1.signals.items()} == {
        "finished_last_working_day": 1, "finished_off_hours": 3, "finished_at_appointment": 1,
    }


def test_the_integrity_fast_path_reads_parquet_without_importing_ibis(tmp_path):
    import json
    import subprocess
    import sys

    import pyarrow.parquet as pq

    path = tmp_path / "ledger.parquet"
    pq.write_table(_integrity_ledger(), path)
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from cchc.service.integrity import duckdb_integrity\n"
        "report = duckdb_integrity(Path(sys.argv[1]), '2025-Q1')\n"
        "print(json.dumps({'ibis': 'ibis' in sys.modules, 'totals': report.totals}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    assert out["ibis"] is False
    assert out["totals"]["duplicate_code"] == 1  # DUP-1 of 2025 (U2), its twin is of 2024
    from cchc.service.integrity import integrity

    assert out["totals"] == integrity(duckdb_from_arrow(_integrity_ledger()), "2025-Q1").totals
