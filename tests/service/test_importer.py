"""Importing dossier records: CSV, XLSX, Parquet; portal names; errors with file/row/column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st
from ledger_builders import dossier, ledger

from cchc.service.importer import MAX_PROBLEMS, LedgerImportError, read_ledger, write_ledger
from cchc.service.procedure import Procedure
from cchc.service.schema import COLUMN_NAMES, arrow_schema
from cchc.textio import encode_tcvn3, encode_vni

HEADER = "dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,status,channel,has_fee,paid_online,supplement_count,rating"


def write_csv(path: Path, *lines: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def problems(exc: pytest.ExceptionInfo[LedgerImportError]) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.column) for p in exc.value.problems}


def test_csv_is_normalised_to_exactly_the_interchange_columns(tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        "H12-250102-0001,U1,P1,2025-01-02 08:00,2025-01-10 17:00:00,2025-01-05T09:30:00,finished,online,true,1,,like",
        "H12-250102-0002,U1,P1,02/01/2025 09:15,,,processing,counter,0,false,2,",
    )
    table = read_ledger(path)
    assert table.schema == arrow_schema()
    assert table.column_names == list(COLUMN_NAMES)
    first, second = table.to_pylist()
    assert first["received_at"] == dt.datetime(2025, 1, 2, 8, 0)
    assert first["finished_at"] == dt.datetime(2025, 1, 5, 9, 30)
    assert (first["has_fee"], first["paid_online"], first["rating"]) == (True, True, "like")
    assert first["supplement_count"] == 0  # empty → 0
    assert second["received_at"] == dt.datetime(2025, 1, 2, 9, 15)  # dd/mm/yyyy
    assert (second["due_at"], second["rating"], second["supplement_count"]) == (None, None, 2)
    # Columns absent from the file: booleans false, timestamps missing.
    assert second["digitised"] is False and second["supplement_requested_at"] is None


def test_offsets_are_converted_to_vietnam_local_time(tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        "H12-250102-0001,U1,P1,2025-01-02T01:00:00Z,2025-01-10T17:00:00+07:00,,received,counter,,,,",
    )
    row = read_ledger(path).to_pylist()[0]
    assert row["received_at"] == dt.datetime(2025, 1, 2, 8, 0)
    assert row["due_at"] == dt.datetime(2025, 1, 10, 17, 0)


def test_every_problem_names_file_row_column_and_reason(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        "H12-250102-0001,U1,P1,2025-01-02 08:00,2025-01-10 17:00,,processing,counter,,,,",
        "H12-250102-0002,U1,P1,2025-02-30 08:00,,,processing,fax,maybe,,-1,meh",
        "H12-250102-0001,,P1,2025-01-03 08:00,2025-01-01 08:00,,finished,online,,,,",
    )
    with pytest.raises(LedgerImportError) as exc:
        read_ledger(path)
    found = problems(exc)
    assert {
        (3, "received_at"), (3, "channel"), (3, "has_fee"), (3, "supplement_count"), (3, "rating"),
        (4, "unit_code"), (4, "due_at"), (4, "finished_at"),
        (2, "dossier_code"), (4, "dossier_code"),  # the duplicated code, on both lines
    } <= found
    text = str(exc.value)
    assert f"{path}, dòng 3, cột received_at: '2025-02-30 08:00' không phải ngày giờ hợp lệ" in text
    assert "'fax' không thuộc counter, online, post" in text
    assert "mã hồ sơ 'H12-250102-0001' bị trùng" in text
    assert "trạng thái 'finished' là kết thúc nhưng thiếu thời điểm kết thúc" in text


def test_missing_required_columns_are_reported_by_name(tmp_path):
    path = write_csv(tmp_path / "a.csv", "H12-250102-0001,2025-01-02", header="dossier_code,received_at")
    with pytest.raises(LedgerImportError) as exc:
        read_ledger(path)
    assert {c for _, c in problems(exc)} == {"unit_code", "procedure_code", "status", "channel"}
    assert all(p.row is None for p in exc.value.problems)


def test_supplement_times_must_be_consistent(tmp_path):
    header = "dossier_code,unit_code,procedure_code,received_at,status,channel,supplement_count,supplement_requested_at,supplement_completed_at"
    path = write_csv(
        tmp_path / "a.csv",
        "H12-250102-0001,U1,P1,2025-01-02 08:00,processing,counter,0,2025-01-03 08:00,",
        "H12-250102-0002,U1,P1,2025-01-02 08:00,processing,counter,1,2025-01-05 08:00,2025-01-04 08:00",
        "H12-250102-0003,U1,P1,2025-01-02 08:00,processing,counter,,,2025-01-04 08:00",
        header=header,
    )
    with pytest.raises(LedgerImportError) as exc:
        read_ledger(path)
    assert problems(exc) == {(2, "supplement_count"), (3, "supplement_completed_at"), (4, "supplement_completed_at")}


def test_problem_list_is_capped_but_the_total_is_kept(tmp_path):
    lines = [f"H12-250102-{i:04d},U1,P1,not a date,,,processing,counter,,,," for i in range(1, MAX_PROBLEMS + 51)]
    with pytest.raises(LedgerImportError) as exc:
        read_ledger(write_csv(tmp_path / "a.csv", *lines))
    assert len(exc.value.problems) == MAX_PROBLEMS
    assert exc.value.total == MAX_PROBLEMS + 50
    assert "… và 50 lỗi khác" in str(exc.value)


def test_portal_field_names_and_codes_are_mapped(tmp_path):
    header = "MaHoSo,MaDonVi,MaTTHC,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,TrangThaiHoSo,KenhThucHien,DuocThanhToanTrucTuyen,TruongKhac"
    path = write_csv(
        tmp_path / "portal.csv",
        "000.00.12.H12-250102-0001,H12,1.0001,20250102080000,20250110170000,20250105093000,10,2,1,x",
        "000.00.12.H12-250102-0002,H12,1.0001,20250102090000,20250110170000,,4,1,0,y",
        "000.00.12.H12-250102-0003,H12,1.0001,20250102100000,20250110170000,,5,3,0,z",
        header=header,
    )
    rows = read_ledger(path).to_pylist()
    assert [r["channel"] for r in rows] == ["online", "counter", "post"]
    assert [r["status"] for r in rows] == ["returned", "processing", "supplement_requested"]
    assert rows[0]["finished_at"] == dt.datetime(2025, 1, 5, 9, 30)
    assert rows[0]["paid_online"] is True
    assert rows[0]["dossier_code"] == "000.00.12.H12-250102-0001"


def test_xlsx_rows_are_numbered_as_in_the_spreadsheet(tmp_path):
    path = tmp_path / "a.xlsx"

    def write(*more_rows):
        """A typed first row (a date cell, a boolean, a number), then text rows."""
        with xlsxwriter.Workbook(str(path)) as book:
            sheet = book.add_worksheet()
            date_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
            sheet.write_row(0, 0, ["dossier_code", "unit_code", "procedure_code", "received_at", "status", "channel", "has_fee", "supplement_count"])
            sheet.write_row(1, 0, ["H12-250102-0001", "U1", "P1"])
            sheet.write_datetime(1, 3, dt.datetime(2025, 1, 2, 8, 30), date_format)
            sheet.write_row(1, 4, ["processing", "counter", True, 1])
            for number, values in enumerate(more_rows, start=2):
                sheet.write_row(number, 0, values)

    write(["H12-250102-0002", "U1", "P1", "2025-01-02 09:00", "processing", "online", 1, 0],
          ["H12-250102-0003", "U1", "P1", "2025-01-02 09:00", "processing", "online", "có", 0])
    with pytest.raises(LedgerImportError) as exc:
        read_ledger(path)
    assert problems(exc) == {(4, "has_fee")}
    # Fix the bad cell: typed cells (dates, booleans, numbers) all read correctly.
    write()
    row = read_ledger(path).to_pylist()[0]
    assert (row["received_at"], row["has_fee"], row["supplement_count"]) == (dt.datetime(2025, 1, 2, 8, 30), True, 1)


def test_parquet_with_interchange_types_passes_and_with_strings_is_parsed(tmp_path):
    rows = [dossier(finished_at="2025-01-08 10:00"), dossier()]
    typed = tmp_path / "typed.parquet"
    pq.write_table(ledger(rows), typed)
    assert read_ledger(typed).to_pylist() == ledger(rows).to_pylist()
    strings = ledger(rows).cast(pa.schema([pa.field(f.name, pa.string()) for f in arrow_schema()]))
    pq.write_table(strings, tmp_path / "strings.parquet")
    assert read_ledger(tmp_path / "strings.parquet").to_pylist() == ledger(rows).to_pylist()


def test_sub_second_parts_are_dropped_from_typed_timestamps_too(tmp_path):
    row = dossier(received_at=dt.datetime(2025, 1, 2, 8, 0, 0, 750000), finished_at="2025-01-08 10:00")
    pq.write_table(ledger([row]), tmp_path / "a.parquet")
    got = read_ledger(tmp_path / "a.parquet").to_pylist()[0]
    assert got["received_at"] == dt.datetime(2025, 1, 2, 8, 0, 0)
    assert got["finished_at"] == dt.datetime(2025, 1, 8, 10, 0)


def test_parquet_rows_are_record_numbers(tmp_path):
    rows = [dossier(), dossier(channel="fax")]
    table = ledger([dossier(), dossier()]).set_column(
        7, "channel", pa.array([r["channel"] for r in rows])
    )
    pq.write_table(table, tmp_path / "a.parquet")
    with pytest.raises(LedgerImportError) as exc:
        read_ledger(tmp_path / "a.parquet")
    assert problems(exc) == {(2, "channel")}


def test_missing_due_dates_come_from_the_catalogue(tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        "H12-250303-0001,U1,P1,2025-03-03 09:00,,,processing,counter,,,,",
        "H12-250303-0002,U1,P1,2025-03-03 16:00,,,processing,counter,,,,",  # after the 15:00 cut-off
        "H12-250303-0003,U1,P1,2025-03-03 16:00,,,processing,online,,,,",
        "H12-250303-0004,U1,P9,2025-03-03 16:00,2025-03-20 17:00,,processing,online,,,,",
    )
    table = read_ledger(path, procedures={"P1": Procedure("P1", "Chứng thực", time_limit=5)})
    assert table.column("due_at").to_pylist() == [
        dt.datetime(2025, 3, 10, 17), dt.datetime(2025, 3, 11, 17), dt.datetime(2025, 3, 10, 17),
        dt.datetime(2025, 3, 20, 17),
    ]
    path = write_csv(tmp_path / "b.csv", "H12-250303-0001,U1,P9,2025-03-03 09:00,,,processing,counter,,,,")
    with pytest.raises(LedgerImportError, match="thủ tục 'P9' không có trong danh mục"):
        read_ledger(path, procedures={"P1": Procedure("P1", "Chứng thực", time_limit=5)})


def test_write_is_all_or_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out.parquet"
    good = ledger([dossier()])
    write_ledger(good, out)
    assert pq.read_table(out).num_rows == 1

    def broken(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError):
        write_ledger(ledger([dossier(), dossier()]), out)
    assert pq.read_table(out).num_rows == 1  # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]  # no half-written leftovers


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(LedgerImportError, match="không hỗ trợ"):
        read_ledger(write_csv(tmp_path / "a.txt", ""))
    with pytest.raises(LedgerImportError, match="không tồn tại"):
        read_ledger(tmp_path / "nope.csv")


@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "e"])), max_size=30))
def test_duplicate_codes_are_exactly_those_seen_twice(codes):
    from collections import Counter

    from cchc.service.importer import _duplicates

    found = _duplicates(pa.chunked_array([pa.array(codes, pa.string())])).to_pylist()
    assert sorted(found) == sorted(c for c, n in Counter(codes).items() if c is not None and n > 1)


@pytest.mark.parametrize("encoding", ["utf-16", "tcvn3", "vni", "utf-8-sig"])
def test_csv_saved_by_old_office_software_reads_the_same_as_utf8(tmp_path, encoding):
    # Excel's "Unicode text" is UTF-16; files typed in .VnTime / VNI-Times fonts are TCVN3 /
    # VNI (cchc.textio decides, docs/operations.md). The ward name is Vietnamese on purpose.
    lines = ["H12-250102-0001,Phường Tam Quan Bắc,P1,2025-01-02 08:00,,,processing,counter,0,0,,"]
    plain = read_ledger(write_csv(tmp_path / "plain.csv", *lines))
    legacy = tmp_path / "legacy.csv"
    text = "\n".join([HEADER, *lines]) + "\n"
    encoders = {"tcvn3": encode_tcvn3, "vni": encode_vni}
    legacy.write_bytes(encoders[encoding](text) if encoding in encoders else text.encode(encoding))
    assert read_ledger(legacy).equals(plain)


def test_undecodable_csv_is_an_import_error_naming_the_file(tmp_path):
    path = tmp_path / "rac.csv"
    path.write_bytes(HEADER.encode() + b"\n\x81\x8d\x8f\x90\x9d\xff\xfe\x00\x81,\x8d\n")
    with pytest.raises(LedgerImportError) as info:
        read_ledger(path)
    assert "rac.csv" in str(info.value)
