"""The extended 766 index and the nine-indicator Circular 01 score: Spark gives DuckDB's numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ledger_builders import ledger

from cchc.service.catalogue_data import CatalogueEntry
from cchc.service.engines import duckdb_ledger, spark_ledger
from cchc.service.feedback import Feedback
from cchc.service.generator import generate_ledger
from cchc.service.other_indicators import extended_index
from cchc.service.quality import quality
from cchc.service.schema import COLUMN_NAMES

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Any, list[CatalogueEntry], list[Feedback]]:
    generated = generate_ledger(2000, seed=11, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30))
    table = generated.select(list(COLUMN_NAMES)).cast(ledger([]).schema)
    n = table.num_rows
    table = table.append_column("contacts", pa.array([i % 4 if i % 7 else None for i in range(n)], pa.int64()))
    table = table.append_column("agencies", pa.array([i % 3 for i in range(n)], pa.int64()))
    table = table.append_column("steps_late", pa.array([i % 5 == 0 for i in range(n)], pa.bool_()).cast(pa.int64()))
    table = table.append_column("at_one_stop", pa.array([i % 2 == 0 for i in range(n)], pa.bool_()))
    path = tmp_path_factory.mktemp("other_spark") / "ledger.parquet"
    pq.write_table(table, path)
    codes = sorted(set(table.column("procedure_code").to_pylist()))
    levels = ("full", "partial", "none")
    catalogue = [
        CatalogueEntry(code, None, i % 3 != 2, dt.date(2025, 1 + i % 6, 10), dt.date(2025, 2 + i % 6, 1),
                       dt.date(2025, 1 + i % 6, 14), i % 2 == 0, levels[i % 3], 10000 * (i % 2), i % 4 == 0)
        for i, code in enumerate(codes)
    ]
    rows = table.select(["dossier_code", "unit_code", "received_at"]).to_pylist()[::37]
    feedback = [
        Feedback(f"F{i}", r["unit_code"], r["received_at"] + dt.timedelta(days=3),
                 r["received_at"] + dt.timedelta(days=5 + 4 * (i % 6)) if i % 5 else None,
                 "complaint" if i % 2 else "suggestion", r["dossier_code"], i % 3 == 0, i % 4 == 0)
        for i, r in enumerate(rows)
    ]
    return path, catalogue, feedback


@pytest.mark.parametrize("period", ["2025-Q2"])
def test_spark_and_duckdb_agree_on_the_extended_index_and_quality(spark, inputs, period):
    path, catalogue, feedback = inputs
    duck = duckdb_ledger(path)
    assert duck is not None
    sp = spark_ledger(spark, path)
    expected = extended_index(duck, period, catalogue=catalogue, feedback=feedback).to_dict()
    assert expected["units"] and any(u["other_indicators"]["3.5b"] for u in expected["units"])
    assert extended_index(sp, period, catalogue=catalogue, feedback=feedback).to_dict() == expected
    q_duck = quality(duck, period, catalogue=catalogue, feedback=feedback)
    assert q_duck and all(len(u.means) == 9 for u in q_duck)
    assert quality(sp, period, catalogue=catalogue, feedback=feedback) == q_duck
