"""The other 766 indicators (catalogue, feedback), six groups and the total out of 100."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from ledger_builders import dossier, ledger
from typer.testing import CliRunner

from cchc.cli import app
from cchc.service.catalogue_data import CatalogueEntry, read_catalogue_data
from cchc.service.engines import duckdb_from_arrow
from cchc.service.feedback import Feedback
from cchc.service.other_indicators import extended_index, full_framework
from cchc.service.problems import LedgerImportError

D = dt.date
runner = CliRunner()

CATALOGUE = (
    # On time for 1.1 (06/01 ≤ 20/01 − 5 working days = 13/01) and 1.2 (08/01 ≤ 06/01 + 5 = 13/01).
    CatalogueEntry("A", None, True, D(2025, 1, 6), D(2025, 1, 20), D(2025, 1, 8), True, "full", 50000, True),
    # Late for 1.1 (10/02 > 12/02 − 5 = 05/02); never made public → late for 1.2.
    CatalogueEntry("B", None, True, D(2025, 2, 10), D(2025, 2, 12), None, False, "partial", 0, False),
    # Announced before the period: only 1.3, 3.1, 3.5 count it.
    CatalogueEntry("C", None, True, D(2024, 12, 1), D(2025, 1, 1), D(2024, 12, 2), True, "none", 20000, False),
    # Applies to U2 only.
    CatalogueEntry("D", "U2", False, None, None, None, False, "none", 0, False),
)


def run(rows, **kw):
    return extended_index(duckdb_from_arrow(ledger(rows)), "2025-Q1", **kw)


def rates(result, unit):
    return {k: (r.numerator, r.denominator, r.points) for k, r in result.units[unit].other.items() if r}


def test_the_framework_has_six_groups_summing_to_100_and_its_indicators_fill_them():
    fw = full_framework()
    assert {k: int(m) for k, (_n, m) in fw.groups.items()} == {"1": 18, "2": 20, "3": 12, "4": 10, "5": 22, "6": 18}
    for group, (_name, maximum) in fw.groups.items():
        assert sum(i.definition.max_points for i in fw.indicators if i.definition.group == group) == maximum


def test_catalogue_indicators_per_unit():
    rows = [
        dossier(unit_code="U1", procedure_code="A", has_fee=True, paid_online=True),
        dossier(unit_code="U1", procedure_code="C", has_fee=True, paid_online=False),
        dossier(unit_code="U2", procedure_code="A", has_fee=True, paid_online=False),
    ]
    result = run(rows, catalogue=CATALOGUE)
    u1 = rates(result, "U1")
    assert u1["1.1"] == (1, 2, Decimal("3.00"))   # 6 × 0,5
    assert u1["1.2"] == (1, 2, Decimal("2.00"))   # 4 × 0,5
    assert u1["1.3"] == (2, 3, Decimal("1.33"))   # 2 × 0,6667
    assert u1["3.1"] == (2, 3, Decimal("0.00"))   # tracked only
    assert u1["3.5a"] == (1, 2, Decimal("1.25"))  # 2 × min(1, 0,5 ÷ 0,8)
    assert u1["3.5b"] == (1, 2, Decimal("1.25"))  # procedure A paid online in the period
    u2 = rates(result, "U2")
    assert u2["3.1"][:2] == (2, 4)                # D applies to U2 too
    assert u2["3.5b"][:2] == (0, 2)               # U2's dossier was not paid online
    assert result.units["U1"].other["1.4"] is None  # portal synchronisation: never held


def test_absent_inputs_give_null_not_zero():
    result = run([dossier()])
    other = result.units["U1"].other
    assert set(other) == {i.definition.id for i in full_framework().indicators if i.status != "ledger"}
    assert all(r is None for r in other.values())
    assert result.units["U1"].groups["1"].points is None


def test_a_unit_without_feedback_in_a_given_register_gets_the_full_5_2_and_5_3():
    # The portal gives a unit with no feedback the full 6 points of 5.2 and of 5.3.
    register = [Feedback("F1", "U9", dt.datetime(2025, 1, 2, 9), None, "complaint")]
    other = run([dossier()], feedback=register).units["U1"].other
    for key in ("5.2", "5.3"):
        r = other[key]
        assert r is not None and r.denominator == 0 and r.rate is None and r.points == Decimal("6.00")


def test_total_out_of_100_is_rescaled_over_the_indicators_with_data():
    rows = [dossier(finished_at="2025-01-08 10:00", has_fee=True, paid_online=True)]
    register = [Feedback("F1", "U1", dt.datetime(2025, 1, 2, 9), dt.datetime(2025, 1, 6, 9), "complaint")]
    unit = run(rows, feedback=register).units["U1"]
    # 2.1 = 20, 3.6 = 6, 5.4 = 6, 5.2 = 6, 5.3 = 6; 3.3 (0/0, of 12), 4.1 (0/0, of 6), 4.2 (of 4)
    # and 4.3 (of 2) give 0 — "no dossier" is not left out of the maximum → 44 of 68.
    assert unit.total_points == Decimal("44.00")
    assert unit.applicable_max == Decimal(68)
    assert unit.total_100 == Decimal("64.71")
    assert unit.groups["6"].points == Decimal("18.00") and unit.groups["3"].points == 0
    assert unit.groups["1"].points is None  # no catalogue given: no data


def test_ranks_by_total_100_are_1_2_2_4():
    rows = [dossier(unit_code=u, finished_at=f) for u, f in
            (("A", "2025-01-08 10:00"), ("B", "2025-01-20 10:00"), ("C", "2025-01-20 10:00"), ("D", None))]
    result = run(rows)
    assert {u: result.units[u].rank_100 for u in "ABCD"} == {"A": 1, "B": 2, "C": 2, "D": 2}


def test_catalogue_import_errors_name_file_row_and_column(tmp_path):
    path = tmp_path / "cat.csv"
    path.write_text(
        "procedure_code,published,decision_date,online_level,fee\n"
        "A,yes,2025-01-06,full,0\n"       # bad boolean
        "B,1,06/13/2025,level4,abc\n"     # month 13, unknown level, bad fee
        "A,1,,none,\n",                    # duplicate code for the same unit
        encoding="utf-8",
    )
    with pytest.raises(LedgerImportError) as err:
        read_catalogue_data(path)
    assert {(p.row, p.column) for p in err.value.problems} == {
        (2, "published"), (3, "decision_date"), (3, "online_level"), (3, "fee"), (4, "procedure_code"),
    }


def test_the_default_index_json_is_unchanged_and_the_extension_only_adds_keys(tmp_path):
    source = tmp_path / "ledger.parquet"
    pq.write_table(ledger([dossier(unit_code="A", finished_at="2025-01-08 10:00"),
                           dossier(unit_code="B", rating="dislike")]), source)
    cat = tmp_path / "cat.csv"
    cat.write_text("procedure_code,published,components_complete\nP1,1,1\n", encoding="utf-8")
    plain = runner.invoke(app, ["service", "index", str(source), "--period", "2025-Q1"])
    extended = runner.invoke(app, ["service", "index", str(source), "--period", "2025-Q1", "--catalogue", str(cat)])
    assert plain.exit_code == 0 and extended.exit_code == 0, extended.output
    base, ext = json.loads(plain.stdout), json.loads(extended.stdout)
    assert set(base) == {"period", "units"}
    assert all(set(u) == {"unit_code", "rank", "points", "indicators"} for u in base["units"])
    contract = {"unit_code", "rank", "points", "indicators"}
    assert [{k: u[k] for k in contract} for u in ext["units"]] == base["units"]
    assert ext["units"][0]["other_indicators"]["1.3"] == {"numerator": 1, "denominator": 1, "rate": 1.0, "points": 2.0}


def test_a_bad_catalogue_exits_2_with_the_row(tmp_path):
    source = tmp_path / "ledger.parquet"
    pq.write_table(ledger([dossier()]), source)
    cat = tmp_path / "cat.csv"
    cat.write_text("procedure_code,fee\nP1,-5\n", encoding="utf-8")
    out = runner.invoke(app, ["service", "index", str(source), "--period", "2025-Q1", "--catalogue", str(cat)])
    assert out.exit_code == 2
    assert "dòng 2, cột fee" in out.stderr
