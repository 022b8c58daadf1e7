"""`cchc service import` and `cchc service index`: the contract JSON, formats, errors (exit 2)."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from ledger_builders import dossier, ledger, run_index
from openpyxl import load_workbook
from typer.testing import CliRunner

from cchc.cli import app

runner = CliRunner()


def sample(tmp_path):
    rows = [
        dossier(unit_code="A", finished_at="2025-01-08 10:00", channel="online", online_eligible=True, has_fee=True, paid_online=True),
        dossier(unit_code="A", finished_at="2025-01-20 10:00", rating="dislike"),
        dossier(unit_code="B", finished_at="2025-01-08 10:00", digitised=True),
        dossier(unit_code="B", received_at="2024-12-20 09:00", due_at="2025-01-06 17:00", finished_at="2025-01-03 10:00"),
    ]
    path = tmp_path / "ledger.parquet"
    pq.write_table(ledger(rows), path)
    return rows, path


def test_index_json_follows_the_contract_exactly(tmp_path):
    rows, path = sample(tmp_path)
    result = runner.invoke(app, ["service", "index", str(path), "--period", "2025-Q1"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"period", "units"} and doc["period"] == "2025-Q1"
    for unit in doc["units"]:
        assert set(unit) == {"unit_code", "rank", "points", "indicators"}
        assert list(unit["indicators"]) == ["2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "5.4"]
        for r in unit["indicators"].values():
            assert set(r) == {"numerator", "denominator", "rate", "points"}
            if r["denominator"] == 0:
                assert r["rate"] is None and r["points"] == 0  # the portal gives 0 points
            else:
                assert r["rate"] == round(r["numerator"] / r["denominator"], 4)
        total = sum(r["points"] for r in unit["indicators"].values())
        assert abs(unit["points"] - total) < 1e-9
    assert doc == run_index(rows).to_dict()


def test_csv_and_spreadsheet_inputs_give_the_same_index_as_parquet(tmp_path):
    rows, path = sample(tmp_path)
    csv_path = tmp_path / "ledger.csv"
    ledger(rows).to_pandas().to_csv(csv_path, index=False)
    parquet = runner.invoke(app, ["service", "index", str(path), "--period", "2025-Q1"])
    from_csv = runner.invoke(app, ["service", "index", str(csv_path), "--period", "2025-Q1"])
    assert from_csv.exit_code == 0, from_csv.output
    assert json.loads(from_csv.stdout) == json.loads(parquet.stdout)


def test_csv_xlsx_and_table_formats(tmp_path):
    _, path = sample(tmp_path)
    out = runner.invoke(app, ["service", "index", str(path), "--period", "2025-Q1", "--format", "csv"])
    header, *lines = out.stdout.strip().splitlines()
    assert header.startswith("period,unit_code,rank,points,") and len(lines) == 2
    assert "2.1_rate" in header and "group_2_points" in header
    xlsx = tmp_path / "index.xlsx"
    out = runner.invoke(app, ["service", "index", str(path), "--period", "2025-Q1", "--format", "xlsx", "--output", str(xlsx)])
    assert out.exit_code == 0, out.output
    sheet = load_workbook(xlsx).active
    assert sheet.cell(1, 2).value == "Mã đơn vị"
    assert isinstance(sheet.cell(2, 4).value, float | int)  # numbers stored as numbers
    table = runner.invoke(app, ["service", "index", str(path), "--period", "2025-Q1", "--format", "table"])
    assert "Hạng" in table.stdout and "không có dữ liệu" in table.stdout


def test_import_writes_the_interchange_parquet(tmp_path):
    rows, _ = sample(tmp_path)
    csv_path = tmp_path / "in.csv"
    ledger(rows).to_pandas().to_csv(csv_path, index=False)
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["service", "import", str(csv_path), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Đã ghi 4 hồ sơ" in result.stdout
    assert pq.read_table(out).to_pylist() == ledger(rows).to_pylist()


def test_errors_exit_2_with_a_message_and_no_traceback(tmp_path):
    _, path = sample(tmp_path)
    not_parquet = tmp_path / "damaged.parquet"
    not_parquet.write_text("not parquet", encoding="utf-8")
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("dossier_code,unit_code,procedure_code,received_at,status,channel\nX-250101-0001,U,P,hôm qua,received,counter\n", encoding="utf-8")
    cases = [
        (["service", "index", str(path), "--period", "2025-Q5"], "kỳ '2025-Q5' không hợp lệ"),
        (["service", "index", str(tmp_path / "nope.parquet"), "--period", "2025"], "không tồn tại"),
        (["service", "index", str(path), "--period", "2025", "--format", "xlsx"], "--output"),
        (["service", "index", str(bad_csv), "--period", "2025"], "dòng 2, cột received_at"),
        (["service", "import", str(bad_csv), "--output", str(tmp_path / "o.parquet")], "dòng 2, cột received_at"),
        (["service", "index", str(not_parquet), "--period", "2025"], "không đọc được"),
        (["service", "index", str(path), "--period", "2025", "--format", "xlsx", "--output", str(tmp_path / "no" / "x.xlsx")], "không tồn tại"),
        (["service", "import", str(path), "--output", str(bad_csv / "o.parquet")], "không ghi được"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "o.parquet").exists()


def test_engine_spark_without_pyspark_exits_2_with_the_install_command(tmp_path, monkeypatch):
    import sys

    _, path = sample(tmp_path)
    # Simulate an installation without the extra: importing pyspark fails.
    for name in [m for m in sys.modules if m == "pyspark" or m.startswith("pyspark.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    for command in ("index", "quality"):
        result = runner.invoke(app, ["service", command, str(path), "--period", "2025-Q1", "--engine", "spark"])
        assert result.exit_code == 2, result.output
        assert "pip install 'cchc[spark]'" in result.stderr
        assert "Traceback" not in result.output


def test_import_refuses_dates_outside_the_calendars_years(tmp_path):
    """Year 1 or 9999 parsed as dates and were written; every page computing with them failed."""
    path = tmp_path / "far.csv"
    path.write_text(
        "dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"
        "A-250101-0001,A,P,0001-01-01 09:00,2025-01-03 17:00,received,counter\n"
        "A-250101-0002,A,P,2025-01-01 09:00,9999-12-31 17:00,received,counter\n"
        "A-250101-0003,A,P,2025-01-01 09:00,2300-12-31 17:00,received,counter\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["service", "import", str(path), "--output", str(tmp_path / "o.parquet")])
    assert result.exit_code == 2, result.output
    assert "dòng 2, cột received_at" in result.stderr and "dòng 3, cột due_at" in result.stderr
    assert "ngoài phạm vi lịch làm việc (1900–2300)" in result.stderr
    assert "dòng 4" not in result.stderr  # the calendar's last year is still accepted
    assert not (tmp_path / "o.parquet").exists()
