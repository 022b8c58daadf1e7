"""Every command that reads a table refuses a spreadsheet bomb with exit 2 and a message.

The commands run in a child process: with the old reader the dimension bomb aborted the
interpreter (exit 134), which must not take the test run with it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hostile_tables as hostile
from cchc.cli import app
from cchc.demo import data_path

FRAMEWORK = str(data_path("framework_district_2022.yaml"))
runner = CliRunner()


def cchc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from cchc.cli import main; main()", *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bom.xlsx"
    path.write_bytes(hostile.dimension_bomb())
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["service", "import", "{bomb}", "-o", "{out}"],
        ["service", "index", "{bomb}", "--period", "2025"],
        ["par", "rank", "--framework", FRAMEWORK, "--scores", "{bomb}"],
        ["survey", "index", "{bomb}"],
        ["units", "match", "{bomb}"],
        ["service", "score", "{bomb}"],
        ["service", "portal", "{bomb}"],
    ],
    ids=["service import", "service index", "par rank", "survey index", "units match", "service score", "service portal"],
)
def test_dimension_bomb_exits_2_with_the_message(command, bomb, tmp_path):
    args = [a.format(bomb=bomb, out=tmp_path / "out.parquet") for a in command]
    done = cchc(*args)
    assert done.returncode == 2, done.stderr[-800:]
    assert "bom.xlsx" in done.stderr
    assert "A1:XFD1048576" in done.stderr and "vượt giới hạn 5.000.000 ô" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.parquet").exists()


def test_par_rank_with_a_million_unknown_columns_prints_one_line(tmp_path):
    path = tmp_path / "rong.csv"
    header = "unit_code,unit_name," + ",".join(f"X{i}" for i in range(1_000_000))
    path.write_text(header + "\nU1,Xã U1" + ",1" * 1_000_000 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["par", "rank", "--framework", FRAMEWORK, "--scores", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines == ["rong.csv, dòng 1: dòng có 1.000.002 cột, vượt giới hạn 16.384 cột"]


def test_par_rank_caps_the_problem_list_with_the_count_of_the_rest(tmp_path):
    path = tmp_path / "rong.csv"
    path.write_text(
        "unit_code,unit_name," + ",".join(f"X{i}" for i in range(5_000)) + "\nU1,Xã U1\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["par", "rank", "--framework", FRAMEWORK, "--scores", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 201
    assert lines[0] == "rong.csv, dòng 1, cột X0: mã 'X0' không có trong bộ chỉ số " + lines[0].rsplit(" ", 1)[1]
    assert lines[-1] == "… và 4.800 lỗi khác"
