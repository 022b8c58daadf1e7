"""The CCHC results report as a Word document in the Decree 30/2020/NĐ-CP layout."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from cchc.reports.charts import print_width_mm
from cchc.reports.contents import ContentsOptions, ReportContents, Table, build_contents
from cchc.reports.docx_template import (
    FONT_NAME,
    TEMPLATE_PATH,
    TEXT_WIDTH_MM,
    _set_font,
    fix_widths,
)

if TYPE_CHECKING:
    from cchc.par.results import Results

__all__ = ["build_report", "render_docx"]

TABLE_PT = 11  # tables may be set smaller than the body so eight columns fit on A4 portrait
PNG_SCALE = 2.5  # ~235 dpi at the printed size: sharp on paper, small enough to e-mail
TABLE_MARKER = "[[cchc:ranking-table]]"


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _insert_ranking_table(document: Any, table: Table) -> None:
    """Replace the marker paragraph with the ranking table.

    The table is built with python-docx after docxtpl has rendered, because its columns
    depend on the framework (docxtpl's sub-documents would need one more dependency).
    """
    marker = next(p for p in document.paragraphs if p.text.strip() == TABLE_MARKER)
    doc_table = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    doc_table.style = "Table Grid"
    doc_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = table.widths(TEXT_WIDTH_MM)
    fix_widths(doc_table, widths)
    _repeat_header(doc_table.rows[0])
    for r, values in enumerate([table.header, *table.rows]):
        for c, value in enumerate(values):
            cell = doc_table.cell(r, c)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = Pt(2)
            paragraph.paragraph_format.space_after = Pt(2)
            if r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif table.numeric[c]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run = paragraph.add_run(value)
            _set_font(run, TABLE_PT)
            run.bold = r == 0 or (table.highlight is not None and r - 1 == table.highlight)
            if r == 0:
                _shade(cell, "E7E6E6")
    marker._p.addprevious(doc_table._tbl)
    marker._p.getparent().remove(marker._p)


def render_docx(contents: ReportContents, *, template: Path | None = None) -> bytes:
    """Lay ``contents`` out in the Word template and return the .docx bytes."""
    doc = DocxTemplate(str(template or TEMPLATE_PATH))
    charts = []
    for i, chart in enumerate(contents.charts, start=1):
        png = chart.png(scale=PNG_SCALE)
        width = Mm(print_width_mm(png, scale=PNG_SCALE))
        charts.append(
            {
                "image": InlineImage(doc, io.BytesIO(png), width=width),
                "caption": f"Biểu đồ {i}. {chart.title}",
            }
        )
    context = {
        "parent_organisation": contents.parent_organisation,
        "organisation": contents.organisation,
        "number_line": contents.number_line,
        "place_date": contents.place_date,
        "title": contents.title,
        "subject": contents.subject,
        "illustrative_note": contents.illustrative_note,
        "sections": contents.sections,
        "table_caption": contents.table_caption,
        "ranking_table": TABLE_MARKER,
        "table_note": contents.table.note,
        "charts_caption": contents.charts_caption,
        "charts": charts,
        "recipients": contents.recipients,
        "signer_capacity": contents.signer_capacity,
        "signer_name": contents.signer_name,
        "font_name": FONT_NAME,
    }
    # autoescape: unit names such as "A & B" must not break the XML.
    doc.render(context, autoescape=True)
    rendered = io.BytesIO()
    doc.save(rendered)
    document = Document(io.BytesIO(rendered.getvalue()))
    _insert_ranking_table(document, contents.table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_report(
    results: Results, *, template: Path | None = None, **options: Unpack[ContentsOptions]
) -> bytes:
    """The results report as .docx bytes (Decree 30/2020 layout); ``options`` as in
    :class:`cchc.reports.contents.ContentsOptions`."""
    return render_docx(build_contents(results, **options), template=template)
