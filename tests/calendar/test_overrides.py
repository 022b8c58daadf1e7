"""The override table: the shipped notices are well-formed; bad rows name file, row, column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cchc.calendar import (
    DayKind,
    OfficeSettings,
    Override,
    OverrideError,
    WorkCalendar,
    load_overrides,
    shipped_overrides,
)

HEADER = "date,kind,name,source,note\n"


def test_shipped_table_covers_2021_to_2026_with_a_source_on_every_row() -> None:
    rows = shipped_overrides()
    assert {o.date.year for o in rows} == set(range(2021, 2027))
    assert all(o.source for o in rows)
    # Saturdays worked are Saturdays; swapped days off are weekdays.
    for o in rows:
        if o.kind is DayKind.WORKING_DAY:
            assert o.date.weekday() == 5, o
        if o.kind is DayKind.DAY_OFF:
            assert o.date.weekday() < 5, o
    # Each swap pairs one day off with one Saturday worked in the same year.
    worked = [o for o in rows if o.kind is DayKind.WORKING_DAY]
    assert [o.date for o in worked] == [
        dt.date(2024, 5, 4),  # Công văn 2450/VPCP-KGVX
        dt.date(2025, 4, 26),  # Thông báo 6150/TB-LĐTBXH
        dt.date(2026, 1, 10),  # Công văn 12729/VPCP-KGVX
        dt.date(2026, 8, 22),  # Thông báo 9441/TB-BNV
    ]


def test_uncertain_rows_are_marked_assumed() -> None:
    for o in shipped_overrides():
        if "chưa xác minh" in o.note or "chưa đối chiếu" in o.note:
            assert o.note.startswith("(assumed)"), o


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "local.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "row", "column", "reason"),
    [
        ("2027-02-30,holiday,Tết,Thông báo 1,\n", 2, "date", "YYYY-MM-DD"),
        ("2027-02-05,holiday,Tết,TB 1,\n2027-02-05,day_off,Tết,TB 1,\n", 3, "date", "dòng 2"),
        ("2027-02-05,vacation,Tết,TB 1,\n", 2, "kind", "không hợp lệ"),
        ("2027-02-05,holiday,,TB 1,\n", 2, "name", "thiếu tên"),
        ("2027-02-05,holiday,Tết,,\n", 2, "source", "thiếu nguồn"),
        ("2027-02-05,holiday,Tết,TB 1,ghi chú, có dấu phẩy\n", 2, "note", "thừa cột"),
    ],
)
def test_bad_rows_are_refused_with_file_row_column_and_reason(
    tmp_path: Path, body: str, row: int, column: str, reason: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(OverrideError) as err:
        load_overrides(path)
    message = str(err.value)
    assert str(path) in message
    assert f"dòng {row}" in message
    assert f"cột {column}" in message
    assert reason in message


def test_missing_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,Tết\n", encoding="utf-8")
    with pytest.raises(OverrideError, match="cột source"):
        load_overrides(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OverrideError, match="không đọc được"):
        load_overrides(tmp_path / "nope.csv")


def test_next_years_notice_is_a_csv_row(tmp_path: Path) -> None:
    # How docs/calendar.md says to add a new notice: a local table passed as extra overrides.
    path = _write(
        tmp_path,
        "2027-01-04,day_off,Nghỉ hoán đổi (ví dụ),Thông báo ví dụ,\n"
        "2027-01-09,working_day,Làm bù (ví dụ),Thông báo ví dụ,\n",
    )
    local = WorkCalendar(OfficeSettings(extra_overrides=load_overrides(path)))
    plain = WorkCalendar()
    assert plain.is_working_day(dt.date(2027, 1, 4))
    assert not local.is_working_day(dt.date(2027, 1, 4))
    assert local.is_working_day(dt.date(2027, 1, 9))
    assert local.deadline(dt.date(2027, 1, 8), 1) == dt.date(2027, 1, 9)


def test_a_local_override_wins_over_the_shipped_table() -> None:
    # A province keeps its desk open on Friday 02/01/2026 by local decision.
    keep_open = Override(dt.date(2026, 1, 2), DayKind.WORKING_DAY, "Làm việc", "Quyết định ví dụ")
    local = WorkCalendar(OfficeSettings(extra_overrides=(keep_open,)))
    assert local.is_working_day(dt.date(2026, 1, 2))


def test_without_the_package_the_table_alone_decides() -> None:
    table_only = WorkCalendar(OfficeSettings(use_holidays_package=False))
    assert not table_only.is_working_day(dt.date(2025, 1, 29))  # in the table
    # 2027 is not in the table: Tết 2027 (Saturday 06/02) is unknown without the package.
    assert table_only.is_working_day(dt.date(2027, 2, 8))
    assert not WorkCalendar().is_working_day(dt.date(2027, 2, 8))
