"""The seed report's figures come out of the seed files: as JSON, as narrative, in the XLSX.

Seed (Hoài Nhơn, 16/03/2023): index 88,41, rank 1 of 11 district-level units; leaders'
survey (DT) rank 2; satisfaction (HL) rank 5, up one place from 6; commune level average
91,4 % with 2 "Xuất sắc" and the other 15 "Tốt".
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from cchc.cli import app
from cchc.demo import ILLUSTRATIVE_NOTE, data_path

runner = CliRunner()


def _district_args() -> list[str]:
    return [
        "--framework", str(data_path("framework_district_2022.yaml")),
        "--scores", str(data_path("district_2022.csv")),
        "--previous", str(data_path("district_2021.csv")),
        "--previous-framework", str(data_path("framework_district_2021.yaml")),
    ]  # fmt: skip


def _commune_args() -> list[str]:
    return [
        "--framework", str(data_path("framework_commune_2022.yaml")),
        "--scores", str(data_path("commune_2022.csv")),
    ]  # fmt: skip


def test_district_json_from_the_cli_matches_the_seed():
    result = runner.invoke(app, ["par", "rank", *_district_args(), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["framework"] == "binh-dinh-huyen"
    assert data["year"] == 2022
    assert len(data["units"]) == 11
    hnh = next(u for u in data["units"] if u["unit_code"] == "HNH")
    assert data["units"][0]["unit_code"] == "HNH"
    assert hnh["score"] == 88.41
    assert hnh["max"] == 100
    assert hnh["index"] == 88.41
    assert hnh["rank"] == 1
    assert hnh["components"]["KQ"]["score"] == 55.46
    assert hnh["components"]["DT"] == {"score": 6.67, "max": 10, "index": 66.7, "rank": 2}
    assert hnh["components"]["HL"]["score"] == 26.28
    assert hnh["components"]["HL"]["rank"] == 5
    assert hnh["previous"]["rank"] == 1
    assert hnh["previous"]["components"]["KQ"]["score"] == 53.46
    assert hnh["previous"]["components"]["DT"] == {"score": 8, "rank": 3}
    assert hnh["previous"]["components"]["HL"] == {"score": 23.82, "rank": 6}
    assert hnh["rank_change"] == 0


def test_demo_flag_is_the_district_seed_comparison():
    with_flag = runner.invoke(app, ["par", "rank", "--demo"])
    explicit = runner.invoke(app, ["par", "rank", *_district_args()])
    assert with_flag.exit_code == 0, with_flag.output
    assert json.loads(with_flag.stdout) == json.loads(explicit.stdout)


def test_commune_json_summary_matches_the_seed():
    result = runner.invoke(app, ["par", "rank", *_commune_args()])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["units"] == 17
    assert round(summary["average_index"], 1) == 91.4
    assert summary["band_counts"]["Xuất sắc"] == 2
    assert summary["band_counts"]["Tốt"] == 15
    assert sum(summary["band_counts"].values()) == 17


def test_unit_narrative_states_the_seed_figures():
    result = runner.invoke(app, ["par", "narrative", "--demo", "--unit", "HNH"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    # Rank 1 in 2021 too, so the data shows "two years running", as the seed says.
    assert "Chỉ số CCHC 02 năm liên tục (2021-2022) xếp vị trí thứ nhất cấp huyện (đạt 88,41/100 điểm);" in text
    assert "kết quả thực hiện công tác CCHC đạt 55,46/60 điểm" in text
    assert "(năm 2021 đạt 53,46/60 điểm)" in text
    assert (
        "đạt 6,67/10 điểm, đứng vị trí thứ 2/11, tăng 01 bậc so với năm 2021 "
        "(năm 2021 đạt 8/10 điểm, xếp vị trí thứ 3/11 cấp huyện)"
    ) in text
    assert (
        "đạt 26,28/30 điểm, đứng vị trí thứ 5/11, tăng 01 bậc so với năm 2021 "
        "(năm 2021 đạt 23,82/30 điểm, xếp vị trí thứ 6/11 cấp huyện)"
    ) in text
    assert ILLUSTRATIVE_NOTE in text


def test_unit_narrative_without_previous_year_names_the_year():
    args = _district_args()[:4]
    result = runner.invoke(app, ["par", "narrative", *args, "--unit", "HNH"])
    assert result.exit_code == 0, result.output
    assert "Chỉ số CCHC năm 2022 xếp vị trí thứ nhất cấp huyện (đạt 88,41/100 điểm);" in result.stdout
    assert "năm 2021" not in result.stdout


def test_level_narrative_states_the_seed_commune_summary():
    result = runner.invoke(app, ["par", "narrative", *_commune_args()])
    assert result.exit_code == 0, result.output
    assert (
        "Chỉ số CCHC năm 2022 đối với cấp xã có giá trị trung bình đạt 91,4%, "
        "có 02 xã, phường xếp loại xuất sắc, còn lại đều xếp loại tốt."
    ) in result.stdout


def _sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path)
    return list(workbook[sheet].iter_rows(values_only=True))


def test_district_xlsx_holds_the_seed_figures_as_numbers(tmp_path: Path):
    out = tmp_path / "xep-hang.xlsx"
    result = runner.invoke(app, ["par", "rank", "--demo", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = _sheet_rows(out, "Xếp hạng")
    assert "2022" in str(rows[0][0])
    assert rows[1][0] == ILLUSTRATIVE_NOTE
    header = list(rows[2])
    assert header[:2] == ["STT", "Đơn vị"]
    assert header[-6:-2] == ["Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
    hnh = dict(zip(header, rows[3], strict=True))
    assert hnh["Đơn vị"] == "Thị xã Hoài Nhơn"
    assert hnh["Tổng điểm"] == 88.41 and isinstance(hnh["Tổng điểm"], float)
    assert hnh["Xếp hạng"] == 1 and isinstance(hnh["Xếp hạng"], int)
    assert [v for k, v in hnh.items() if k.startswith("Kết quả thực hiện")] == [55.46]
    assert len(rows) == 3 + 11 + 1  # title, note, header, 11 units, the average

    details = _sheet_rows(out, "Chi tiết")
    head = list(details[0])
    by_code = {
        r[head.index("Mã")]: dict(zip(head, r, strict=True))
        for r in details[1:]
        if r[head.index("Mã đơn vị")] == "HNH"
    }
    assert by_code["DT"]["Xếp hạng"] == 2
    assert by_code["HL"]["Xếp hạng"] == 5
    assert by_code["HL"]["Xếp hạng năm 2021"] == 6
    assert by_code["HL"]["Tăng (+)/giảm (−) bậc"] == 1
    assert by_code["HL"]["Điểm"] == 26.28


def test_number_format_is_stored_on_number_cells(tmp_path: Path):
    out = tmp_path / "x.xlsx"
    runner.invoke(app, ["par", "rank", "--demo", "--format", "xlsx", "--output", str(out)])
    sheet = openpyxl.load_workbook(out)["Xếp hạng"]
    assert sheet["F4"].number_format == "#,##0.00"
    assert sheet["F4"].data_type == "n"


def test_commune_xlsx_counts_bands(tmp_path: Path):
    out = tmp_path / "xa.xlsx"
    result = runner.invoke(
        app, ["par", "rank", *_commune_args(), "--format", "xlsx", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = _sheet_rows(out, "Xếp hạng")
    header = list(rows[2])
    bands = [r[header.index("Xếp loại")] for r in rows[3:20]]
    assert bands.count("Xuất sắc") == 2
    assert bands.count("Tốt") == 15
    average = rows[20][header.index("Chỉ số (%)")]
    assert round(average, 1) == 91.4
