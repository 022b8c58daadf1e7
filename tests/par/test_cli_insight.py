"""`cchc par robustness | gaps | whatif` from the command line."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from cchc.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["par", *args])


def test_robustness_json_is_reproducible_with_the_same_seed():
    first = _run("robustness", "--demo", "--format", "json", "--draws", "2000", "--seed", "3")
    again = _run("robustness", "--demo", "--format", "json", "--draws", "2000", "--seed", "3")
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout
    data = json.loads(first.stdout)
    hnh = data["units"][0]
    assert (hnh["unit_code"], hnh["rank"], hnh["method"]) == ("HNH", 1, "monte-carlo")
    assert hnh["rank_interval"][0] == 1
    assert {"higher": "ANH", "lower": "PCA"}.items() <= data["unsettled_pairs"][0].items()
    assert [w["component"] for w in data["weight_sensitivity"]] == ["KQ", "KQ", "DT", "DT", "HL", "HL"]


def test_robustness_table_speaks_vietnamese():
    result = _run("robustness", "--demo", "--draws", "2000")
    assert result.exit_code == 0, result.output
    assert "Độ tin cậy của xếp hạng" in result.stdout
    assert "Thị xã An Nhơn – Huyện Phù Cát: không khác biệt có ý nghĩa thống kê" in result.stdout
    assert "88,41" in result.stdout and "Số liệu minh họa" in result.stdout


def test_robustness_xlsx(tmp_path):
    target = tmp_path / "tin-cay.xlsx"
    result = _run("robustness", "--demo", "--draws", "500", "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Độ tin cậy", "Cặp chưa phân định", "Trọng số"]
    rows = list(book["Độ tin cậy"].values)
    assert rows[1] == ("Số liệu minh họa",) + (None,) * (len(rows[1]) - 1)
    assert rows[3][:3] == ("HNH", "Thị xã Hoài Nhơn", 88.41)


def test_robustness_bad_uncertainty_file_exits_2_naming_row_and_column(tmp_path):
    bad = tmp_path / "u.csv"
    bad.write_text("unit_code,component,se\nHNH,HL,-1\n", encoding="utf-8")
    result = _run("robustness", "--demo", "--uncertainty", str(bad))
    assert result.exit_code == 2
    assert "u.csv, dòng 2, cột se: sai số chuẩn -1 âm" in result.output


def test_robustness_needs_an_uncertainty_file(tmp_path):
    d = "src/cchc/demo/data"
    result = _run(
        "robustness", "--framework", f"{d}/framework_district_2022.yaml",
        "--scores", f"{d}/district_2022.csv",
    )
    assert result.exit_code == 2 and "cần --uncertainty" in result.output


def test_gaps_table_paragraph_json_and_xlsx(tmp_path):
    table = _run("gaps", "--demo", "--unit", "HNH")
    assert table.exit_code == 0, table.output
    assert "Điểm còn thiếu — Thị xã Hoài Nhơn (mất 11,59/100 điểm)" in table.stdout
    assert "kém 0,82 điểm so với Huyện Phù Cát" in table.stdout
    data = json.loads(_run("gaps", "--demo", "--format", "json").stdout)
    assert len(data["units"]) == 11 and data["units"][0]["within_reach"] == ["HL", "DT"]
    target = tmp_path / "diem-con-thieu.xlsx"
    assert _run("gaps", "--demo", "--format", "xlsx", "--output", str(target)).exit_code == 0
    rows = list(openpyxl.load_workbook(target).active.values)
    assert rows[2][:4] == ("Mã đơn vị", "Đơn vị", "Mã tiêu chí", "Tiêu chí")
    assert len(rows) == 3 + 11 * 3
    unknown = _run("gaps", "--demo", "--unit", "XXX")
    assert unknown.exit_code == 2 and "không có đơn vị mã 'XXX'" in unknown.output


def test_whatif_table_and_json():
    result = _run("whatif", "--demo", "--set", "HNH:HL=24", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    hnh = next(u for u in data["units"] if u["unit_code"] == "HNH")
    assert (hnh["rank"], hnh["published"]["rank"], hnh["score"]) == (3, 1, 86.13)
    table = _run("whatif", "--demo", "--weight", "HL=33")
    assert table.exit_code == 0 and "Đổi trọng số: HL tối đa 30 → 33 điểm" in table.stdout


def test_whatif_bad_changes_exit_2_in_vietnamese():
    result = _run("whatif", "--demo", "--set", "HNH:HL=31")
    assert result.exit_code == 2
    assert "Lỗi: Đổi điểm HNH:HL: điểm 31 nằm ngoài khoảng 0..30 của HL" in result.output
    twice = _run("whatif", "--demo", "--weight", "HL=33", "--weight", "HL=34")
    assert twice.exit_code == 2 and "lặp lại cùng một mục" in twice.output


def test_narrative_adds_the_robustness_and_gaps_paragraphs():
    from cchc.demo import data_path

    result = _run(
        "narrative", "--demo", "--unit", "ANH", "--gaps",
        "--uncertainty", str(data_path("district_2022_uncertainty.csv")),
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Thị xã An Nhơn: Chỉ số CCHC năm 2022")
    assert lines[1].startswith("Tính đến sai số chọn mẫu của khảo sát, tổng điểm của Thị xã An Nhơn")
    assert "Thứ hạng so với Huyện Phù Cát không khác biệt có ý nghĩa thống kê." in lines[1]
    assert lines[2].startswith("Năm 2022, Thị xã An Nhơn còn thiếu 13,78/100 điểm")
    assert lines[3] == "(Số liệu minh họa)"
    alone = _run("narrative", "--demo", "--gaps")
    assert alone.exit_code == 2 and "cần --unit" in alone.output
