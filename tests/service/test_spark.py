"""The same Ibis expressions on PySpark (local mode) give the dossiers counted by hand and
DuckDB's numbers exactly (a standalone cluster: test_spark_cluster.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hand_index import hand_index
from ledger_builders import ledger
from test_engines import edge_rows

from cchc.service.engines import compute_index, duckdb_index, spark_ledger
from cchc.service.generator import generate_ledger
from cchc.service.quality import quality
from cchc.service.schema import COLUMN_NAMES

pytestmark = pytest.mark.spark
#: A year, a quarter and a month; fewer than the DuckDB/PostgreSQL tests because each
#: Spark job costs seconds.
PERIODS = ["2024", "2025-Q4", "2025-02"]


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory) -> Any:
    generated = generate_ledger(3000, seed=5, start=dt.date(2024, 6, 1), end=dt.date(2025, 12, 31))
    table = pa.concat_tables([generated.select(list(COLUMN_NAMES)).cast(ledger([]).schema), ledger(edge_rows())])
    path = tmp_path_factory.mktemp("spark") / "ledger.parquet"
    pq.write_table(table, path)
    return path


def test_spark_and_duckdb_agree_on_every_period(spark, sample_path):
    con = spark_ledger(spark, sample_path)
    rows = pq.read_table(sample_path).to_pylist()
    for period in PERIODS:
        expected = duckdb_index(sample_path, period)
        assert expected is not None and expected.units
        assert expected.to_dict() == hand_index(rows, period)
        assert compute_index(con, period).to_dict() == expected.to_dict()


def test_spark_and_duckdb_agree_on_the_circular_01_score(spark, sample_path):
    from cchc.service.engines import duckdb_from_arrow

    con = spark_ledger(spark, sample_path)
    local = duckdb_from_arrow(pq.read_table(sample_path))
    for period in PERIODS[:2]:
        assert quality(con, period) == quality(local, period)


def test_the_cli_runs_on_spark(sample_path):
    import json

    from typer.testing import CliRunner

    from cchc.cli import app

    result = CliRunner().invoke(app, ["service", "index", str(sample_path), "--period", "2025-Q1", "--engine", "spark"])
    assert result.exit_code == 0, result.output
    expected = duckdb_index(sample_path, "2025-Q1")
    assert expected is not None
    assert json.loads(result.stdout) == expected.to_dict()


def test_the_quality_command_runs_on_spark(sample_path):
    import json

    from typer.testing import CliRunner

    from cchc.cli import app
    from cchc.service.engines import duckdb_from_arrow
    from cchc.service.quality import to_dict

    args = ["service", "quality", str(sample_path), "--period", "2025-Q1", "--engine", "spark", "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    expected = quality(duckdb_from_arrow(pq.read_table(sample_path)), "2025-Q1")
    assert expected
    assert json.loads(result.stdout) == to_dict("2025-Q1", expected)
