"""Circular 01/2018 Arts. 13-15: the nine indicators, the unit band, the officials' bands."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ledger_builders import dossier, ledger
from typer.testing import CliRunner

from cchc.cli import app
from cchc.service.catalogue_data import CatalogueEntry
from cchc.service.engines import duckdb_from_arrow
from cchc.service.feedback import Feedback
from cchc.service.importer import LedgerImportError, read_ledger
from cchc.service.quality import ALL, Rules, classify_official, classify_unit, quality, scheme

runner = CliRunner()
EARLY, ON_TIME = "2025-01-08 10:00", "2025-01-10 16:00"  # appointment 10/01/2025 17:00


def score(rows, **kw):
    """The score of hand-made contract-only dossiers for 2025-Q1 on DuckDB."""
    return quality(duckdb_from_arrow(ledger(rows)), "2025-Q1", **kw)


def with_extension(rows, **columns):
    table = ledger(rows)
    for name, values in columns.items():
        kind = pa.bool_() if name == "at_one_stop" else pa.int64()
        table = table.append_column(name, pa.array(values, kind))
    return duckdb_from_arrow(table)


def two_dossiers():
    return [
        dossier(dossier_code="H12.1-250102-0001", procedure_code="P1", finished_at=EARLY),
        dossier(dossier_code="H12.1-250102-0002", procedure_code="P2", finished_at=ON_TIME),
    ]


CATALOGUE = [
    CatalogueEntry("P1", published=True, components_complete=True, online_level="full"),
    CatalogueEntry("P2", published=True, components_complete=False, online_level="partial"),
]


def test_time_and_attitude_points_are_averaged_to_one_decimal():
    rows = [
        dossier(finished_at="2025-01-08 10:00"),  # early: 2 / 2
        dossier(finished_at="2025-01-10 16:00"),  # on time (the appointment's day): 1 / 1
        dossier(finished_at="2025-01-13 10:00"),  # overdue: 0 / 0
        dossier(finished_at="2025-01-08 10:00", has_complaint=True),  # early, complaint: 2 / 0
        dossier(finished_at="2025-01-08 10:00", status="refused"),  # not scored: no result
        dossier(),  # open: not scored
    ]
    (unit,) = score(rows)
    assert unit.dossiers == 4
    assert unit.means == {1: Decimal("1.3"), 7: Decimal("0.8")}  # 5/4 = 1,25 → 1,3; 3/4 → 0,8
    assert unit.total is None and unit.band is None  # 2 of 9 indicators: no classification


def test_overdue_attitude_is_configurable():
    rows = [dossier(finished_at="2025-01-13 10:00")]
    assert score(rows)[0].means[7] == Decimal("0.0")
    assert score(rows, rules=Rules(overdue_attitude=1))[0].means[7] == Decimal("1.0")


def test_with_the_other_seven_indicators_from_elsewhere_a_unit_is_classified():
    rows = [dossier(finished_at="2025-01-08 10:00")]
    others = {"U1": dict.fromkeys((2, 3, 4, 5, 6, 8, 9), 1.5)}
    (unit,) = score(rows, other_means=others)
    assert unit.total == Decimal("2.0") * 2 + Decimal("1.5") * 7  # 14,5
    assert unit.band == "Tốt"


def test_other_means_fill_only_indicators_without_data_and_are_checked():
    rows = [dossier(finished_at="2025-01-08 10:00")]  # early: indicator 1 computed as 2,0
    (unit,) = score(rows, other_means={"U1": {1: 0.0, 3: 1.25}})
    assert unit.means == {1: Decimal("2.0"), 3: Decimal("1.3"), 7: Decimal("2.0")}
    with pytest.raises(ValueError, match="indicator 10"):
        score(rows, other_means={"U1": {10: 1.0}})
    with pytest.raises(ValueError, match="means 0-2"):
        score(rows, other_means={"U1": {3: 2.5}})


@pytest.mark.parametrize(
    ("total", "band"),
    [(18, "Xuất sắc"), (15, "Xuất sắc"), (14.9, "Tốt"), (12, "Tốt"), (11.9, "Khá"), (9, "Khá"),
     (8.9, "Trung bình"), (6, "Trung bình"), (5.9, "Yếu"), (0, "Yếu")],
)
def test_unit_bands_of_article_15(total, band):
    assert classify_unit(total) == band


def test_the_inputs_beyond_the_ledger_are_listed_honestly():
    assert set(scheme().optional_inputs) == {2, 3, 4, 5, 6, 8, 9}
    # The list agrees with the score: a contract-only ledger gives exactly the others.
    (unit,) = score([dossier(finished_at="2025-01-08 10:00")])
    assert set(unit.means) == set(ALL) - set(scheme().optional_inputs)


def test_all_nine_indicators_a_total_and_a_band():
    con = with_extension(two_dossiers(), steps_late=[0, 1], contacts=[1, 3], agencies=[1, 2], at_one_stop=[True, False])
    # A confirmed complaint about the second dossier, handled within 15 working days.
    register = [Feedback("F1", "U1", dt.datetime(2025, 1, 9, 9), dt.datetime(2025, 1, 12, 10), "complaint",
                         "H12.1-250102-0002", confirmed=True)]
    (unit,) = quality(con, "2025-Q1", catalogue=CATALOGUE, feedback=register)
    assert unit.dossiers == 2
    assert unit.means == {
        1: Decimal("1.5"),  # early 2, on time 1
        2: Decimal("1.0"),  # no late step and early 2; a late step 0
        3: Decimal("1.0"),  # one contact 2; three 0
        4: Decimal("1.5"),  # one agency 2; two 1
        5: Decimal("1.0"),  # at the one-stop shop 2; not 0
        6: Decimal("1.5"),  # published in full 2; published without all components 1
        7: Decimal("1.0"),  # early, no complaint 2; a confirmed complaint 0
        8: Decimal("1.5"),  # no feedback 2; feedback handled in time 1
        9: Decimal("1.5"),  # full online 2; partial 1
    }
    assert unit.total == Decimal("11.5") and unit.band == "Khá"  # 9 ≤ 11,5 < 12


def test_without_the_optional_inputs_those_indicators_have_no_data_and_no_band():
    (unit,) = quality(duckdb_from_arrow(ledger(two_dossiers())), "2025-Q1")
    assert set(unit.means) == {1, 7}
    assert unit.total is None and unit.band is None


def test_empty_optional_cells_are_missing_not_zero():
    con = with_extension(two_dossiers(), contacts=[None, 1])
    (unit,) = quality(con, "2025-Q1")
    assert unit.means[3] == Decimal("2.0")  # the mean over the one dossier that has a count


def test_late_feedback_on_a_dossier_gives_0_for_indicator_8():
    register = [Feedback("F1", "U1", dt.datetime(2025, 1, 2, 9), None, "suggestion", "H12.1-250102-0001")]
    (unit,) = quality(duckdb_from_arrow(ledger(two_dossiers())), "2025-Q1", feedback=register)
    assert unit.means[8] == Decimal("1.0")  # pending past its deadline 0; no feedback 2


def test_cut_offs_are_configurable():
    con = with_extension(two_dossiers(), contacts=[2, 2])
    assert quality(con, "2025-Q1")[0].means[3] == Decimal("1.0")
    assert quality(con, "2025-Q1", rules=Rules(contacts_full=2))[0].means[3] == Decimal("2.0")


@pytest.mark.parametrize(("score", "band"), [
    (6, "Hoàn thành xuất sắc nhiệm vụ"), (5, "Hoàn thành xuất sắc nhiệm vụ"),
    (4.9, "Hoàn thành 70-99% nhiệm vụ"), (3.5, "Hoàn thành 70-99% nhiệm vụ"), (3.4, "Dưới 70% nhiệm vụ"),
])
def test_officials_bands_of_article_15(score, band):
    assert classify_official(score) == band


def test_the_importer_keeps_optional_columns_only_when_given_and_checks_them(tmp_path):
    head = "dossier_code,unit_code,procedure_code,received_at,status,channel"
    plain = tmp_path / "plain.csv"
    plain.write_text(f"{head}\nH12.1-250102-0001,U1,P1,2025-01-02 08:00,processing,counter\n", encoding="utf-8")
    assert "contacts" not in read_ledger(plain).column_names
    ext = tmp_path / "ext.csv"
    ext.write_text(f"{head},contacts,at_one_stop\n"
                   "H12.1-250102-0001,U1,P1,2025-01-02 08:00,processing,counter,2,\n", encoding="utf-8")
    table = read_ledger(ext)
    assert table.column("contacts").to_pylist() == [2] and table.column("at_one_stop").to_pylist() == [None]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{head},agencies\nH12.1-250102-0001,U1,P1,2025-01-02 08:00,processing,counter,-1\n", encoding="utf-8")
    with pytest.raises(LedgerImportError, match="dòng 2, cột agencies"):
        read_ledger(bad)


def test_cli_prints_json_and_a_vietnamese_table(tmp_path):
    source = tmp_path / "ledger.csv"
    source.write_text(
        "dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,status,channel,contacts\n"
        "H12.1-250102-0001,U1,P1,2025-01-02 08:00,2025-01-10 17:00,2025-01-08 10:00,finished,counter,1\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["service", "quality", str(source), "--period", "2025-Q1", "--format", "json"])
    assert out.exit_code == 0, out.output
    unit = json.loads(out.stdout)["units"][0]
    assert unit["means"]["1"] == 2.0 and unit["means"]["3"] == 2.0 and unit["means"]["6"] is None
    table = runner.invoke(app, ["service", "quality", str(source), "--period", "2025-Q1"])
    assert "2,0" in table.stdout and "chưa đủ 9 chỉ số" in table.stdout
    bad = runner.invoke(app, ["service", "quality", str(source), "--period", "2025-Q5"])
    assert bad.exit_code == 2 and "không hợp lệ" in bad.stderr


def test_cli_a_bad_feedback_register_exits_2_with_file_row_and_column(tmp_path):
    source = tmp_path / "ledger.parquet"
    pq.write_table(ledger(two_dossiers()), source)
    register = tmp_path / "feedback.csv"
    register.write_text("feedback_id,unit_code,received_at,kind\nF1,U1,2025-01-09 09:00,khen\n", encoding="utf-8")
    out = runner.invoke(app, ["service", "quality", str(source), "--period", "2025-Q1", "--feedback", str(register)])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert f"{register}, dòng 2, cột kind" in out.stderr
