"""What looks wrong in a ledger: the exact rules (with the codes behind every count) and the
statistical signals, labelled as signals."""

from __future__ import annotations

import pytest
from ledger_builders import dossier, ledger

from cchc.service.engines import duckdb_from_arrow
from cchc.service.integrity import RULES, integrity


def report(rows, period="2025-Q1"):
    return integrity(duckdb_from_arrow(ledger(rows)), period)


def codes_of(rep, unit="U1"):
    return next(u for u in rep.units if u.unit_code == unit).codes


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"supplement_requested_at": "2025-01-10 17:00:01", "supplement_count": 1}, "supplement_after_due"),
        ({"supplement_requested_at": "2025-01-09 17:00", "supplement_count": 1}, "supplement_last_day"),
        ({"supplement_requested_at": "2025-01-10 17:00", "supplement_count": 1}, "supplement_last_day"),
        ({"finished_at": "2025-01-01 08:00", "received_at": "2025-01-02 08:00"}, "impossible_times"),
        ({"due_at": "2025-01-01 17:00"}, "impossible_times"),
        ({"supplement_requested_at": "2025-01-02 07:59", "supplement_count": 1}, "impossible_times"),
        ({"supplement_requested_at": "2025-01-03 08:00", "supplement_completed_at": "2025-01-03 07:00", "supplement_count": 1}, "impossible_times"),
    ],
)
def test_each_exact_rule_names_the_dossier(fields, rule):
    bad = dossier(dossier_code="BAD-1", **fields)
    rep = report([bad, dossier()])
    assert rep.totals[rule] == 1
    assert codes_of(rep)[rule] == ["BAD-1"]
    assert all(rep.totals[other] == 0 for other in RULES if other != rule)


@pytest.mark.parametrize(
    "fields",
    [
        {"supplement_requested_at": "2025-01-09 16:59:59", "supplement_count": 1},  # 24 h + 1 s before
        {"supplement_requested_at": "2025-01-03 08:00", "supplement_completed_at": "2025-01-04 08:00", "supplement_count": 1},
        {"finished_at": "2025-01-02 08:00"},  # finished the moment it was received
        {},
    ],
)
def test_ordinary_dossiers_fire_no_rule(fields):
    rep = report([dossier(**fields)])
    assert rep.totals == dict.fromkeys(RULES, 0)


def test_a_duplicate_code_counts_across_the_whole_ledger_not_only_the_period():
    old = dossier(dossier_code="DUP-1", received_at="2024-06-03 08:00", finished_at="2024-06-04 08:00", due_at="2024-06-10 17:00")
    now = dossier(dossier_code="DUP-1")
    rep = report([old, now, dossier()])
    assert rep.totals["duplicate_code"] == 1  # the old one is out of Q1's scope
    assert codes_of(rep)["duplicate_code"] == ["DUP-1"]


def test_only_dossiers_in_the_periods_scope_are_checked():
    later = dossier(dossier_code="LATER", received_at="2025-04-02 08:00", due_at="2025-04-01 08:00")
    rep = report([later, dossier()])
    assert rep.totals["impossible_times"] == 0


def test_json_has_the_contract_keys_and_every_unit():
    rep = report([dossier(), dossier(unit_code="U2", dossier_code="X-1", due_at="2025-01-01 08:00")])
    doc = rep.to_dict()
    assert set(doc) >= {"period", "units", "totals"}
    assert doc["period"] == "2025-Q1"
    assert [u["unit_code"] for u in doc["units"]] == ["U1", "U2"]
    assert set(doc["units"][0]) >= {"unit_code", "checks", "dossiers"}
    assert doc["units"][1]["dossiers"]["impossible_times"] == ["X-1"]
    assert doc["totals"] == {"supplement_after_due": 0, "supplement_last_day": 0, "impossible_times": 1, "duplicate_code": 0}


def test_a_unit_finishing_much_more_often_off_hours_is_a_signal_not_a_finding():
    normal = [dossier(unit_code="U1", finished_at="2025-01-06 10:00") for _ in range(60)]
    odd = [dossier(unit_code="U2", finished_at="2025-01-04 21:00") for _ in range(40)]  # a Saturday night
    odd += [dossier(unit_code="U2", finished_at="2025-01-06 10:00") for _ in range(20)]
    rep = report(normal + odd)
    u1, u2 = rep.units
    assert u2.signals["finished_off_hours"].flagged and not u1.signals["finished_off_hours"].flagged
    assert u2.signals["finished_off_hours"].count == 40 and u2.signals["finished_off_hours"].finished == 60
    assert rep.totals == dict.fromkeys(RULES, 0)  # a signal is not a finding
    assert "Tín hiệu thống kê" in rep.to_dict()["signals_note"]


def test_finished_on_the_last_working_day_and_exactly_at_the_appointment():
    # Q1 2025 ends on Monday 31/03/2025, a working day.
    rows = [dossier(finished_at="2025-03-31 10:00", due_at="2025-03-31 10:00") for _ in range(3)]
    rows += [dossier(finished_at="2025-01-06 10:00") for _ in range(7)]
    unit = report(rows).units[0]
    assert unit.signals["finished_last_working_day"].count == 3
    assert unit.signals["finished_at_appointment"].count == 3
    assert not unit.signals["finished_last_working_day"].flagged  # one unit: nothing to compare with


@pytest.mark.spark
def test_spark_gives_duckdbs_report(spark, tmp_path):
    import pyarrow.parquet as pq

    from cchc.service.engines import spark_ledger

    rows = [dossier(finished_at="2025-01-04 21:00") for _ in range(5)]
    rows += [
        dossier(dossier_code="D-1"), dossier(dossier_code="D-1", unit_code="U2"),
        dossier(supplement_requested_at="2025-01-10 09:00", supplement_count=1),
        dossier(due_at="2025-01-01 08:00", finished_at="2025-03-31 10:00"),
    ]
    path = tmp_path / "ledger.parquet"
    pq.write_table(ledger(rows), path)
    expected = report(rows).to_dict()
    assert integrity(spark_ledger(spark, path), "2025-Q1").to_dict() == expected


def test_cli_json_and_xlsx(tmp_path):
    import json

    import openpyxl
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from cchc.cli import app

    path = tmp_path / "ledger.parquet"
    pq.write_table(ledger([dossier(dossier_code="=BAD", due_at="2025-01-01 08:00"), dossier()]), path)
    runner = CliRunner()
    shown = runner.invoke(app, ["service", "integrity", str(path), "--period", "2025-Q1", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["totals"]["impossible_times"] == 1
    book = tmp_path / "kiem_tra.xlsx"
    written = runner.invoke(app, ["service", "integrity", str(path), "--period", "2025-Q1", "--format", "xlsx", "--output", str(book)])
    assert written.exit_code == 0, written.output
    wb = openpyxl.load_workbook(book)
    assert wb["Kiểm tra sổ hồ sơ"]["F2"].value == 1  # impossible_times of U1, a number
    assert wb["Hồ sơ cần kiểm tra"]["B2"].value == "'=BAD"  # never a formula
    table = runner.invoke(app, ["service", "integrity", str(path), "--period", "2025-Q1"])
    assert table.exit_code == 0 and "Thời điểm không hợp lý" in table.output
    bad = runner.invoke(app, ["service", "integrity", str(path), "--period", "2025-Q9"])
    assert bad.exit_code == 2
