"""Workbooks of the 766 board, the portal comparison and the reconciliation.

Vietnamese headers, numbers stored as numbers (rates as percentages, points with two
decimals), text cells neutralised against formula injection (``cchc.safety.safe_cell``).
Written to a path or a binary stream (the desk sends it as a download).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Final

from cchc.safety import XLSX_OPTIONS, safe_cell
from cchc.service.board import Board
from cchc.service.portal_files import PointLine
from cchc.service.reconcile import HEADERS as RECONCILE_HEADERS
from cchc.service.reconcile import Reconciliation
from cchc.service.reconcile import rows as reconcile_rows

#: Column kinds: how a number is shown.
TEXT: Final = "text"
INT: Final = "int"
POINTS: Final = "points"
PERCENT: Final = "percent"  # a fraction shown as a percentage


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[str]
    kinds: Sequence[str]
    rows: Sequence[Sequence[object]]
    title: str = ""
    footer: Sequence[str] = ()


def _number(value: object) -> float | int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return value
    return None


def write(target: Path | IO[bytes], sheets: Iterable[Sheet]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target) if isinstance(target, Path) else target, XLSX_OPTIONS)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    formats = {
        POINTS: book.add_format({"num_format": "0.00"}),
        PERCENT: book.add_format({"num_format": "0.00%"}),
        INT: book.add_format({"num_format": "#,##0"}),
    }
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name[:31])
        r = 0
        if sheet.title:
            ws.write_string(r, 0, str(safe_cell(sheet.title)), bold)
            r += 2
        ws.write_row(r, 0, [str(h) for h in sheet.headers], bold)
        ws.freeze_panes(r + 1, 0)
        for row in sheet.rows:
            r += 1
            for c, (value, kind) in enumerate(zip(row, sheet.kinds, strict=True)):
                number = _number(value)
                if value is None or value == "":
                    ws.write_blank(r, c, None)
                elif kind != TEXT and number is not None:
                    ws.write_number(r, c, number, formats.get(kind))
                else:
                    ws.write_string(r, c, str(safe_cell(str(value))))
        for line in sheet.footer:
            r += 2
            ws.write_string(r, 0, str(safe_cell(line)))
    book.close()


BOARD_HEADERS: Final = (
    "Nhóm", "Chỉ số", "Tên chỉ số", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Điểm tối đa",
    "Nguồn số liệu", "Điểm Cổng công bố", "So với Cổng",
)
BOARD_KINDS: Final = (TEXT, TEXT, TEXT, INT, INT, PERCENT, POINTS, POINTS, TEXT, POINTS, TEXT)


def board_sheet(board: Board, period: str, source: str = "") -> Sheet:
    """The board as one sheet: a row per group, then its indicators; the total last."""
    rows: list[list[object]] = []
    for g in board.groups:
        rows.append([f"Nhóm {g.number}", "", g.name, None, None, None, g.points, g.max, g.note, None, ""])
        for line in g.lines:
            rows.append([
                g.number, line.id, line.name, line.numerator, line.denominator, line.rate,
                line.points, line.max, line.source or "chưa có số liệu", line.published, line.status,
            ])
    rows.append(["Tổng", "", "", None, None, None, board.total_points, board.total_max, "", None, ""])
    footer = [source] if source else []
    return Sheet("Chỉ số 766", BOARD_HEADERS, BOARD_KINDS, rows,
                 f"Chỉ số phục vụ 766 — {board.unit_name} ({board.unit_code}), kỳ {period}", footer)


COMPARISON_HEADERS: Final = (
    "Mã đơn vị", "Tên đơn vị", "Nhóm", "Chỉ số", "Điểm tính lại", "Điểm Cổng công bố",
    "Chênh lệch", "Điểm tối đa", "Kết quả", "Ghi chú của Cổng",
)
COMPARISON_KINDS: Final = (TEXT, TEXT, INT, TEXT, POINTS, POINTS, POINTS, POINTS, TEXT, TEXT)


def comparison_sheet(lines: Iterable[PointLine], title: str = "") -> Sheet:
    rows = [
        [line.unit_code, line.unit_name, line.group, line.indicator or f"nhóm {line.group}",
         line.ours, line.published, line.difference, line.max, line.status, line.note]
        for line in lines
    ]
    return Sheet("So với Cổng", COMPARISON_HEADERS, COMPARISON_KINDS, rows, title)


RECONCILE_KINDS: Final = (TEXT, TEXT, TEXT, TEXT, INT, INT, INT, INT, INT, INT, TEXT, TEXT, TEXT)


def reconcile_sheet(result: Reconciliation) -> Sheet:
    return Sheet("Đối soát", RECONCILE_HEADERS, RECONCILE_KINDS, reconcile_rows(result),
                 f"Đối soát sổ hồ sơ với Cổng DVCQG, kỳ {result.period}")
