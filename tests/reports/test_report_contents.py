"""What a report says, before any layout: dates, table cells, components that do not apply."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.demo import data_path
from cchc.par.framework import framework_from_dict, load_framework
from cchc.par.results import Results, compute_results
from cchc.par.scores import scores_from_rows
from cchc.reports.charts import component_chart
from cchc.reports.contents import build_contents, default_signer, place_date_line, ranking_table


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2023, 3, 16), "Hoài Nhơn, ngày 16 tháng 3 năm 2023"),
        (dt.date(2023, 1, 5), "Hoài Nhơn, ngày 05 tháng 01 năm 2023"),
        (dt.date(2024, 2, 29), "Hoài Nhơn, ngày 29 tháng 02 năm 2024"),
        (dt.date(2025, 12, 1), "Hoài Nhơn, ngày 01 tháng 12 năm 2025"),
    ],
)
def test_place_date_line_follows_decree_30(date: dt.date, expected: str) -> None:
    assert place_date_line("Hoài Nhơn", date) == expected


def test_place_date_line_without_a_place() -> None:
    assert place_date_line(" ", dt.date(2023, 3, 16)) == "Ngày 16 tháng 3 năm 2023"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_place_date_line_round_trips(date: dt.date) -> None:
    line = place_date_line("X", date)
    words = line.split()
    day, month, year = int(words[2]), int(words[4]), int(words[6])
    assert dt.date(year, month, day) == date
    assert len(words[2]) == 2
    assert len(words[4]) == (2 if date.month < 3 else len(str(date.month)))


def test_a_component_that_does_not_apply_shows_a_dash_and_leaves_the_maximum() -> None:
    framework = load_framework(data_path("framework_district_2022.yaml"))
    rows = [
        {"unit_code": "A", "unit_name": "Đơn vị A", "KQ": "50", "DT": "KAD", "HL": "25"},
        {"unit_code": "B", "unit_name": "Đơn vị B", "KQ": "55,5", "DT": "7", "HL": "26"},
    ]
    results = compute_results(framework, scores_from_rows(rows, framework, "biểu mẫu"))
    table = ranking_table(results, unit_code="A")
    a = table.rows[table.highlight]  # type: ignore[index]
    assert a[1] == "Đơn vị A"
    assert a[3] == "—"
    assert a[5:7] == ["75,00", "83,33"]  # 75 of the 90 points that apply
    assert "không áp dụng" in component_chart(results, unit_code="A").svg()


def test_many_components_use_codes_in_the_header_and_a_legend() -> None:
    codes = ["CD", "VB", "TT", "TC", "CV"]
    framework = framework_from_dict(
        {
            "code": "thu",
            "name": "Chỉ số thử",
            "year": 2022,
            "level": "commune",
            "max": 100,
            "bands": [{"label": "Tốt", "min": 80}, {"label": "Khá", "min": 0}],
            "components": [
                {"code": c, "name": f"Lĩnh vực {c}", "max": 20} for c in codes
            ],
        },
        "thu.yaml",
    )
    rows = [{"unit_code": "A", "unit_name": "Xã A", **dict.fromkeys(codes, "18")}]
    results = compute_results(framework, scores_from_rows(rows, framework, "biểu mẫu"))
    table = ranking_table(results)
    assert table.header[2:7] == [f"{c} (20 điểm)" for c in codes]
    assert table.note is not None and "CD: Lĩnh vực CD" in table.note
    assert table.rows[0][7:9] == ["90,00", "90,00"]


@pytest.mark.parametrize(
    ("organisation", "expected"),
    [
        ("UBND thị xã Hoài Nhơn", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("Ủy ban nhân dân tỉnh Gia Lai", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("Sở Nội vụ", ("GIÁM ĐỐC",)),
        ("Phòng Nội vụ", ("TRƯỞNG PHÒNG",)),
    ],
)
def test_default_signer_follows_the_issuing_body(organisation: str, expected: tuple[str, ...]) -> None:
    assert default_signer(organisation) == expected


def test_signer_and_recipients_can_be_given(results_2022: Results) -> None:
    contents = build_contents(
        results_2022,
        unit_code=None,
        organisation="UBND tỉnh Bình Định",
        place="Bình Định",
        date=dt.date(2023, 3, 16),
        signer_capacity=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        recipients=["Bộ Nội vụ (b/c);", "Lưu: VT."],
    )
    assert contents.signer_capacity == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert contents.recipients == ["Bộ Nội vụ (b/c);", "Lưu: VT."]
    assert contents.organisation == "UBND TỈNH BÌNH ĐỊNH"
    assert [s.heading for s in contents.sections] == ["I. KẾT QUẢ CHUNG"]
    assert contents.table_caption.startswith("II. BẢNG XẾP HẠNG")
    assert contents.charts_caption == "III. BIỂU ĐỒ"
