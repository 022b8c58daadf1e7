"""The whole 766 board of a unit, and the workbooks (numbers stay numbers)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from cchc.service import board as bd
from cchc.service import portal_export as px
from cchc.service import portal_files as pf
from cchc.service.portal766 import Count

FIXTURES = Path(__file__).parent / "fixtures" / "portal766" / "2026-Q3"
PORTAL = pf.read_portal_files(sorted(FIXTURES.glob("*.json")))


def test_a_portal_import_gives_six_groups_out_of_100() -> None:
    board = bd.build("H44.07", "Sở Công Thương", portal=PORTAL)
    assert [g.number for g in board.groups] == [1, 2, 3, 4, 5, 6]
    assert board.total_max == 100
    groups = {g.number: g for g in board.groups}
    assert groups[3].points == Decimal("6.66") and "không tính lại" in groups[3].note
    assert groups[4].points == Decimal("8.00")
    # 7.96 + 15.70 + 6.66 + 8.00 + 10.18 + 17.23
    assert board.total_points == Decimal("65.73")
    first = groups[1].lines[0]
    assert (first.id, first.name) == ("1.1", "Tỷ lệ TTHC công bố đúng hạn")  # the portal's name
    assert all(line.source == bd.PORTAL for g in board.groups if g.number != 3 for line in g.lines)


def test_the_ledgers_counts_come_first_and_the_published_point_stays_beside() -> None:
    ledger = [Count("BCT", "Sở Công Thương", "2.1", 1000, 1271)]
    board = bd.build("BCT", "Sở Công Thương", ledger, PORTAL, portal_unit="H44.07")
    line = next(g for g in board.groups if g.number == 2).lines[0]
    assert (line.source, line.numerator, line.points) == (bd.LEDGER, 1000, Decimal("15.74"))
    assert (line.published, line.status) == (Decimal("15.7"), pf.DIFFERENT)


def test_without_a_portal_import_only_the_ledgers_groups_count() -> None:
    board = bd.build("BCT", "Sở Công Thương", [Count("BCT", "Sở Công Thương", "2.1", 5, 10)])
    assert (board.total_points, board.total_max) == (Decimal("10.00"), Decimal(20))
    empty = next(g for g in board.groups if g.number == 1)
    assert empty.points is None and all(line.source == "" for line in empty.lines)


def test_the_board_workbook_keeps_numbers_as_numbers() -> None:
    board = bd.build("H44.07", "Sở Công Thương", portal=PORTAL)
    buffer = io.BytesIO()
    px.write(buffer, [px.board_sheet(board, "2026-Q3", "Nguồn: tệp của Cổng")])
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet is not None
    values = [row for row in sheet.iter_rows(values_only=True) if row[1] == "2.1"]
    assert values[0][3:8] == (998, 1271, 0.7852, 15.7, 20)
    assert sheet.cell(row=3, column=1).value == "Nhóm"


def test_a_text_cell_that_looks_like_a_formula_is_neutralised(tmp_path: Path) -> None:
    sheet = px.Sheet("x", ["a"], [px.TEXT], [["=1+1"]])
    px.write(tmp_path / "x.xlsx", [sheet])
    assert load_workbook(tmp_path / "x.xlsx").active["A2"].value == "'=1+1"
