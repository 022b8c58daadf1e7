"""The synthetic dossier ledger: contract columns, codes, deadlines, realism, determinism.

Also checks that the benchmark's two independent 766 implementations (the floor SQL and
the pandas baseline, benchmarks/) agree with each other and with DOMAIN.md §7's rules.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cchc.calendar import default_calendar
from cchc.service.generator import (
    CATALOGUE,
    DEFAULT_UNITS,
    generate_ledger,
    iter_ledger,
    write_ledger,
)

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from common import differences, from_contract_json, period_bounds  # noqa: E402
from floor import floor_index  # noqa: E402
from pandas_baseline import pandas_index  # noqa: E402

TERMINAL = {"finished", "returned", "refused", "stopped", "withdrawn"}
OPEN = {"received", "processing", "supplement_requested", "supplement_completed"}
CONTRACT = [
    "dossier_code", "unit_code", "procedure_code", "received_at", "due_at", "finished_at",
    "status", "channel", "online_eligible", "supplement_count", "supplement_requested_at",
    "supplement_completed_at", "has_fee", "paid_online", "requires_result_document",
    "e_result", "digitised", "reused_data", "rating", "has_complaint",
]  # fmt: skip


@pytest.fixture(scope="module")
def ledger() -> pa.Table:
    return generate_ledger(60_000, seed=7)


@pytest.fixture(scope="module")
def rows(ledger: pa.Table) -> list[dict]:
    return ledger.to_pylist()


def test_columns_are_exactly_the_interchange_contract(ledger: pa.Table) -> None:
    from cchc.service.schema import COLUMNS

    assert ledger.column_names == CONTRACT
    assert [name for name, _ in COLUMNS] == CONTRACT
    arrow_kind = {
        "string": pa.types.is_string,
        "timestamp": lambda t: pa.types.is_timestamp(t) and t.tz is None,  # naive local time
        "boolean": pa.types.is_boolean,
        "int64": pa.types.is_integer,
    }
    for name, kind in COLUMNS:
        assert arrow_kind[kind](ledger.schema.field(name).type), name
    for name in ("dossier_code", "unit_code", "procedure_code", "received_at", "due_at",
                 "status", "channel", "supplement_count"):  # fmt: skip
        assert ledger.column(name).null_count == 0, name
    assert set(ledger.column("status").to_pylist()) <= TERMINAL | OPEN
    assert set(ledger.column("channel").to_pylist()) == {"counter", "online", "post"}
    assert set(ledger.column("rating").to_pylist()) == {"like", "dislike", None}


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.parquet", tmp_path / "b.parquet", tmp_path / "c.parquet"
    write_ledger(a, 20_000, seed=3)
    write_ledger(b, 20_000, seed=3)
    write_ledger(c, 20_000, seed=4)
    assert a.read_bytes() == b.read_bytes()
    assert pq.read_table(a).equals(generate_ledger(20_000, seed=3))
    assert not pq.read_table(a).equals(pq.read_table(c))


def test_rows_in_contiguous_chunks_add_up() -> None:
    chunks = list(iter_ledger(30_000, seed=1))
    assert sum(t.num_rows for t in chunks) == 30_000
    # A big ledger is produced in several bounded chunks, not one table.
    big = iter_ledger(2_500_000, seed=1)
    first = next(big)
    assert 0 < first.num_rows <= 1_000_000


def test_codes_are_unique_well_formed_and_numbered_in_order_of_receipt(rows: list[dict]) -> None:
    from cchc.service.code import CODE_PATTERN

    codes = [r["dossier_code"] for r in rows]
    assert len(set(codes)) == len(codes)
    by_day: dict[tuple[str, dt.date], list[tuple[dt.datetime, int]]] = {}
    for r in rows:
        assert re.fullmatch(CODE_PATTERN, r["dossier_code"])
        agency, day, seq = r["dossier_code"].rsplit("-", 2)
        assert agency == r["unit_code"]
        assert day == r["received_at"].strftime("%y%m%d")
        by_day.setdefault((agency, r["received_at"].date()), []).append(
            (r["received_at"], int(seq))
        )
    for entries in by_day.values():
        entries.sort()
        assert [seq for _, seq in entries] == list(range(1, len(entries) + 1))


def test_due_dates_are_working_days_from_the_procedure_limit(rows: list[dict]) -> None:
    cal = default_calendar()
    limits = {p.code: p.limit_days for p in CATALOGUE}
    checked = 0
    for r in rows[::37]:
        due = r["due_at"]
        assert cal.is_working_day(due.date())
        assert due > r["received_at"]
        # The calendar's own scalar deadline (15:00 cut-off) must agree for counter and post
        # dossiers and for online ones before the cut-off (online's is 17:00, assumed).
        if r["channel"] != "online" or r["received_at"].hour < 15:
            assert due.date() == cal.deadline(r["received_at"], limits[r["procedure_code"]])
            checked += 1
    assert checked > 1000


def test_counter_and_post_receipts_are_in_office_hours_on_working_days(rows: list[dict]) -> None:
    cal = default_calendar()
    rest_day_channels = set()
    for r in rows:
        t = r["received_at"]
        if r["channel"] != "online":
            assert cal.is_working_day(t.date()), r["dossier_code"]
            assert dt.time(8) <= t.time() < dt.time(17) and not dt.time(12) <= t.time() < dt.time(
                13
            )
        elif not cal.is_working_day(t.date()):
            rest_day_channels.add(r["channel"])
    assert rest_day_channels == {"online"}  # the portal never closes


def test_open_dossiers_have_no_finish_and_nothing_happens_after_the_end(rows: list[dict]) -> None:
    as_of = dt.datetime(2026, 1, 1)
    open_rows = [r for r in rows if r["finished_at"] is None]
    assert open_rows, "a ledger seen at the end of its span has dossiers still running"
    assert all(r["status"] in OPEN for r in open_rows)
    for r in rows:
        if r["finished_at"] is not None:
            assert r["status"] in TERMINAL
            assert r["received_at"] <= r["finished_at"] < as_of
        for col in ("received_at", "supplement_requested_at", "supplement_completed_at"):
            assert r[col] is None or r[col] < as_of
        if r["supplement_count"] == 0:
            assert r["supplement_requested_at"] is None and r["supplement_completed_at"] is None
        else:
            assert r["received_at"] <= r["supplement_requested_at"]
            if r["supplement_completed_at"] is not None:
                assert r["supplement_completed_at"] > r["supplement_requested_at"]
            elif r["finished_at"] is None:
                assert r["status"] == "supplement_requested"
        if r["status"] == "supplement_requested":
            assert r["supplement_completed_at"] is None


def test_carried_over_dossiers_cross_the_new_year(rows: list[dict]) -> None:
    carried = [
        r for r in rows
        if r["received_at"].year == 2024 and r["finished_at"] and r["finished_at"].year == 2025
    ]  # fmt: skip
    assert len(carried) > 20


def test_shares_look_like_a_real_one_stop_shop(ledger: pa.Table) -> None:
    df = ledger.to_pandas()
    y25 = df[df["received_at"].dt.year == 2025]
    eligible = y25[y25["online_eligible"]]
    online_share = (eligible["channel"] == "online").mean()
    assert 0.35 < online_share < 0.65
    assert 0.005 < (df["channel"] == "post").mean() < 0.05
    closed = df[df["finished_at"].notna() & (df["supplement_count"] == 0)]
    on_time = (closed["finished_at"] <= closed["due_at"]).mean()
    assert 0.93 < on_time < 0.99  # DOMAIN §5: provinces report 97-98 % on time
    asked = (df["supplement_count"] > 0).mean()
    assert 0.05 < asked < 0.15
    assert 0.002 < (df["supplement_count"] == 2).mean() < 0.03
    assert 0.02 < df["rating"].notna().mean() < 0.1
    assert 0 < df["has_complaint"].mean() < 0.01
    assert not (df["paid_online"] & ~df["has_fee"]).any()
    assert not (df["e_result"] & ~df["requires_result_document"]).any()
    assert not (df["reused_data"] & ~df["digitised"]).any()
    # The town handles land files; wards and communes do not.
    land = df[df["procedure_code"].str.startswith("DD-")]
    assert set(land["unit_code"]) == {"HNH"}
    assert set(df["unit_code"]) == set(DEFAULT_UNITS)


def test_peaks_before_tet_and_at_quarter_ends() -> None:
    cal = default_calendar()
    df = generate_ledger(200_000, seed=2).to_pandas()
    daily = df.groupby(df["received_at"].dt.date).size()
    working = [d for d in daily.index if cal.is_working_day(d)]
    # Tết 2025: 25/01-02/02/2025 off; the 10 working days before it are busy.
    before_tet = [d for d in working if dt.date(2025, 1, 10) <= d <= dt.date(2025, 1, 24)]
    quarter_end = [d for d in working if dt.date(2025, 9, 17) <= d <= dt.date(2025, 9, 30)]
    ordinary = [d for d in working if dt.date(2025, 8, 1) <= d <= dt.date(2025, 8, 31)]
    assert daily[before_tet].mean() > 1.3 * daily[ordinary].mean()
    assert daily[quarter_end].mean() > 1.1 * daily[ordinary].mean()


def test_custom_units_and_span() -> None:
    table = generate_ledger(
        5_000, seed=1, start=dt.date(2025, 7, 1), end=dt.date(2025, 9, 30), units=["A1", "B2"]
    )
    assert set(table.column("unit_code").to_pylist()) == {"A1", "B2"}
    received = table.column("received_at")
    assert pc.min(received).as_py() >= dt.datetime(2025, 7, 1)
    assert pc.max(received).as_py() < dt.datetime(2025, 10, 1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rows": 0},
        {"rows": 10, "seed": -1},
        {"rows": 10, "units": []},
        {"rows": 10, "units": ["A", "A"]},
        {"rows": 10, "start": dt.date(2025, 2, 1), "end": dt.date(2025, 1, 1)},
        # 4-digit daily sequence: one unit cannot receive 20,000 dossiers in a day.
        {"rows": 20_000, "units": ["A"], "start": dt.date(2025, 3, 3), "end": dt.date(2025, 3, 3)},
    ],
)
def test_bad_arguments_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        generate_ledger(**kwargs)


def test_cli_writes_parquet_and_reports_in_vietnamese(tmp_path: Path) -> None:
    from cchc.cli import app

    out = tmp_path / "ledger.parquet"
    args = ["service", "generate", "--rows", "3000", "--output", str(out), "--seed", "9"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Đã tạo 3.000 hồ sơ (số liệu minh họa)" in result.output
    assert pq.read_table(out).equals(generate_ledger(3000, seed=9))
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.parquet"]  # no temp file left

    missing_dir = str(tmp_path / "no" / "x.parquet")
    bad = CliRunner().invoke(app, ["service", "generate", "--rows", "10", "--output", missing_dir])
    assert bad.exit_code == 2
    assert "không tồn tại" in bad.output
    zero = ["service", "generate", "--rows", "0", "--output", str(out)]
    assert CliRunner().invoke(app, zero).exit_code == 2


def test_generated_ledger_passes_the_service_importer(tmp_path: Path) -> None:
    """What the generator writes, the product's own import validation accepts unchanged."""
    from cchc.service.importer import read_ledger

    path = tmp_path / "l.parquet"
    write_ledger(path, 5_000, seed=4)
    imported = read_ledger(path)
    original = pq.read_table(path)
    assert imported.num_rows == original.num_rows
    for name in ("dossier_code", "due_at", "finished_at", "status", "supplement_count"):
        assert imported.column(name).to_pylist() == original.column(name).to_pylist(), name


