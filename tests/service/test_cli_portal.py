"""`cchc service portal`, `reconcile` and `whatif`: outputs, numbers as numbers, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from ledger_builders import dossier, ledger
from openpyxl import load_workbook
from typer.testing import CliRunner

from cchc.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "portal766" / "2026-Q3"
ALL = [str(p) for p in sorted(FIXTURES.glob("*.json"))]


def test_portal_json_has_our_scores_and_every_published_point(tmp_path: Path) -> None:
    result = runner.invoke(app, ["service", "portal", *ALL, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    unit = next(u for u in doc["units"] if u["unit_code"] == "H44.07")
    assert unit["indicators"]["2.1"] == {"numerator": 998, "denominator": 1271, "rate": 0.7852, "points": 15.7, "max": 20.0}
    statuses = {p["status"] for p in doc["published"]}
    assert statuses == {"khớp", "không tính lại"}


def test_portal_counts_output_is_the_counts_interchange() -> None:
    result = runner.invoke(app, ["service", "portal", *ALL, "--format", "counts"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "unit_code,unit_name,indicator,numerator,denominator"
    assert "H44.07,Sở Công Thương - Tỉnh Phú Thọ,2.1,998,1271" in lines


def test_portal_xlsx_keeps_numbers_as_numbers(tmp_path: Path) -> None:
    out = tmp_path / "so-sanh.xlsx"
    result = runner.invoke(app, ["service", "portal", *ALL, "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "H44.07" and r[3] == "2.1")
    assert row[4:8] == (15.7, 15.7, 0, 20)


def test_a_bad_portal_file_exits_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "tai-ve.json"
    bad.write_text('{"data": {"items": []}}', "utf-8")
    result = runner.invoke(app, ["service", "portal", str(bad)])
    assert result.exit_code == 2
    assert "tai-ve.json" in result.stderr and "Lỗi" in result.stderr
    assert runner.invoke(app, ["service", "portal", *ALL, "--format", "xlsx"]).exit_code == 2


def test_reconcile_against_the_portal_in_json_and_xlsx(tmp_path: Path) -> None:
    rows = [
        dossier(dossier_code=f"BCT-260801-{i:04d}", unit_code="BCT", received_at="2026-08-01 08:00",
                due_at="2026-08-20 17:00", finished_at="2026-08-05 10:00")
        for i in range(1, 4)
    ]
    path = tmp_path / "so.parquet"
    pq.write_table(ledger(rows), path)
    args = ["service", "reconcile", str(path), *ALL, "--period", "2026-Q3", "--map", "BCT=H44.07"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    line = next(x for x in doc["lines"] if x["indicator"] == "2.1" and x["unit_code"] == "BCT")
    assert line["ours"] == {"numerator": 3, "denominator": 3}
    assert line["portal"] == {"numerator": 998, "denominator": 1271}
    assert line["difference"] == {"numerator": -995, "denominator": -1268}
    assert line["status"] == "Cổng có, sổ của đơn vị không có (chưa nhập)"
    out = tmp_path / "doi-soat.xlsx"
    assert runner.invoke(app, [*args, "--format", "xlsx", "--output", str(out)]).exit_code == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "BCT" and r[3] == "2.1")
    assert row[4:10] == (3, 998, -995, 3, 1271, -1268)
    bad = runner.invoke(app, [*args[:-2], "--map", "BCT"])
    assert bad.exit_code == 2 and "--map" in bad.stderr


def test_whatif_gain_and_add() -> None:
    result = runner.invoke(app, ["service", "whatif", *ALL, "--unit", "H44.07", "--gain", "1,5", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    per = [o["points_per_dossier"] for o in doc["options"]]
    assert per == sorted(per, reverse=True) and all(o["gain"] >= 1.5 for o in doc["options"])
    changed = runner.invoke(app, ["service", "whatif", *ALL, "--unit", "H44.07", "--add", "2.1=50"])
    assert changed.exit_code == 0
    assert "2.1: 15,70 → 16,49 điểm (+0,79)" in changed.stdout
    for wrong in (["--add", "2.1=x"], [], ["--gain", "abc"], ["--add", "2.1=300"]):
        failed = runner.invoke(app, ["service", "whatif", *ALL, "--unit", "H44.07", *wrong])
        assert failed.exit_code == 2, wrong
        assert "Lỗi" in failed.stderr


def test_score_accepts_the_portals_own_files_and_gives_the_published_points() -> None:
    result = runner.invoke(app, ["service", "score", *ALL, "--format", "json"])
    assert result.exit_code == 0, result.output
    units = {u["unit_code"]: u for u in json.loads(result.stdout)["units"]}
    assert units["H44.07"]["indicators"]["5.4"]["points"] == 5.23  # published 5,23
    assert units["H44.100"]["groups"]["4"]["points"] == 6.68  # published 6,68
    assert units["H44.07"]["indicators"]["2.1"] == {
        "numerator": 998, "denominator": 1271, "rate": 0.7852, "points": 15.7, "max": 20.0,
    }


def test_score_and_whatif_read_a_counts_file_and_a_portal_excel_export(tmp_path: Path) -> None:
    counts = tmp_path / "so-lieu.csv"
    counts.write_text("unit_code,unit_name,indicator,numerator,denominator\nBCT,Sở Công Thương,2.1,998,1271\n", "utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Mã chỉ tiêu", "Tử số", "Mẫu số", "Điểm"])
    sheet.append(["BCT", "Sở Công Thương", "DOSSIER_RECEIVING_SATISFACTION", 998, 1271, 5.23])
    export = tmp_path / "xuat.xlsx"
    book.save(export)
    result = runner.invoke(app, ["service", "score", str(counts), str(export), "--format", "json"])
    assert result.exit_code == 0, result.output
    [unit] = json.loads(result.stdout)["units"]
    assert set(unit["indicators"]) == {"2.1", "5.4"}
    plan = runner.invoke(app, ["service", "whatif", str(counts), "--unit", "BCT", "--add", "2.1=50"])
    assert plan.exit_code == 0 and "15,70 → 16,49" in plan.stdout
    twice = runner.invoke(app, ["service", "score", str(counts), str(counts)])
    assert twice.exit_code == 2 and "hai tệp" in twice.stderr


def test_tables_name_units_and_say_when_nothing_differs() -> None:
    result = runner.invoke(app, ["service", "portal", *ALL, "--only-differences"])
    assert result.exit_code == 0
    assert "Không có điểm công bố nào khác điểm tính lại." in result.stdout
    table = runner.invoke(app, ["service", "portal", str(FIXTURES / "dvc-progress-tree.json")])
    assert "H44.07 (Sở Công Thương - Tỉnh Phú Thọ)" in " ".join(table.stdout.split())
