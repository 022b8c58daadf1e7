"""write_report: one call for the three downloads, whole files or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from cchc.demo import data_path
from cchc.par.framework import load_framework
from cchc.par.results import Results, compute_results
from cchc.par.scores import load_scores
from cchc.reports import ReportFormatError, write_report


def test_docx_by_suffix(results_2022: Results, tmp_path: Path) -> None:
    target = write_report(
        results_2022,
        tmp_path / "bao-cao.docx",
        unit_code="HNH",
        place="Bình Định",
        date=dt.date(2023, 1, 5),
    )
    doc = Document(str(target))
    header = doc.tables[0]
    # Decree 30: leading zeros for days below 10 and for January and February.
    assert header.rows[1].cells[1].text == "Bình Định, ngày 05 tháng 01 năm 2023"
    assert header.rows[0].cells[0].text.splitlines()[0] == "SỞ NỘI VỤ"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_xlsx_is_the_engine_workbook(results_2022: Results, tmp_path: Path) -> None:
    target = write_report(results_2022, tmp_path / "ket-qua.xlsx")
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[:2] == ["Xếp hạng", "Chi tiết"]


def test_unknown_format_names_the_file_and_writes_nothing(
    results_2022: Results, tmp_path: Path
) -> None:
    with pytest.raises(ReportFormatError, match=r"bao-cao\.odt.*docx, pdf, xlsx"):
        write_report(results_2022, tmp_path / "bao-cao.odt")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_pdf_for_a_level_without_a_previous_year(tmp_path: Path) -> None:
    """The commune index (17 wards and communes, no 2021 file) as a level-wide report."""
    framework = load_framework(data_path("framework_commune_2022.yaml"))
    results = compute_results(framework, load_scores(data_path("commune_2022.csv"), framework))
    target = write_report(results, tmp_path / "xa.pdf", organisation="UBND thị xã Hoài Nhơn")
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 10_000