@pytest.mark.parametrize("period", ["2025", "2024-Q4", "2025-H1", "2025-02"])
def test_floor_sql_and_pandas_baseline_agree(tmp_path: Path, period: str) -> None:
    path = tmp_path / "l.parquet"
    write_ledger(path, 30_000, seed=11)
    floor, pandas = floor_index(path, period), pandas_index(path, period)
    assert set(floor) == set(DEFAULT_UNITS)
    assert differences(floor, pandas, "floor", "pandas") == []


def _dossier(code: str, received: str, due: str, finished: str | None, **extra: object) -> dict:
    row: dict = {c: None for c in CONTRACT}
    row.update(
        dossier_code=code, unit_code="U", procedure_code="P", status="returned",
        channel="counter", supplement_count=0,
        received_at=dt.datetime.fromisoformat(received), due_at=dt.datetime.fromisoformat(due),
        finished_at=dt.datetime.fromisoformat(finished) if finished else None,
    )  # fmt: skip
    for key in ("online_eligible", "has_fee", "paid_online", "requires_result_document",
                "e_result", "digitised", "reused_data", "has_complaint"):  # fmt: skip
        row[key] = False
    for key, value in extra.items():
        row[key] = dt.datetime.fromisoformat(value) if key.endswith("_at") and value else value
    return row


