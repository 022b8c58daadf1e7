"""Spreadsheet bombs are refused before the spreadsheet reader sees them.

Every hostile file is built here (tests/hostile_tables.py). The dimension bomb is the one
that killed the server: calamine reserved room for A1:XFD1048576 and the process aborted.
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import hostile_tables as hostile
from cchc.tables import TableError, TableLimits, check_workbook, read_rows, read_table


def refusal(data: bytes, limits: TableLimits | None = None) -> str:
    with pytest.raises(TableError) as info:
        check_workbook(io.BytesIO(data), "diem.xlsx", limits or TableLimits())
    [problem] = info.value.problems
    assert problem.file == "diem.xlsx"
    return problem.reason


def test_a_genuine_workbook_passes_and_is_read_from_a_stream():
    data = hostile.workbook([["unit_code", "unit_name", "A"], ["X", "Xã X", 12.5], [], ["Y", "Y", True]])
    stream = io.BytesIO(data)
    check_workbook(stream, "diem.xlsx")
    assert stream.tell() == 0
    table = read_table(stream, "diem.xlsx", header_key="unit_code")
    assert (table.header, table.header_row) == (["unit_code", "unit_name", "A"], 1)
    assert list(table.rows) == [(2, ["X", "Xã X", 12.5]), (4, ["Y", "Y", True])]


def test_the_minimal_workbook_is_genuine():
    # The bombs below are this file with one change: refusing them is about that change.
    assert list(read_rows(hostile.minimal(), "m.xlsx")) == [["unit_code", "unit_name"], ["X", "Xã X"]]


def test_dimension_bomb_is_refused_naming_the_range_and_the_limit():
    data = hostile.dimension_bomb()
    assert len(data) < 2048
    reason = refusal(data)
    assert "A1:XFD1048576" in reason
    assert "vượt giới hạn 5.000.000 ô" in reason


def test_dimension_bomb_no_longer_kills_the_process():
    # Run in a child process: on the old reader this aborts (exit 134), which would take
    # pytest down with it.
    code = (
        "import sys, hostile_tables as h\n"
        "from cchc.tables import read_table, TableError\n"
        "try:\n    read_table(h.dimension_bomb(), 'bomb.xlsx')\n"
        "except TableError as e:\n    print(e); sys.exit(2)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        cwd=hostile.__file__.rsplit("/", 1)[0],
    )
    assert done.returncode == 2, done.stderr[-500:]
    assert "bomb.xlsx: bảng tính khai báo vùng dữ liệu A1:XFD1048576" in done.stdout


def test_real_extent_is_checked_when_the_dimension_understates_it():
    reason = refusal(hostile.far_cell(150), TableLimits(max_rows=100))
    assert reason == "bảng tính có dữ liệu tới dòng 150, cột 2: 150 dòng, vượt giới hạn 100 dòng"
    reason = refusal(hostile.far_cell(2, "AB"), TableLimits(max_columns=20))
    assert "28 cột, vượt giới hạn 20 cột" in reason


def test_a_declared_dimension_within_limits_passes():
    check_workbook(io.BytesIO(hostile.minimal("A1:B2")), "m.xlsx", TableLimits(max_rows=2, max_columns=2))
    assert "3 cột, vượt giới hạn 2 cột" in refusal(hostile.minimal("A1:C2"), TableLimits(max_columns=2))


def test_one_huge_shared_string_is_refused():
    assert "dài hơn 32.767 ký tự" in refusal(hostile.long_shared_string(40_000))
    check_workbook(io.BytesIO(hostile.long_shared_string(30_000)), "ok.xlsx")


def test_shared_strings_file_size_is_limited():
    reason = refusal(hostile.long_shared_string(30_000), TableLimits(max_shared_strings_bytes=10_000))
    assert "sharedStrings.xml" in reason and "vượt giới hạn 10.000 byte" in reason


def test_zip_bomb_is_refused_by_its_compression_ratio():
    reason = refusal(hostile.zip_bomb(64))
    assert "padding.bin" in reason and "nghi là bom nén" in reason


def test_total_uncompressed_size_is_limited():
    reason = refusal(hostile.zip_bomb(2), TableLimits(max_uncompressed_bytes=1024 * 1024))
    assert "vượt giới hạn 1 MB" in reason


def test_a_member_inflating_beyond_its_declared_size_is_refused():
    reason = refusal(hostile.lying_sizes())
    assert "giải nén ra nhiều hơn kích thước khai báo" in reason


def test_a_dtd_is_refused():
    assert "DTD" in refusal(hostile.with_doctype())


def test_too_many_members():
    assert "vượt giới hạn 3" in refusal(hostile.minimal(), TableLimits(max_members=3))


def test_not_a_zip_at_all():
    assert "không phải tệp Excel (.xlsx) hợp lệ" in refusal(b"PK\x03\x04 truncated")


def test_limits_must_be_positive():
    with pytest.raises(ValueError, match="max_rows"):
        TableLimits(max_rows=0)


def test_cells_without_references_are_counted_by_position():
    row = '<row r="1">' + "<c><v>1</v></c>" * 30 + "</row>"
    assert "cột 21: 21 cột, vượt giới hạn 20 cột" in refusal(hostile.sheet_with(row), TableLimits(max_columns=20))
    rows = "<row><c><v>1</v></c></row>" * 30
    assert "dòng 21, cột 1: 21 dòng, vượt giới hạn 20 dòng" in refusal(hostile.sheet_with(rows), TableLimits(max_rows=20))


def test_a_long_inline_string_is_refused_even_across_a_chunk_boundary():
    # The part is inflated in 256 KiB pieces: the padding puts the text across the first cut.
    for padding in (0, 256 * 1024 - 20_000):
        too_long = '<row r="1">' + hostile.inline("A1", "a" * 40_000) + "</row>"
        assert "dài hơn 32.767 ký tự" in refusal(hostile.sheet_with(too_long, padding))
        fine = '<row r="1">' + hostile.inline("A1", "a" * 32_000) + "</row>"
        check_workbook(io.BytesIO(hostile.sheet_with(fine, padding)), "ok.xlsx")


def test_text_length_counts_characters_not_bytes():
    # 32 000 characters written as 160 000 bytes of entities, or as 2-byte letters: fine.
    for text in ("&amp;" * 32_000, "ư" * 32_000):
        row = '<row r="1">' + hostile.inline("A1", text) + "</row>"
        check_workbook(io.BytesIO(hostile.sheet_with(row)), "ok.xlsx")


def test_prefixed_elements_are_checked_too():
    row = '<row r="150"><c r="B150"><v>1</v></c></row>'
    reason = refusal(hostile.sheet_with(row, prefix="x"), TableLimits(max_rows=100))
    assert "150 dòng, vượt giới hạn 100 dòng" in reason


def test_a_line_end_before_the_reference_does_not_hide_a_cell():
    # XML allows any whitespace between a name and its attributes; the fast scan must not
    # skip such a cell (it leaves the part to expat).
    for row in ('<row r="1"><c\nr="XFD1048576"><v>1</v></c></row>', '<row\tr="2000000"><c r="A1"/></row>'):
        assert "vượt giới hạn" in refusal(hostile.sheet_with(row))
