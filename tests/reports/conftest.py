"""Results of the demo data set (the seed's district index, 2022 against 2021) and reports
rendered from them once per session, because rendering a document takes seconds."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable

import pytest

from cchc.demo import data_path
from cchc.par.framework import load_framework
from cchc.par.results import Results, compute_results
from cchc.par.scores import load_scores

IN_CI = os.environ.get("CI", "").lower() == "true"

REPORT_ARGS = {
    "unit_code": "HNH",
    "organisation": "Sở Nội vụ",
    "parent_organisation": "UBND tỉnh Bình Định",
    "place": "Bình Định",
    "date": dt.date(2023, 3, 16),
    "document_number": "45/BC-SNV",
    "signer_capacity": ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    "signer_name": "Nguyễn Văn A",
}


def _district(year: int) -> tuple[object, object]:
    framework = load_framework(data_path(f"framework_district_{year}.yaml"))
    return framework, load_scores(data_path(f"district_{year}.csv"), framework)


@pytest.fixture(scope="session")
def report_args() -> dict[str, object]:
    """The arguments of the reports under test: Sở Nội vụ Bình Định on Hoài Nhơn."""
    return dict(REPORT_ARGS)


@pytest.fixture(scope="session")
def results_2021() -> Results:
    framework, sheet = _district(2021)
    return compute_results(framework, sheet)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def results_2022_alone() -> Results:
    """2022 computed on its own, with no comparison year."""
    framework, sheet = _district(2022)
    return compute_results(framework, sheet)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def results_2022() -> Results:
    """2022 computed against 2021, as the seed article reports it."""
    framework, sheet = _district(2022)
    previous_framework, previous_sheet = _district(2021)
    return compute_results(framework, sheet, previous_sheet, previous_framework)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def docx_bytes(results_2022: Results) -> bytes:
    from cchc.reports.docx_report import build_report

    return build_report(results_2022, **REPORT_ARGS)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pdf_bytes(results_2022: Results) -> bytes:
    from cchc.reports.pdf_report import build_pdf

    return build_pdf(results_2022, **REPORT_ARGS)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def poppler() -> Callable[..., str]:
    """Run a poppler-utils tool (pdftotext, pdfinfo, ...) and return its output.

    Skips locally when poppler-utils is absent; fails in CI, where scripts/test installs it.
    """

    def run(tool: str, *args: str) -> str:
        if shutil.which(tool) is None:
            message = f"{tool} (poppler-utils) is not installed"
            if IN_CI:
                pytest.fail(message + " (CI=true: scripts/test installs it)")
            pytest.skip(message)
        done = subprocess.run([tool, *args], capture_output=True, text=True, check=True)
        return done.stdout

    return run