def _hand_made_ledger(path: Path) -> None:
    """One dossier per rule of DOMAIN.md §7 for the period 2025 (see the comments)."""
    d = _dossier
    rows = [
        d("U-250102-0001", "2025-01-02 09:00", "2025-01-06 17:00", "2025-01-06 16:00"),  # on time
        d("U-250102-0002", "2025-01-02 09:00", "2025-01-06 17:00", "2025-01-07 08:30"),  # overdue
        # Carried over from 2024 and finished on time in 2025: in scope.
        d("U-241230-0001", "2024-12-30 09:00", "2025-01-03 17:00", "2025-01-03 10:00"),
        # Finished in 2024: out of scope for 2025.
        d("U-241202-0001", "2024-12-02 09:00", "2024-12-05 17:00", "2024-12-04 10:00"),
        # Open at the period's end, due within it: the end time is the period's end → overdue.
        d("U-251201-0001", "2025-12-01 09:00", "2025-12-20 17:00", None, status="processing"),
        # Open at the period's end but due later: on time.
        d("U-251230-0001", "2025-12-30 09:00", "2026-01-10 17:00", None, status="processing"),
        # Two supplement requests, the papers came in: judged by its times → on time.
        d("U-250301-0001", "2025-03-03 09:00", "2025-03-10 17:00", "2025-03-05 09:00",
          supplement_count=2, supplement_requested_at="2025-03-04 09:00",
          supplement_completed_at="2025-03-04 15:00"),
        # Two supplement requests and still waiting for the papers: overdue, although the
        # clock stopped before the appointment.
        d("U-250301-0005", "2025-03-03 09:00", "2025-03-10 17:00", None,
          status="supplement_requested", supplement_count=2,
          supplement_requested_at="2025-03-05 09:00"),
        # Completed supplement: 5 days of the citizen's time are subtracted → on time.
        d("U-250301-0002", "2025-03-03 09:00", "2025-03-10 17:00", "2025-03-14 09:00",
          supplement_count=1, supplement_requested_at="2025-03-04 09:00",
          supplement_completed_at="2025-03-09 09:00"),
        # Pending supplement (never completed), requested before the due time → on time.
        d("U-250301-0003", "2025-03-03 09:00", "2025-03-10 17:00", "2025-04-30 09:00",
          status="withdrawn", supplement_count=1, supplement_requested_at="2025-03-05 09:00"),
        # Pending supplement requested after the due time → overdue.
        d("U-250301-0004", "2025-03-03 09:00", "2025-03-10 17:00", None,
          status="supplement_requested", supplement_count=1,
          supplement_requested_at="2025-03-12 09:00"),
        # Received in 2026: out of every 2025 count.
        d("U-260105-0001", "2026-01-05 09:00", "2026-01-08 17:00", "2026-01-06 10:00"),
    ]  # fmt: skip
    # A dislike on the first (on-time) dossier and online, fee, e-result, digitised flags.
    rows[0].update(rating="dislike", online_eligible=True, channel="online", has_fee=True,
                   paid_online=True, requires_result_document=True, e_result=True,
                   digitised=True, reused_data=True)  # fmt: skip
    # The overdue second dossier is also complained about: subtracted from 5.4 once.
    rows[1].update(online_eligible=True, requires_result_document=True, digitised=True,
                   has_complaint=True)  # fmt: skip
    pq.write_table(pa.Table.from_pylist(rows), path)


