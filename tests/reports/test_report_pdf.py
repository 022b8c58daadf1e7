"""The PDF report: A4 pages, Decree 30 margins and page numbers, the seed's figures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from cchc.par.results import Results
from cchc.reports.contents import build_contents
from cchc.reports.pdf_report import render_html

MM = 72 / 25.4  # PDF points per millimetre
A4 = (210 * MM, 297 * MM)

Poppler = Callable[..., str]


@pytest.fixture(scope="module")
def pdf_path(pdf_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "bao_cao.pdf"
    path.write_bytes(pdf_bytes)
    return path


@pytest.fixture(scope="module")
def words(pdf_path: Path, poppler: Poppler) -> dict[int, list[tuple[str, float, float, float, float]]]:
    """Every word of every page with its box (xMin, yMin, xMax, yMax) in points."""
    xhtml = poppler("pdftotext", "-bbox", str(pdf_path), "-")
    xhtml = re.sub(r"<!DOCTYPE[^>]*>", "", xhtml)
    root = ET.fromstring(xhtml)
    pages: dict[int, list[tuple[str, float, float, float, float]]] = {}
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        pages[number] = [
            (
                w.text or "",
                float(w.attrib["xMin"]),
                float(w.attrib["yMin"]),
                float(w.attrib["xMax"]),
                float(w.attrib["yMax"]),
            )
            for w in page.iter("{http://www.w3.org/1999/xhtml}word")
        ]
    return pages


def test_pdf_has_several_a4_pages(pdf_bytes: bytes, pdf_path: Path, poppler: Poppler) -> None:
    assert pdf_bytes.startswith(b"%PDF-")
    info = poppler("pdfinfo", "-f", "1", "-l", "99", str(pdf_path))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    sizes = re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == pages
    for width, height in sizes:
        assert abs(float(width) - A4[0]) < 0.5
        assert abs(float(height) - A4[1]) < 0.5


def test_pdf_text_has_the_motto_title_and_seed_figures(pdf_path: Path, poppler: Poppler) -> None:
    text = poppler("pdftotext", str(pdf_path), "-")
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "BÁO CÁO" in flat
    assert "Kết quả xác định Chỉ số cải cách hành chính năm 2022" in flat
    assert "88,41/100" in flat
    assert "88,41" in flat
    assert "88.41" not in flat
    assert "Số liệu minh họa" in flat
    assert "Nơi nhận:" in flat


def test_pdf_uses_liberation_serif_only(pdf_path: Path, poppler: Poppler) -> None:
    fonts = poppler("pdffonts", str(pdf_path)).splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts if line.strip()}
    assert names
    assert all(name.startswith("Liberation-Serif") for name in names), names


def test_text_stays_inside_decree_30_margins(words: dict[int, list[tuple[str, float, float, float, float]]]) -> None:
    tolerance = 1.0
    for page, boxes in words.items():
        for text, x0, _y0, x1, y1 in boxes:
            assert x0 >= 30 * MM - tolerance, (page, text, x0)
            assert x1 <= A4[0] - 15 * MM + tolerance, (page, text, x1)
            assert y1 <= A4[1] - 20 * MM + tolerance, (page, text, y1)


def test_page_numbers_centred_at_the_top_from_page_two(
    words: dict[int, list[tuple[str, float, float, float, float]]],
) -> None:
    assert len(words) >= 2
    text_centre = (30 * MM + (A4[0] - 15 * MM)) / 2
    first_top = min(words[1], key=lambda w: w[2])
    assert not first_top[0].isdigit()  # no number on the first page
    assert first_top[2] >= 20 * MM - 1  # the page starts at the top margin
    for page in range(2, len(words) + 1):
        text, x0, y0, x1, _ = min(words[page], key=lambda w: w[2])
        assert text == str(page)
        assert y0 < 20 * MM  # in the top margin
        assert abs((x0 + x1) / 2 - text_centre) < 3


def test_html_is_self_contained(results_2022: Results, report_args: dict[str, object]) -> None:
    html = render_html(build_contents(results_2022, **report_args))  # type: ignore[arg-type]
    assert 'src="http' not in html
    assert "@page :first" in html
    assert html.count('src="data:image/svg+xml;base64,') == 3
