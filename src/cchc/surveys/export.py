"""Export survey results to .xlsx: numbers stored as numbers, shown as percentages.

Three sheets: units, factors, questions; each row carries its counts and interval, so a
figure can be checked by hand in Excel (docs/field.md §9: offices live in Excel).
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from cchc.safety import XLSX_OPTIONS
from cchc.surveys.index import Share, SurveyResult

__all__ = ["export_xlsx"]


def _share_cells(share: Share) -> list[object]:
    interval = share.interval
    return [
        share.satisfied,
        share.valid,
        share.answers - share.valid,
        share.index,
        interval[0] if interval else None,
        interval[1] if interval else None,
    ]


_SHARE_HEAD = [
    "Hài lòng (mức 4–5)",
    "Hợp lệ",
    "Không trả lời",
    "Chỉ số",
    "Cận dưới 95%",
    "Cận trên 95%",
]


def export_xlsx(result: SurveyResult, path: Path | str, *, note: str = "") -> Path:
    """Write the result to ``path``; ``note`` (e.g. "Số liệu minh họa") goes under each title."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    try:
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        percent = workbook.add_format({"num_format": "0.00%"})
        integer = workbook.add_format({"num_format": "#,##0"})

        def sheet(name: str, head: list[str], rows: list[list[object]]) -> None:
            ws = workbook.add_worksheet(name)
            start = 0
            if note:
                ws.write(0, 0, note)
                start = 2
            ws.write_row(start, 0, head, bold)
            for r, row in enumerate(rows, start=start + 1):
                for c, value in enumerate(row):
                    if value is None:
                        ws.write_blank(r, c, None)
                    elif isinstance(value, float):
                        ws.write_number(r, c, value, percent)
                    elif isinstance(value, int):
                        ws.write_number(r, c, value, integer)
                    else:
                        ws.write_string(r, c, str(value))
            ws.set_column(0, len(head) - 1, 16)
            ws.freeze_panes(start + 1, 0)

        sheet(
            "Đơn vị",
            ["Mã đơn vị", "Số người trả lời", "Chỉ số", "Cận dưới 95%", "Cận trên 95%"],
            [[u.unit_code, u.respondents, u.index, u.ci_low, u.ci_high] for u in result.units],
        )
        sheet(
            "Yếu tố",
            ["Mã đơn vị", "Yếu tố", *_SHARE_HEAD],
            [
                [u.unit_code, k, *_share_cells(f.share)]
                for u in result.units
                for k, f in u.factors.items()
            ],
        )
        sheet(
            "Câu hỏi",
            ["Mã đơn vị", "Yếu tố", "Câu hỏi", *_SHARE_HEAD],
            [
                [u.unit_code, k, q, *_share_cells(s)]
                for u in result.units
                for k, f in u.factors.items()
                for q, s in f.questions.items()
            ],
        )
    finally:
        try:
            workbook.close()
        except FileCreateError as exc:  # xlsxwriter wraps the OSError; callers expect OSError
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
            raise OSError(
                getattr(cause, "errno", None), getattr(cause, "strerror", str(exc)), str(path)
            ) from exc
    return path
