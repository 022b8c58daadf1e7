"""The packaged demo data and the real console entry point."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cchc.demo import DATA_DIR, data_path, is_demo_path

SEED_FILES = [
    "000_5283372e0d40ec0e.txt",
    "README.md",
    "commune_2022.csv",
    "district_2021.csv",
    "district_2022.csv",
    "district_2022_uncertainty.csv",
    "framework_commune_2022.yaml",
    "framework_district_2021.yaml",
    "framework_district_2022.yaml",
]


def test_every_seed_file_ships_and_the_readme_marks_them_illustrative():
    assert sorted(p.name for p in DATA_DIR.iterdir()) == SEED_FILES
    readme = data_path("README.md").read_text(encoding="utf-8")
    assert "ILLUSTRATIVE" in readme and "số liệu minh họa" in readme
    assert is_demo_path(data_path("district_2022.csv"))


def test_unknown_demo_names_are_refused_with_the_list():
    with pytest.raises(FileNotFoundError, match=r"district_2022\.csv"):
        data_path("district_2030.csv")
    with pytest.raises(FileNotFoundError):
        data_path("../__init__.py")


def test_console_entry_point_reports_errors_without_a_traceback(tmp_path):
    bad = tmp_path / "diem.csv"
    bad.write_text("unit_code,unit_name,KQ,DT,HL\nHNH,Thị xã Hoài Nhơn,55,46,6.67,26.28\n", encoding="utf-8")
    out = tmp_path / "kq.json"
    framework = str(data_path("framework_district_2022.yaml"))
    run = subprocess.run(
        [sys.executable, "-c", "from cchc.cli import main; main()", "par", "rank",
         "--framework", framework, "--scores", str(bad), "--output", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.startswith("diem.csv, dòng 2: dòng có nhiều ô hơn dòng tiêu đề")
    assert '"55,46"' in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()
