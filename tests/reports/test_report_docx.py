"""The Word report: Decree 30/2020 layout, the seed's figures, the ranking table, charts."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Mm

from cchc.par.results import Results
from cchc.reports.contents import ReportError
from cchc.reports.docx_report import build_report
from cchc.reports.docx_template import TEMPLATE_PATH, build_template


@pytest.fixture(scope="module")
def doc(docx_bytes: bytes) -> DocumentObject:
    return Document(io.BytesIO(docx_bytes))


def all_text(doc: DocumentObject) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def ranking(doc: DocumentObject) -> list[list[str]]:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_header_has_issuing_body_motto_number_and_place_date(doc: DocumentObject) -> None:
    header = doc.tables[0]
    issuer, nation = header.rows[0].cells
    assert issuer.text.splitlines()[:2] == ["UBND TỈNH BÌNH ĐỊNH", "SỞ NỘI VỤ"]
    assert nation.text.splitlines()[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    number, place_date = header.rows[1].cells
    assert number.text == "Số: 45/BC-SNV"
    # Decree 30: no leading zero for March, one for days below 10 and for January/February.
    assert place_date.text == "Bình Định, ngày 16 tháng 3 năm 2023"


def test_title_and_subject(doc: DocumentObject) -> None:
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("BÁO CÁO")
    assert texts[at + 1] == "Kết quả xác định Chỉ số cải cách hành chính năm 2022"
    assert all(run.bold for run in doc.paragraphs[at].runs)


def test_narrative_carries_the_seed_sentence(doc: DocumentObject) -> None:
    text = all_text(doc)
    sentence = next(p.text for p in doc.paragraphs if "88,41/100" in p.text)
    assert "xếp vị trí thứ nhất cấp huyện" in sentence
    assert "55,46/60" in sentence
    assert "26,28/30" in sentence
    assert "So với năm 2021 (đạt 85,28%, xếp thứ 1/11)" in text


def test_ranking_table_has_eleven_units_and_a_header(
    doc: DocumentObject, results_2022: Results
) -> None:
    rows = ranking(doc)
    assert len(rows) == 12
    header = rows[0]
    assert header[:2] == ["STT", "Đơn vị"]
    assert header[-4:] == ["Tổng điểm (100)", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
    components = results_2022.framework.components
    assert len(header) == 2 + len(components) + 4
    assert header[2].startswith(components[0].name)
    first = rows[1]
    assert first[:7] == ["1", "Thị xã Hoài Nhơn", "55,46", "6,67", "26,28", "88,41", "88,41"]
    assert first[7] == "1"
    assert first[8] == results_2022.units[0].band
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 12)]


def test_page_is_a4_with_decree_30_margins(doc: DocumentObject) -> None:
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    # Word stores twentieths of a point: compare at 0,1 mm.
    def mm(length: int) -> float:
        return round(length / Mm(1), 1)

    assert 20 <= mm(section.top_margin) <= 25
    assert 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35
    assert 15 <= mm(section.right_margin) <= 20


def test_body_font_is_times_new_roman_13_to_14_pt(doc: DocumentObject) -> None:
    normal = doc.styles["Normal"].font
    assert normal.name in ("Times New Roman", "Liberation Serif")
    assert 13 <= normal.size.pt <= 14
    sentence = next(p for p in doc.paragraphs if "88,41/100" in p.text)
    for run in sentence.runs:
        assert run.font.name in ("Times New Roman", "Liberation Serif")
        assert 13 <= run.font.size.pt <= 14


def test_page_numbers_centred_at_the_top_from_page_two(doc: DocumentObject) -> None:
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    first_xml = section.first_page_header._element.xml
    assert "PAGE" not in first_xml
    header = section.header
    assert not header.is_linked_to_previous
    (number,) = [p for p in header.paragraphs if "PAGE" in p._p.xml]
    assert number.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
    instr = number._p.findall(".//" + qn("w:instrText"))
    assert [i.text.strip() for i in instr] == ["PAGE"]


def test_charts_are_embedded_as_images(doc: DocumentObject, docx_bytes: bytes) -> None:
    # Ranking, component breakdown, trend (2021 is known through the engine's comparison).
    assert len(doc.inline_shapes) == 3
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 3
        assert all(archive.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Biểu đồ ")]
    assert len(captions) == 3


def test_recipients_and_signature_blocks(doc: DocumentObject) -> None:
    closing = doc.tables[-1]
    recipients, signer = closing.rows[0].cells
    assert recipients.text.splitlines()[0] == "Nơi nhận:"
    assert "- Lưu: VT." in recipients.text
    assert signer.text.splitlines()[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert signer.text.splitlines()[-1] == "Nguyễn Văn A"


def test_illustrative_note_follows_the_results(doc: DocumentObject, results_2022: Results) -> None:
    assert results_2022.illustrative  # computed from the demo files
    assert "Số liệu minh họa" in all_text(doc)


def test_real_data_has_no_illustrative_note_and_names_are_escaped(
    results_2022: Results, report_args: dict[str, object]
) -> None:
    renamed = [
        dataclasses.replace(u, unit_name="Huyện A & B <thử>") if u.unit_code == "ALA" else u
        for u in results_2022.units
    ]
    results = dataclasses.replace(results_2022, units=renamed)
    data = build_report(results, **{**report_args, "unit_code": None, "document_number": None})  # type: ignore[arg-type]
    doc = Document(io.BytesIO(data))
    text = all_text(doc)
    assert "Số liệu minh họa" in text  # still the demo results: the engine says so
    assert "Huyện A & B <thử>" in text
    assert "Số:        /BC-" in text  # left blank for the clerk to number
    data = build_report(results, **{**report_args, "illustrative": False})  # type: ignore[arg-type]
    assert "Số liệu minh họa" not in all_text(Document(io.BytesIO(data)))


def test_unknown_unit_is_a_clear_error(
    results_2022: Results, report_args: dict[str, object]
) -> None:
    with pytest.raises(ReportError, match="XYZ"):
        build_report(results_2022, **{**report_args, "unit_code": "XYZ"})  # type: ignore[arg-type]


def test_committed_template_is_the_one_the_script_builds() -> None:
    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {
                name: archive.read(name)
                for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")
            }

    assert parts(TEMPLATE_PATH.read_bytes()) == parts(build_template()), (
        "templates/bao_cao.docx is stale: run python -m cchc.reports.docx_template"
    )
