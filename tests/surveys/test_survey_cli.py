"""`cchc survey ...`: the issue 5 contracts exactly, and errors as exit status 2."""

from __future__ import annotations

import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cchc.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["survey", *args])


@pytest.mark.parametrize(
    ("population", "margin", "expected"),
    [
        ("1000", None, "286"),  # 1000 / 3,5 = 285,7
        ("0", None, "0"),
        ("50000", None, "397"),  # 50000 / 126 = 396,8
        ("1000", "0.1", "91"),  # 1000 / 11 = 90,9
    ],
)
def test_sample_size_prints_n(population, margin, expected):
    args = ["sample-size", "--population", population] + (["--margin", margin] if margin else [])
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected + "\n"


def test_sample_size_rejects_a_negative_population_without_traceback():
    result = run("sample-size", "--population", "-5")
    assert result.exit_code == 2
    assert "không được âm" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_index_json_is_the_contract_exactly(write_table):
    # Unit B first in the file: output is sorted by unit_code.
    rows = [["b1", "B", "tiep_can", "tc1", 1], ["b2", "B", "tiep_can", "tc1", 2]]
    # A / tiep_can: 5 4 3 4 5 2 4 5 4 5 → 8 of 10 satisfied (Wilson 0,4902–0,9433, see
    # test_survey_interval); A / thu_tuc: 4, 0, empty → 1 of 1 (0,2065–1).
    for i, v in enumerate([5, 4, 3, 4, 5, 2, 4, 5, 4, 5]):
        rows.append([f"a{i}", "A", "tiep_can", "tc1", v])
    rows += [
        ["a0", "A", "thu_tuc", "tt1", 4],
        ["a1", "A", "thu_tuc", "tt1", 0],
        ["a2", "A", "thu_tuc", "tt1", ""],
    ]
    path = write_table("answers.csv", rows)
    result = run("index", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    # B / tiep_can: 0 of 2: low 0, high = (0 + 0,9604 + 1,96·0,49) / 2,9208 = 1,9208 / 2,9208 = 0,6576
    assert json.loads(result.stdout) == {
        "units": [
            {
                "unit_code": "A",
                "respondents": 10,
                "index": 0.9,
                "factors": {
                    "tiep_can": {
                        "satisfied": 8,
                        "valid": 10,
                        "index": 0.8,
                        "ci_low": 0.4902,
                        "ci_high": 0.9433,
                    },
                    "thu_tuc": {
                        "satisfied": 1,
                        "valid": 1,
                        "index": 1.0,
                        "ci_low": 0.2065,
                        "ci_high": 1.0,
                    },
                },
            },
            {
                "unit_code": "B",
                "respondents": 2,
                "index": 0.0,
                "factors": {
                    "tiep_can": {
                        "satisfied": 0,
                        "valid": 2,
                        "index": 0.0,
                        "ci_low": 0.0,
                        "ci_high": 0.6576,
                    },
                },
            },
        ]
    }


def test_index_json_null_when_no_valid_answers(write_table):
    path = write_table(
        "answers.xlsx", [["r1", "U", "gop_y", "gy1", 0], ["r2", "U", "gop_y", "gy1", None]]
    )
    unit = json.loads(run("index", str(path), "--format", "json").stdout)["units"][0]
    assert unit == {
        "unit_code": "U",
        "respondents": 2,
        "index": None,
        "factors": {
            "gop_y": {"satisfied": 0, "valid": 0, "index": None, "ci_low": None, "ci_high": None}
        },
    }


def test_index_table_is_vietnamese_with_decimal_commas(write_table):
    # 32 of 35 = 91,428…% → "91,43%"
    path = write_table(
        "answers.csv", [[f"r{i}", "U", "tiep_can", "tc1", 5 if i < 32 else 2] for i in range(35)]
    )
    result = runner.invoke(app, ["survey", "index", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "91,43%" in result.stdout and "32/35" in result.stdout
    assert "Khoảng tin cậy 95%" in result.stdout


def test_index_errors_exit_2_with_file_row_column_on_stderr(write_table):
    path = write_table("answers.csv", [["r1", "U", "f", "q", "4"], ["r2", "U", "f", "q", "x"]])
    result = run("index", str(path), "--format", "json")
    assert result.exit_code == 2
    assert f"{path}, dòng 3, cột answer" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_unknown_format_is_refused(write_table):
    path = write_table("answers.csv", [["r1", "U", "f", "q", "4"]])
    result = run("index", str(path), "--format", "yaml")
    assert result.exit_code == 2 and "--format" in result.stderr


def test_index_with_weights_and_kobo_input(write_table):
    header = ("unit_code", "tiep_can/tc1", "thu_tuc/tt1", "_uuid", "_submission_time")
    path = write_table(
        "kobo.csv", [["U", "5", "1", "u1", ""], ["U", "4", "2", "u2", ""]], header=header
    )
    # tiep_can 1,0 and thu_tuc 0,0; weights 3:1 → 0,75
    result = run(
        "index",
        str(path),
        "--kobo",
        "--year",
        "2025",
        "--format",
        "json",
        "--weight",
        "tiep_can=3",
        "--weight",
        "thu_tuc=1",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["units"][0]["index"] == 0.75


def test_points_sipas_and_officials(write_table):
    # SIPAS: 7 of 8 satisfied = 0,875 → 30 × 0,875 = 26,25 points.
    sipas = write_table(
        "s.csv", [[f"r{i}", "U", "tiep_can", "tc1", 5 if i else 1] for i in range(8)]
    )
    result = run("points", str(sipas), "--max", "30", "--format", "json")
    assert result.exit_code == 0, result.output
    unit = json.loads(result.stdout)["units"][0]
    assert (unit["score"], unit["points"], unit["max_points"]) == (0.875, 26.25, 30.0)
    assert unit["points_low"] < unit["points"] <= unit["points_high"] <= 30
    # Officials (assumed conversion): mean of 3, 4, 3, 4 = 3,5 on a 5-point scale → 10 × 3,5 / 5 = 7.
    officials = write_table(
        "o.csv", [[f"r{i}", "U", "chi_dao", "cd1", v] for i, v in enumerate([3, 4, 3, 4])]
    )
    unit = json.loads(
        run(
            "points", str(officials), "--max", "10", "--kind", "officials", "--format", "json"
        ).stdout
    )["units"][0]
    assert (unit["score"], unit["points"]) == (3.5, 7.0)


def test_compare_flags_overlapping_intervals(write_table):
    rows = [[f"a{i}", "A", "f", "q", 5] for i in range(50)]
    rows += [[f"b{i}", "B", "f", "q", 5 if i < 48 else 1] for i in range(50)]
    rows += [[f"c{i}", "C", "f", "q", 5 if i < 10 else 1] for i in range(50)]
    result = run("compare", str(write_table("a.csv", rows)))
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("A (100,00%) và B (96,00%): không khác biệt có ý nghĩa thống kê")
    assert lines[1].startswith("A (100,00%) và C (20,00%): khác biệt có ý nghĩa thống kê")


def test_sample_writes_respondents_reserves_and_tokens(tmp_path):
    rows = [
        {
            "dossier_code": f"X-{i:04d}",
            "unit_code": "U1" if i % 3 else "U2",
            "procedure_code": "P",
            "finished_at": f"2025-0{1 + i % 9}-15T10:00:00",
            "status": "finished",
        }
        for i in range(300)
    ]
    ledger = tmp_path / "ledger.parquet"
    pq.write_table(pa.Table.from_pylist(rows), ledger)
    out = tmp_path / "sample.csv"
    result = run(
        "sample", "--ledger", str(ledger), "--period", "2025", "--seed", "7", "--output", str(out)
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        drawn = list(csv.DictReader(handle))
    assert list(drawn[0]) == [
        "unit_code",
        "stratum",
        "role",
        "order",
        "dossier_code",
        "procedure_code",
        "finished_at",
        "token",
    ]
    # U1 has 200 dossiers → n = ⌈200 / 1,5⌉ = 134; U2 has 100 → 80.
    sample = {
        u: sum(1 for r in drawn if r["unit_code"] == u and r["role"] == "sample")
        for u in ("U1", "U2")
    }
    assert sample == {"U1": 134, "U2": 80}
    assert len({r["token"] for r in drawn}) == len(drawn)
    again = tmp_path / "again.csv"
    run(
        "sample", "--ledger", str(ledger), "--period", "2025", "--seed", "7", "--output", str(again)
    )
    with again.open(encoding="utf-8") as handle:
        assert [r["dossier_code"] for r in csv.DictReader(handle)] == [
            r["dossier_code"] for r in drawn
        ]


def test_sample_bad_ledger_exits_2(tmp_path):
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "dossier_code,unit_code,procedure_code,finished_at,status\nA,U,P,không rõ,finished\n",
        encoding="utf-8",
    )
    result = run(
        "sample",
        "--ledger",
        str(ledger),
        "--period",
        "2025",
        "--seed",
        "1",
        "--output",
        str(tmp_path / "s.csv"),
    )
    assert result.exit_code == 2
    assert f"{ledger}, dòng 2, cột finished_at" in result.stderr
    assert not (tmp_path / "s.csv").exists()
    result = run(
        "sample",
        "--ledger",
        str(ledger),
        "--period",
        "2025-Q9",
        "--seed",
        "1",
        "--output",
        str(tmp_path / "s.csv"),
    )
    assert result.exit_code == 2 and "2025-Q9" in result.stderr


def test_index_writes_xlsx_unit_chart_and_factor_charts(write_table, tmp_path):
    rows = [
        [f"r{i}", "U1" if i % 2 else "U2", "tiep_can", "tc1", 5 if i % 3 else 2] for i in range(12)
    ]
    path = write_table("answers.csv", rows)
    out = tmp_path / "out"
    result = run(
        "index",
        str(path),
        "--questionnaire",
        "sipas",
        "--year",
        "2025",
        "--xlsx",
        str(tmp_path / "r.xlsx"),
        "--chart",
        str(tmp_path / "u.svg"),
        "--factor-charts",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    assert "U1" in (tmp_path / "u.svg").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["U1.png", "U2.png"]


def test_points_csv_is_a_column_for_the_campaign_scores_file(write_table):
    # U1: 7 of 8 → 26,25 of 30; U2: only "no answer" → empty cell.
    rows = [[f"r{i}", "U1", "tiep_can", "tc1", 5 if i else 1] for i in range(8)]
    rows.append(["x", "U2", "tiep_can", "tc1", 0])
    result = run(
        "points",
        str(write_table("s.csv", rows)),
        "--max",
        "30",
        "--format",
        "csv",
        "--component",
        "HL",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "unit_code,HL\nU1,26.25\nU2,\n"


def test_output_into_a_missing_folder_exits_2(write_table, tmp_path):
    path = write_table("answers.csv", [["r1", "U", "f", "q", "4"]])
    result = run("index", str(path), "--xlsx", str(tmp_path / "no" / "such" / "r.xlsx"))
    assert result.exit_code == 2
    assert "không ghi hoặc đọc được" in result.stderr and "Traceback" not in result.stderr
