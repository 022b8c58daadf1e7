"""The calendar table as a join: vectorised deadlines in DuckDB agree with the scalar path."""

from __future__ import annotations

import datetime as dt
import itertools

import pyarrow as pa

from cchc.calendar import WorkCalendar

D = dt.date


def test_table_columns_and_types(cal: WorkCalendar) -> None:
    table = cal.calendar_table(D(2025, 4, 24), D(2025, 5, 6))
    assert table.schema.names == [
        "date",
        "is_working_day",
        "working_day_seq",
        "receipt_seq",
        "name",
        "source",
    ]
    assert table.schema.field("date").type == pa.date32()
    rows = table.to_pylist()
    assert len(rows) == 13
    by_date = {r["date"]: r for r in rows}
    # Saturday 26/04/2025 worked (Thông báo 6150/TB-LĐTBXH), Friday 02/05/2025 off.
    assert by_date[D(2025, 4, 26)]["is_working_day"] is True
    assert "6150/TB-LĐTBXH" in by_date[D(2025, 4, 26)]["source"]
    assert by_date[D(2025, 5, 2)]["is_working_day"] is False
    assert by_date[D(2025, 4, 30)]["name"] == "Ngày Chiến thắng"
    assert by_date[D(2025, 4, 28)]["name"] is None
    # seq starts at 1 on a working first day and only grows on working days.
    assert rows[0]["working_day_seq"] == 1
    for prev, row in itertools.pairwise(rows):
        assert row["working_day_seq"] - prev["working_day_seq"] == int(row["is_working_day"])
        expected_receipt = row["working_day_seq"] + (0 if row["is_working_day"] else 1)
        assert row["receipt_seq"] == expected_receipt


def test_table_starting_on_a_rest_day_starts_at_zero(cal: WorkCalendar) -> None:
    rows = cal.calendar_table(D(2025, 3, 8), D(2025, 3, 10)).to_pylist()
    assert [r["working_day_seq"] for r in rows] == [0, 0, 1]
    assert [r["receipt_seq"] for r in rows] == [1, 1, 1]


def test_deadline_as_a_duckdb_join_matches_deadline(cal: WorkCalendar) -> None:
    import duckdb

    received = [
        dt.datetime(2024, 4, 26, 9, 0),  # before a swapped Saturday (2450/VPCP-KGVX)
        dt.datetime(2025, 1, 24, 16, 0),  # after the cut-off, before Tết 2025
        dt.datetime(2025, 4, 26, 10, 0),  # on a Saturday worked
        dt.datetime(2025, 3, 8, 10, 0),  # on an ordinary Saturday
        dt.datetime(2026, 12, 31, 14, 0),
    ]
    limits = [1, 5, 3, 2, 15]
    dossiers = pa.table({"received_at": received, "n": limits})
    cal_table = cal.calendar_table(D(2024, 1, 1), D(2027, 12, 31))
    con = duckdb.connect()
    con.register("dossiers", dossiers)
    con.register("cal", cal_table)
    rows = con.execute(
        """
        select d.received_at, due.date as due
        from dossiers d
        join cal r on r.date = cast(d.received_at as date)
        join cal due
          on due.is_working_day
         and due.working_day_seq = r.receipt_seq + d.n
             + case when r.is_working_day and cast(d.received_at as time) > time '15:00'
                    then 1 else 0 end
        order by d.received_at
        """
    ).fetchall()
    expected = sorted((at, cal.deadline(at, n)) for at, n in zip(received, limits, strict=True))
    assert rows == expected


def test_end_before_start_is_refused(cal: WorkCalendar) -> None:
    import pytest

    with pytest.raises(ValueError, match="trước ngày bắt đầu"):
        cal.calendar_table(D(2025, 2, 1), D(2025, 1, 1))
