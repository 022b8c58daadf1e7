"""The portal's own 766 files in, counts and published points out, ours beside theirs.

The fixtures are real responses of the national portal (Phú Thọ, quarter 3 of 2026; source
in fixtures/portal766/README.md), cut to the province and a few units.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from cchc.service import portal_files as pf
from cchc.service.portal766 import Count

FIXTURES = Path(__file__).parent / "fixtures" / "portal766" / "2026-Q3"
ALL = sorted(FIXTURES.glob("*.json"))


def counts_of(data: pf.PortalData) -> dict[tuple[str, str], tuple[object, object]]:
    return {(c.unit_code, c.indicator): (c.numerator, c.denominator) for c in data.counts}


def test_each_page_is_recognised_by_its_content_not_its_name(tmp_path: Path) -> None:
    for path in ALL:
        renamed = tmp_path / "download (3).json"
        renamed.write_bytes(path.read_bytes())
        assert pf.endpoint_of(pf.load_json(renamed), str(renamed)) == path.stem
        assert pf.is_portal_json(renamed)


def test_metric_pages_give_counts_under_the_indicator_ids() -> None:
    data = pf.read_portal_files([FIXTURES / "dossier-digitized.json"])
    counts = counts_of(data)
    assert counts[("H44.100", "4.1")] == (5511, 6684)
    assert counts[("H44.100", "4.2")] == (1169, 6684)
    assert counts[("H44.100", "4.5a")] == (54, 385)  # CITIZEN_DATA_CONNECTED_FORMALITY
    assert counts[("H44", "4.3")] == (64382, 464494)
    # 4.6 is published as a rate only: it enters as rate ÷ 100.
    assert counts[("H44.01", "4.6")] == (Decimal(100), 100)


def test_trees_give_counts_from_their_named_fields() -> None:
    data = pf.read_portal_files(
        [FIXTURES / "dvc-progress-tree.json", FIXTURES / "formality-online-payment-tree.json"]
    )
    counts = counts_of(data)
    assert counts[("H44.07", "2.1")] == (998, 1271)  # totalOnTime ÷ totalReceived
    assert counts[("H44.100", "3.6")] == (3082, 3816)
    assert counts[("H44.100", "3.5b")] == (17, 37)
    assert counts[("H44.100", "3.5a")] == (10, 37)


def test_pages_without_unit_codes_take_them_from_the_other_pages() -> None:
    alone = pf.read_portal_files([FIXTURES / "handling-satisfaction.json"])
    assert "019d2be3-6ab4-74ce-8a81-1708de733a98" in alone.units  # only the id is known
    together = pf.read_portal_files(ALL)
    assert together.units["H44.100"] == "UBND Phường Việt Trì"
    assert counts_of(together)[("H44.100", "5.4")] == (5828, 6684)
    assert not any(code.startswith("019d") for code in together.units)


def test_every_published_point_of_the_real_responses_is_reproduced() -> None:
    data = pf.read_portal_files(ALL)
    _, lines = pf.compare(data)
    statuses = {line.status for line in lines}
    assert statuses == {pf.MATCH, pf.NOT_RECOMPUTED}
    matched = [line for line in lines if line.status == pf.MATCH]
    assert len(matched) >= 90
    assert pf.differences(lines) == []
    by_key = {(line.unit_code, line.group, line.indicator): line for line in lines}
    # Payment: only the group's total is published; ours is the sum of 3.6 + 3.5b + 3.5a.
    assert by_key[("H44.100", 4, None)].ours == Decimal("6.68")
    assert by_key[("H44.100", 4, None)].published == Decimal("6.68")
    # 5.2 with no feedback: the full 6 points.
    assert by_key[("H44.01", 6, "5.2")].ours == Decimal("6.00")


def test_group_3_is_shown_as_published_and_not_recomputed() -> None:
    data = pf.read_portal_files(ALL)
    _, lines = pf.compare(data)
    online = [line for line in lines if line.group == 3]
    assert {line.status for line in online} == {pf.NOT_RECOMPUTED}
    assert all(line.ours is None for line in online)
    assert {line.unit_code: line.published for line in online}["H44.03"] == Decimal("7.26")
    assert not any(c.indicator.startswith("3.1") or c.indicator == "3.3" for c in data.counts)


def test_a_published_point_we_cannot_reproduce_is_a_finding_not_copied(tmp_path: Path) -> None:
    raw = json.loads((FIXTURES / "dvc-progress-tree.json").read_text("utf-8"))
    raw["data"]["children"][0]["score"] = 19.5  # the portal says 19.5, 156/161 gives 19.38
    path = tmp_path / "progress.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    scores, lines = pf.compare(pf.read_portal_files([path]))
    [finding] = pf.differences(lines)
    assert (finding.unit_code, finding.indicator) == ("H44.01", "2.1")
    assert (finding.ours, finding.published, finding.difference) == (
        Decimal("19.38"), Decimal("19.5"), Decimal("-0.12"),
    )
    assert next(s for s in scores if s.unit_code == "H44.01").indicators["2.1"].points == Decimal("19.38")


def test_the_data_quality_flag_travels_with_the_point() -> None:
    data = pf.read_portal_files(ALL)
    sync = next(p for p in data.published if p.unit_code == "H44" and p.indicator == "1.4")
    assert sync.note.startswith("TEMP_NATIONAL_REPORT_DENOMINATOR")
    assert sync.name == "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG"


def test_the_same_page_twice_is_refused() -> None:
    with pytest.raises(pf.PortalFileError, match="trùng trang dvc-progress-tree"):
        pf.read_portal_files([FIXTURES / "dvc-progress-tree.json", FIXTURES / "dvc-progress-tree.json"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "không đọc được JSON"),
        ('{"code": "ERROR", "message": "Hết phiên", "data": {}}', "Cổng trả lời lỗi: Hết phiên"),
        ('{"data": {"items": []}}', "không có overview/evaluation"),
        ('{"data": {"overview": {"metrics": [{"code": "X"}]}}}', "không nhận ra mã chỉ tiêu"),
    ],
)
def test_a_file_that_is_not_a_portal_response_is_named_with_the_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "tai-ve.json"
    path.write_text(content, "utf-8")
    with pytest.raises(pf.PortalFileError, match=message) as caught:
        pf.read_portal_files([path])
    assert str(path) in str(caught.value)
    assert not pf.is_portal_json(path)


def test_a_negative_count_is_refused_with_its_place(tmp_path: Path) -> None:
    raw = json.loads((FIXTURES / "dvc-progress-tree.json").read_text("utf-8"))
    raw["data"]["children"][2]["totalReceived"] = -1
    path = tmp_path / "p.json"
    path.write_text(json.dumps(raw), "utf-8")
    with pytest.raises(pf.PortalFileError, match=r"children\[2\].totalReceived: số âm"):
        pf.read_portal_files([path])


def _export(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["BẢNG ĐIỂM CHỈ SỐ 766"])
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Mã chỉ tiêu", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Điểm", "Điểm tối đa"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_excel_export_is_read_by_its_header(tmp_path: Path) -> None:
    path = _export(tmp_path / "export.xlsx", [
        ["H44.07", "Sở Công Thương", "DOSSIER_RECEIVING_SATISFACTION", 998, 1271, 78.52, 5.23, 6],
        ["H44.07", "Sở Công Thương", "2.1", 998, 1271, 78.52, 15.71, 20],
    ])
    data = pf.read_portal_files([path])
    assert data.counts == [
        Count("H44.07", "Sở Công Thương", "5.4", 998, 1271),
        Count("H44.07", "Sở Công Thương", "2.1", 998, 1271),
    ]
    _, lines = pf.compare(data)
    assert [(line.indicator, line.status) for line in lines] == [("5.4", pf.MATCH), ("2.1", pf.DIFFERENT)]


def test_an_excel_export_with_bad_rows_names_every_row_and_column(tmp_path: Path) -> None:
    path = _export(tmp_path / "export.xlsx", [
        ["H44.07", "Sở Công Thương", "9.9", 1, 2, None, None, None],
        ["H44.07", "Sở Công Thương", "2.1", "nhiều", 2, None, None, None],
    ])
    with pytest.raises(pf.PortalFileError) as caught:
        pf.read_portal_files([path])
    text = str(caught.value)
    assert "dòng 3, cột mã chỉ tiêu" in text and "9.9" in text
    assert "dòng 4, cột tử số: không phải số" in text


def test_an_excel_file_without_the_columns_says_which_it_needs(tmp_path: Path) -> None:
    book = Workbook()
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(pf.PortalFileError, match="mã đơn vị, mã chỉ tiêu, tử số, mẫu số"):
        pf.read_portal_files([tmp_path / "x.xlsx"])


def test_an_import_is_stored_and_read_back_exactly() -> None:
    data = pf.read_portal_files(ALL)
    back = pf.from_dict(json.loads(json.dumps(pf.to_dict(data))))
    assert back.counts == data.counts
    assert back.published == data.published
    assert back.units == data.units


def test_the_month_responses_are_read_and_every_published_point_reproduced() -> None:
    # August 2026, more units (the scorer's own fixtures, read here through the files' reader).
    month = sorted((Path(__file__).parent / "portal_data" / "2026-08").glob("*.json"))
    data = pf.read_portal_files(month)
    _, lines = pf.compare(data)
    assert pf.differences(lines) == []
    assert sum(line.status == pf.MATCH for line in lines) > 600
    unpublished = [line for line in lines if line.status == pf.NOT_PUBLISHED]
    assert unpublished and all(line.published is None for line in unpublished)
