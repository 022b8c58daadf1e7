"""Charts (PNG/SVG with decimal commas) and the .xlsx export (numbers stored as numbers)."""

from __future__ import annotations

import openpyxl
import pytest

from cchc.surveys import Answer, compute_index
from cchc.surveys.chart import factor_chart, save_chart, unit_chart
from cchc.surveys.export import export_xlsx


@pytest.fixture
def result():
    data = [
        Answer(f"a{i}", "A", "tiep_can", "tc1", 5 if i < 3 else 1) for i in range(8)
    ]  # 3/8 = 37,5 %
    data += [Answer(f"a{i}", "A", "thu_tuc", "tt1", 4) for i in range(4)]
    data += [Answer(f"b{i}", "B", "tiep_can", "tc1", None) for i in range(2)]  # no data: left out
    return compute_index(data)


def test_svg_uses_decimal_commas_and_vietnamese_titles(result, tmp_path):
    svg = save_chart(
        factor_chart(result, "A", {"tiep_can": "Tiếp cận dịch vụ"}), tmp_path / "a.svg"
    ).read_text(encoding="utf-8")
    assert "37,50%" in svg and "37.50%" not in svg
    assert "Tiếp cận dịch vụ" in svg and "Khoảng tin cậy 95%" in svg


def test_png_is_written(result, tmp_path):
    path = save_chart(unit_chart(result), tmp_path / "units.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unit_chart_leaves_out_units_without_data(result):
    rows = unit_chart(result).to_dict()["data"]["values"]
    assert [r["label"] for r in rows] == ["A"]
    assert rows[0]["ci_low"] <= rows[0]["index"] <= rows[0]["ci_high"]


def test_other_chart_suffixes_are_refused(result, tmp_path):
    with pytest.raises(ValueError, match=r"\.png hoặc \.svg"):
        save_chart(unit_chart(result), tmp_path / "a.pdf")


def test_xlsx_holds_numbers_as_numbers(result, tmp_path):
    path = export_xlsx(result, tmp_path / "r.xlsx", note="Số liệu minh họa")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Đơn vị", "Yếu tố", "Câu hỏi"]
    units = book["Đơn vị"]
    assert units["A1"].value == "Số liệu minh họa"
    assert [c.value for c in units[3]][:3] == ["Mã đơn vị", "Số người trả lời", "Chỉ số"]
    a_row = [c for c in units[4]]
    assert a_row[0].value == "A" and a_row[1].value == 8
    # (3/8 + 4/4) / 2 = 0,6875, stored as a number with a percent format
    assert a_row[2].value == pytest.approx(0.6875) and a_row[2].number_format == "0.00%"
    b_row = [c.value for c in units[5]]
    assert b_row[0] == "B" and b_row[2] is None
    factors = [[c.value for c in row] for row in book["Yếu tố"].iter_rows(min_row=4)]
    assert factors[0][:5] == ["A", "tiep_can", 3, 8, 0]
    assert factors[2][:6] == ["B", "tiep_can", 0, 0, 2, None]