def test_both_baselines_follow_the_766_rules_on_hand_made_dossiers(tmp_path: Path) -> None:
    """Each rule of 2.1 on one dossier; the expected verdicts are the rules', not the code's."""
    path = tmp_path / "hand.parquet"
    _hand_made_ledger(path)
    floor, pandas = floor_index(path, "2025"), pandas_index(path, "2025")
    assert differences(floor, pandas, "floor", "pandas") == []
    got = floor["U"]["indicators"]
    in_scope = 12 - 2  # all but the one finished in 2024 and the one received in 2026
    on_time = ["0001", "241230", "251230", "250301-0001", "250301-0002", "250301-0003"]
    assert (got["2.1"]["numerator"], got["2.1"]["denominator"]) == (len(on_time), in_scope)
    assert got["2.1"]["rate"] == round(len(on_time) / in_scope, 4)
    # One dislike on an on-time dossier; the overdue one with a complaint is not subtracted twice.
    assert got["5.4"]["numerator"] == len(on_time) - 1
    received_2025 = 9  # received within 2025
    assert (got["3.3"]["numerator"], got["3.3"]["denominator"]) == (1, 2)
    assert got["3.3"]["points"] == 12.0  # 50 % online is full points
    assert (got["3.6"]["numerator"], got["3.6"]["denominator"]) == (1, 1)
    assert (got["4.1"]["numerator"], got["4.1"]["denominator"]) == (1, 2)
    # Digitised but its required e-result missing does not count for 4.2.
    assert (got["4.2"]["numerator"], got["4.2"]["denominator"]) == (1, received_2025)
    assert (got["4.3"]["numerator"], got["4.3"]["denominator"]) == (1, received_2025)
    assert floor["U"]["rank"] == 1
    assert period_bounds("2025-Q1") == (
        dt.datetime(2025, 1, 1),
        dt.datetime(2025, 3, 31, 23, 59, 59, 999999),
    )


@pytest.mark.parametrize("ledger_kind", ["hand-made", "generated"])
def test_cchc_service_index_gives_the_floor_numbers(tmp_path: Path, ledger_kind: str) -> None:
    """The product's index (issue 3's JSON contract) equals the independent floor query."""
    from cchc.service.engines import duckdb_index

    path = tmp_path / "l.parquet"
    if ledger_kind == "hand-made":
        _hand_made_ledger(path)
    else:
        write_ledger(path, 20_000, seed=12)
    for period in ("2025", "2025-Q1", "2024-12"):
        index = duckdb_index(path, period)
        assert index is not None, "a generated ledger is read in place, not re-imported"
        cchc = from_contract_json(index.to_dict())
        assert differences(floor_index(path, period), cchc, "floor", "cchc") == [], period
