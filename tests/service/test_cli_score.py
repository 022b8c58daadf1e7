"""`cchc service score COUNTS`: the 766 scorer on a counts file, as the portal scores it."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from test_portal766_published import (
    METRIC_FILES,
    PAYMENT_FIELDS,
    PAYMENT_FILES,
    PROGRESS_FILES,
    _metric_units,
    _tree_units,
)
from typer.testing import CliRunner

from cchc.cli import app

runner = CliRunner()
HEADER = ["unit_code", "unit_name", "indicator", "numerator", "denominator"]


def write_counts(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def score(*args: str) -> dict:
    result = runner.invoke(app, ["service", "score", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_follows_the_issue_contract(tmp_path):
    path = write_counts(tmp_path / "counts.csv", [
        ["H44.03", "Ban quản lý các khu công nghiệp", "2.1", 486, 588],
        ["H44.03", "Ban quản lý các khu công nghiệp", "SO_HOA_GIAY_TO_GIAI_QUYET", 312, 588],
        ["H44.03", "Ban quản lý các khu công nghiệp", "ORIGINAL_RESULT_AVAILABLE", 385, 588],
        ["H44.01", "Văn phòng UBND tỉnh", "2.1", 0, 0],
        ["H44.01", "Văn phòng UBND tỉnh", "5.2", 0, 0],
    ])  # fmt: skip
    doc = score(str(path), "--period", "2026-08")
    assert list(doc) == ["units"]
    first, second = doc["units"]
    assert set(first) == {"unit_code", "unit_name", "indicators", "groups", "total_points", "total_max", "rank"}
    assert first["unit_code"] == "H44.03" and first["unit_name"] == "Ban quản lý các khu công nghiệp"
    # Only what the file gives, under the indicator ids; published: 16,53 / 2,12 / 3,93.
    assert first["indicators"] == {
        "2.1": {"numerator": 486, "denominator": 588, "rate": 0.8265, "points": 16.53, "max": 20.0},
        "4.1": {"numerator": 385, "denominator": 588, "rate": 0.6548, "points": 3.93, "max": 6.0},
        "4.2": {"numerator": 312, "denominator": 588, "rate": 0.5306, "points": 2.12, "max": 4.0},
    }
    assert first["groups"] == {"2": {"points": 16.53, "max": 20.0}, "5": {"points": 6.05, "max": 10.0}}
    assert (first["total_points"], first["total_max"], first["rank"]) == (22.58, 30.0, 1)
    # 0/0: no rate, 0 points for 2.1, the full 6 for 5.2 (a unit without feedback).
    assert second["indicators"]["2.1"] == {"numerator": 0, "denominator": 0, "rate": None, "points": 0.0, "max": 20.0}
    assert second["indicators"]["5.2"]["points"] == 6.0
    assert second["groups"] == {"2": {"points": 0.0, "max": 20.0}, "6": {"points": 6.0, "max": 6.0}}
    assert second["rank"] == 2  # 6 of 26 against 22,58 of 30


def _published_counts(
    period: str,
) -> tuple[list[list[object]], dict[tuple[str, str], Decimal], dict[str, Decimal]]:
    """Counts of every unit and indicator with counts in the published responses of a period."""
    rows: list[list[object]] = []
    points: dict[tuple[str, str], Decimal] = {}
    payment: dict[str, Decimal] = {}
    for path in [p for p in METRIC_FILES if p.parent.name == period]:
        for unit in _metric_units(path):
            for m in unit["metrics"]:
                if m["numerator"] is None:
                    continue
                rows.append([unit["departmentCode"], unit["departmentName"], m["code"], m["numerator"], m["denominator"]])
                points[(unit["departmentCode"], m["code"])] = Decimal(str(m["score"] or 0))
    for path in [p for p in PROGRESS_FILES if p.parent.name == period]:
        for unit in _tree_units(path):
            rows.append([unit["departmentCode"], unit["departmentName"], "2.1", unit["totalOnTime"], unit["totalReceived"]])
            points[(unit["departmentCode"], "2.1")] = Decimal(str(unit["score"]))
    for path in [p for p in PAYMENT_FILES if p.parent.name == period]:
        for unit in _tree_units(path):
            for key, (num, den) in PAYMENT_FIELDS.items():
                rows.append([unit["departmentCode"], unit["departmentName"], key, unit[num], unit[den]])
            payment[unit["departmentCode"]] = Decimal(str(unit["score"]))
    return rows, points, payment


@pytest.mark.parametrize(("period", "units_at_least", "points_at_least"), [("2026-08", 160, 500), ("2026-Q3", 55, 150)])
def test_the_command_reproduces_every_published_point_of_a_real_province(
    tmp_path, period, units_at_least, points_at_least
):
    rows, published, payment = _published_counts(period)
    doc = score(str(write_counts(tmp_path / f"phu-tho-{period}.csv", rows)), "--period", period)
    from cchc.service.portal766 import indicator

    units = {u["unit_code"]: u for u in doc["units"]}
    assert len(units) >= units_at_least and len(published) >= points_at_least
    for (unit, code), expected in published.items():
        got = units[unit]["indicators"][indicator(code).id]["points"]
        assert Decimal(str(got)) == expected, (unit, code)
    for unit, expected in payment.items():
        assert Decimal(str(units[unit]["groups"]["4"]["points"])) == expected, unit


def test_bad_rows_exit_2_naming_file_row_and_column_and_write_nothing(tmp_path):
    path = write_counts(tmp_path / "bad.csv", [
        ["U1", "Xã A", "2.1", 5, 10],
        ["U1", "Xã A", "9.9", 1, 2],          # unknown indicator
        ["", "Xã B", "2.1", 1, 2],            # no unit
        ["U2", "Xã B", "2.1", "năm", 10],     # not a number
        ["U2", "Xã B", "4.2", 3, ""],         # empty denominator
        ["U1", "Xã A", "2.1", 6, 10],         # the same unit and indicator again
        ["U3", "Xã C", "4.1", "2,5", 10],     # not a whole number
        ["U3", "Xã C", "4.3", -1, 10],        # negative
    ])  # fmt: skip
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["service", "score", str(path), "--output", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for where in ("dòng 3, cột indicator", "dòng 4, cột unit_code", "dòng 5, cột numerator",
                  "dòng 6, cột denominator", "dòng 7, cột indicator", "dòng 8, cột numerator",
                  "dòng 9, cột numerator"):  # fmt: skip
        assert f"{path}, {where}" in result.stderr, where
    assert "'9.9'" in result.stderr and "dòng 2" in result.stderr
    assert not out.exists()


def test_a_missing_column_and_a_missing_file_exit_2(tmp_path):
    path = write_counts(tmp_path / "c.csv", [["U1", "2.1", 1, 2]], header=["unit_code", "indicator", "numerator", "mau_so"])
    result = runner.invoke(app, ["service", "score", str(path)])
    assert result.exit_code == 2 and "cột denominator: thiếu cột bắt buộc" in result.stderr
    result = runner.invoke(app, ["service", "score", str(tmp_path / "none.csv")])
    assert result.exit_code == 2 and "không tồn tại" in result.stderr
    result = runner.invoke(app, ["service", "score", str(path), "--period", "2026-13"])
    assert result.exit_code == 2 and "2026-13" in result.stderr


def test_xlsx_in_and_out_with_numbers_as_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Unit_Code", "Unit_Name", "Indicator", "Numerator", "Denominator"])
    sheet.append(["H44.100", "UBND Phường Việt Trì", "2.1", 2348, 2971])
    sheet.append(["H44.100", "UBND Phường Việt Trì", "DOSSIER_RECEIVING_SATISFACTION", 2345, 2972])
    source = tmp_path / "counts.xlsx"
    book.save(source)
    target = tmp_path / "scores.xlsx"
    result = runner.invoke(app, ["service", "score", str(source), "--period", "2026-08",
                                 "--format", "xlsx", "--output", str(target)])  # fmt: skip
    assert result.exit_code == 0, result.output
    ws = load_workbook(target).active
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Điểm tối đa"]
    assert "Nhóm 2: Tiến độ giải quyết (20 điểm)" in header
    row = [c.value for c in ws[2]]
    assert row[:3] == [1, "H44.100", "UBND Phường Việt Trì"]
    assert row[3] == pytest.approx(21.07)  # 15,81 + 5,26, both published
    points = header.index("2.1 Hồ sơ giải quyết trước hạn, đúng hạn – điểm")
    assert isinstance(row[points], float) and row[points] == pytest.approx(15.81)


def test_csv_and_table_outputs(tmp_path):
    path = write_counts(tmp_path / "c.csv", [["H44.104", "UBND xã Hy Cương", "2.1", 854, 1270]])
    out = runner.invoke(app, ["service", "score", str(path), "--period", "2026-08", "--format", "csv"])
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("period,unit_code,unit_name,rank,total_points,total_max,group,")
    assert lines[1].startswith("2026-08,H44.104,UBND xã Hy Cương,1,13.45,20.0,2,13.45,20.0,2.1,854,1270,0.6724,13.45,20.0")
    table = runner.invoke(app, ["service", "score", str(path), "--period", "2026-08", "--format", "table"])
    assert table.exit_code == 0
    assert "UBND xã Hy Cương (H44.104)" in table.stdout and "13,45/20" in table.stdout
    assert "Tiến độ" in table.stdout and "2026-08" in table.stdout
