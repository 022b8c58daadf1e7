"""What the command line prints reads as Vietnamese officers expect: unit names beside their
codes, level names in Vietnamese, legends for column codes, dates dd/mm/yyyy, and a sentence
when there is nothing to show."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cchc.service.generator import write_ledger

    path = tmp_path_factory.mktemp("ledger") / "ledger.parquet"
    write_ledger(path, 400, seed=3)  # Hoài Nhơn's units, 2024–2025
    return path


def test_units_list_names_levels_in_vietnamese():
    code, out = run("units", "list", "--on", "30/06/2025", "--province", "HNH")
    code2, out2 = run("units", "list", "--on", "30/06/2025", "--level", "province")
    out += out2
    assert code == code2 == 0
    assert "cấp tỉnh" in out and "cấp huyện" in out and "cấp xã" in out
    assert not re.search(r"\b(province|district|commune)\b", out), out


def test_units_list_says_when_nothing_matches():
    code, out = run("units", "list", "--level", "district", "--on", "2026-01-01")
    assert (code, out) == (0, "Không có đơn vị nào thuộc cấp huyện, có hiệu lực ngày 01/01/2026.\n")
    assert run("units", "list", "--parent", "21640", "--on", "2026-01-01") == (
        0, "Không có đơn vị nào trực thuộc 21640, có hiệu lực ngày 01/01/2026.\n"
    )
    assert run("units", "list", "--parent", "XYZ")[0] == 2  # an unknown code is an error


def test_rank_table_spells_out_the_component_codes():
    code, out = run("par", "rank", "--demo", "--format", "table")
    assert code == 0
    assert "KQ: Kết quả thực hiện công tác cải cách hành chính (tối đa 60 điểm)" in out
    assert "DT: Điều tra xã hội học lãnh đạo, cán bộ, công chức (tối đa 10 điểm)" in out
    assert "HL: Mức độ hài lòng của người dân, tổ chức (tối đa 30 điểm)" in out


def test_service_index_table_names_units_and_indicators(ledger):
    code, out = run("service", "index", str(ledger), "--period", "2025", "--format", "table")
    assert code == 0, out
    assert "BSO (Phường Bồng Sơn)" in out and "HNH (Thị xã Hoài Nhơn)" in out
    assert "2.1: Hồ sơ giải quyết trước hạn, đúng hạn (tối đa 20 điểm)" in out
    # the portal's own name of 5.4 (src/cchc/service/data/portal766.yaml)
    assert "5.4: Hài lòng trong tiếp nhận, giải quyết TTHC (tối đa 6 điểm)" in out


def test_service_index_table_says_when_the_period_has_no_dossier(ledger):
    code, out = run("service", "index", str(ledger), "--period", "2020", "--format", "table")
    assert (code, out) == (0, "Không có đơn vị nào có hồ sơ trong kỳ 2020.\n")


def test_service_quality_names_units_and_indicators_or_says_it_is_empty(ledger):
    code, out = run("service", "quality", str(ledger), "--period", "2025")
    assert code == 0, out
    assert "BSO (Phường Bồng Sơn)" in out
    assert "CS 1: Tổng thời gian giải quyết so với thời gian quy định" in out
    assert run("service", "quality", str(ledger), "--period", "2020") == (
        0,
        "Không có hồ sơ nào đã giải quyết xong trong kỳ 2020.\n",
    )


def _answers(path: Path, units: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent_id", "unit_code", "factor", "question", "answer"])
        for unit in units:
            for i in range(30):
                writer.writerow([f"{unit}{i}", unit, "tiep_can", "q1", 5 if i % 3 else 2])
    return path


def test_survey_tables_name_known_units(tmp_path):
    answers = _answers(tmp_path / "answers.csv", ["BSO", "HDU"])
    code, out = run("survey", "index", str(answers))
    assert code == 0, out
    assert "BSO (Phường Bồng Sơn)" in out and "HDU (Phường Hoài Đức)" in out
    code, out = run("survey", "compare", str(answers))
    assert code == 0, out
    assert out.startswith("Phường Bồng Sơn (BSO, 66,67%) và Phường Hoài Đức (HDU, 66,67%): ")


def test_survey_compare_says_when_there_is_no_pair(tmp_path):
    code, out = run("survey", "compare", str(_answers(tmp_path / "one.csv", ["BSO"])))
    assert (code, out) == (
        0,
        "Không có cặp đơn vị nào để so sánh (cần ít nhất hai đơn vị có câu trả lời hợp lệ).\n",
    )


def test_survey_sample_says_when_the_period_has_no_finished_dossier(ledger, tmp_path):
    out = tmp_path / "sample.csv"
    code, text = run(
        "survey",
        "sample",
        "--ledger",
        str(ledger),
        "--period",
        "2020",
        "--seed",
        "1",
        "--output",
        str(out),
    )
    assert (code, text) == (0, "Không có hồ sơ nào đã giải quyết xong trong kỳ 2020 để rút mẫu.\n")


def test_calendar_deadline_prints_dd_mm_yyyy():
    # Monday 05/01/2026 + 5 working days: Saturday 10/01/2026 is worked (12729/VPCP-KGVX).
    assert run("calendar", "deadline", "2026-01-05", "5") == (0, "10/01/2026\n")
    assert run("calendar", "deadline", "2025-03-12T11:00", "2", "--unit", "hours") == (
        0,
        "12/03/2025 14:00\n",
    )
