"""Fixtures for the CCHC index engine: the seed demo files and small hand-made frameworks."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from cchc.demo import data_path
from cchc.par.framework import Framework, load_framework
from cchc.par.results import Results, compute_results
from cchc.par.scores import load_scores


@pytest.fixture(scope="session")
def district_results() -> Results:
    """2022 district level compared with 2021, from the packaged seed files."""
    fw = load_framework(data_path("framework_district_2022.yaml"))
    fw_2021 = load_framework(data_path("framework_district_2021.yaml"))
    return compute_results(
        fw,
        load_scores(data_path("district_2022.csv"), fw),
        load_scores(data_path("district_2021.csv"), fw_2021),
        fw_2021,
    )


@pytest.fixture(scope="session")
def commune_results() -> Results:
    fw = load_framework(data_path("framework_commune_2022.yaml"))
    return compute_results(fw, load_scores(data_path("commune_2022.csv"), fw))


TREE_YAML = """\
code: tree
name: Chỉ số thử nghiệm
year: 2023
level: commune
bands:
  - {label: Xuất sắc, min: 90}
  - {label: Tốt, min: 80}
  - {label: Khá, min: 0}
components:
  - code: A
    name: Thành phần A
    max: 60
    children:
      - {code: A1, name: Tiêu chí A1, max: 20}
      - {code: A2, name: Tiêu chí A2, max: 40}
  - code: B
    name: Thành phần B
    max: 40
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a text file (dedented) into the test's folder and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def tree_yaml() -> str:
    """The text of the two-level framework below, to be varied by error tests."""
    return TREE_YAML


@pytest.fixture
def tree(write: Callable[[str, str], Path]) -> Framework:
    """A two-level framework: A (A1 20 + A2 40 = 60) and B (40)."""
    return load_framework(write("tree.yaml", TREE_YAML))
