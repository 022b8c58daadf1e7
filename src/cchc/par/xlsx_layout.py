"""The two worksheets of the XLSX export, laid out as provincial ranking tables are.

Numbers are written as numbers (rounded half-up to 2 decimals, what the table shows) with
the format ``#,##0.00``. Format codes in a file always use "," for grouping and "." for
decimals; Excel and LibreOffice display them with the reader's locale, so a Vietnamese
machine shows 88,41 and 1.234,50.
"""

from __future__ import annotations

from typing import Any

from cchc.demo import ILLUSTRATIVE_NOTE
from cchc.fmt import format_number
from cchc.par.results import Results
from cchc.par.rounding import round2

__all__ = ["DETAILS_SHEET", "RANKING_SHEET", "write_details", "write_ranking"]

RANKING_SHEET = "Xếp hạng"
DETAILS_SHEET = "Chi tiết"
NUMBER = "#,##0.00"
CHANGE = "+0;-0;0"
#: Row (0-based) of the header in the ranking sheet: a title and a note row come first.
HEADER_ROW = 2


def _formats(workbook: Any) -> dict[str, Any]:
    base = {"font_name": "Times New Roman", "font_size": 12, "border": 1, "valign": "vcenter"}
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14, "align": "center"}),
        "note": workbook.add_format({"italic": True, "font_color": "#C00000", "align": "center"}),
        "head": workbook.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
        ),
        "text": workbook.add_format(base),
        "int": workbook.add_format({**base, "num_format": "0", "align": "center"}),
        "num": workbook.add_format({**base, "num_format": NUMBER}),
        "change": workbook.add_format({**base, "num_format": CHANGE, "align": "center"}),
        "bold_num": workbook.add_format({**base, "num_format": NUMBER, "bold": True}),
        "bold_text": workbook.add_format({**base, "bold": True}),
    }


def _number(sheet: Any, row: int, col: int, value: float | int | None, fmt: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, int):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_number(row, col, round2(value), fmt)


def write_ranking(workbook: Any, results: Results, heading: str) -> None:
    """Sheet "Xếp hạng": ``heading`` on top, then one row per unit in rank order."""
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet(RANKING_SHEET)
    framework = results.framework
    headers = ["STT", "Đơn vị"]
    headers += [
        f"{c.name} ({format_number(c.max, 2, trim=True)} điểm)" for c in framework.components
    ]
    headers += ["Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
    has_previous = results.previous_year is not None
    if has_previous:
        headers += [f"Xếp hạng năm {results.previous_year}", "Tăng (+)/giảm (−) bậc"]
    last_col = len(headers) - 1
    sheet.merge_range(0, 0, 0, last_col, heading, fmt["title"])
    if results.illustrative:
        sheet.merge_range(1, 0, 1, last_col, ILLUSTRATIVE_NOTE, fmt["note"])
    sheet.write_row(HEADER_ROW, 0, headers, fmt["head"])
    sheet.set_row(HEADER_ROW, 48)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, last_col, 14)
    row = HEADER_ROW
    for stt, unit in enumerate(results.units, start=1):
        row = HEADER_ROW + stt
        sheet.write_number(row, 0, stt, fmt["int"])
        sheet.write_string(row, 1, unit.unit_name, fmt["text"])
        col = 2
        for component in framework.components:
            _number(sheet, row, col, unit.components[component.code].score, fmt["num"])
            col += 1
        _number(sheet, row, col, unit.score, fmt["num"])
        _number(sheet, row, col + 1, unit.index, fmt["num"])
        _number(sheet, row, col + 2, unit.rank, fmt["int"])
        sheet.write_string(row, col + 3, unit.band or "", fmt["text"])
        if has_previous:
            _number(sheet, row, col + 4, unit.previous.rank if unit.previous else None, fmt["int"])
            _number(sheet, row, col + 5, unit.rank_change, fmt["change"])
    average_row = row + 1
    index_col = 2 + len(framework.components) + 1
    sheet.merge_range(average_row, 0, average_row, index_col - 1, "Trung bình", fmt["bold_text"])
    _number(sheet, average_row, index_col, results.summary.average_index, fmt["bold_num"])
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(results.units), last_col)


def write_details(workbook: Any, results: Results) -> None:
    """Sheet "Chi tiết": one row per unit and node (the total first), with last year's."""
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet(DETAILS_SHEET)
    headers = ["STT", "Mã đơn vị", "Đơn vị", "Mã", "Nội dung", "Điểm", "Điểm tối đa"]
    headers += ["Chỉ số (%)", "Xếp hạng"]
    year = results.previous_year
    if year is not None:
        headers += [f"Điểm năm {year}", f"Xếp hạng năm {year}", "Tăng (+)/giảm (−) bậc"]
    sheet.write_row(0, 0, headers, fmt["head"])
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 26)
    sheet.set_column(3, 3, 8)
    sheet.set_column(4, 4, 44)
    sheet.set_column(5, len(headers) - 1, 12)
    row = 0
    for stt, unit in enumerate(results.units, start=1):
        lines: list[tuple[str, str, Any]] = [
            (
                "",
                f"Chỉ số CCHC (tổng {format_number(results.framework.max, 2, trim=True)} điểm)",
                None,
            )
        ]
        lines += [(n.code, n.name, n.code) for n in results.framework.nodes()]
        for code, name, key in lines:
            row += 1
            sheet.write_number(row, 0, stt, fmt["int"])
            sheet.write_string(row, 1, unit.unit_code, fmt["text"])
            sheet.write_string(row, 2, unit.unit_name, fmt["text"])
            sheet.write_string(row, 3, code, fmt["text"])
            sheet.write_string(row, 4, name, fmt["bold_text" if key is None else "text"])
            if key is None:
                prev = unit.previous
                values: list[tuple[float | int | None, str]] = [
                    (unit.score, "num"),
                    (unit.max, "num"),
                    (unit.index, "num"),
                    (unit.rank, "int"),
                ]
                if year is not None:
                    values += [
                        (prev.score if prev else None, "num"),
                        (prev.rank if prev else None, "int"),
                        (unit.rank_change, "change"),
                    ]
            else:
                node = unit.components[key]
                values = [
                    (node.score, "num"),
                    (node.max, "num"),
                    (node.index, "num"),
                    (node.rank, "int"),
                ]
                if year is not None:
                    values += [
                        (node.previous_score, "num"),
                        (node.previous_rank, "int"),
                        (node.rank_change, "change"),
                    ]
            for offset, (value, kind) in enumerate(values):
                _number(sheet, row, 5 + offset, value, fmt[kind])
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, row, len(headers) - 1)
