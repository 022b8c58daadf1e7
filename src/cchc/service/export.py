"""The service index, and the 766 scores of a counts file, as flat rows, CSV and an Excel
workbook (numbers stored as numbers)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc.safety import XLSX_OPTIONS, safe_cell
from cchc.service.index import INDICATOR_IDS, ServiceIndex, framework

if TYPE_CHECKING:
    from cchc.service.portal766 import UnitScore

_PARTS = ("numerator", "denominator", "rate", "points")
_PART_LABELS = {"numerator": "tử số", "denominator": "mẫu số", "rate": "tỷ lệ", "points": "điểm"}


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def rows(result: ServiceIndex) -> list[dict[str, Any]]:
    """One flat row per unit: rank, total, group totals, then each indicator's four figures."""
    out = []
    for unit in result.units:
        row: dict[str, Any] = {
            "period": result.period,
            "unit_code": unit.unit_code,
            "rank": unit.rank,
            "points": _num(unit.points),
        }
        for group, total in unit.groups.items():
            row[f"group_{group}_points"] = _num(total)
        for key in INDICATOR_IDS:
            r = unit.indicators[key]
            row[f"{key}_numerator"] = r.numerator
            row[f"{key}_denominator"] = r.denominator
            row[f"{key}_rate"] = _num(r.rate)
            row[f"{key}_points"] = _num(r.points)
        out.append(row)
    return out


def _columns() -> list[str]:
    cols = ["period", "unit_code", "rank", "points"]
    cols += [f"group_{g}_points" for g in framework().groups]
    cols += [f"{k}_{p}" for k in INDICATOR_IDS for p in _PARTS]
    return cols


def to_csv(result: ServiceIndex) -> str:
    """Machine-readable CSV (decimal point, empty cell for "no data")."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(), lineterminator="\n")
    writer.writeheader()
    for row in rows(result):
        writer.writerow({k: "" if v is None else safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def to_xlsx(result: ServiceIndex, path: Path) -> None:
    """A workbook for offices: Vietnamese headers, rates as percentages, numbers as numbers."""
    import xlsxwriter

    fw = framework()
    names = {ind.id: ind.name for ind in fw.indicators}
    headers = ["Kỳ", "Mã đơn vị", "Hạng", "Tổng điểm"]
    headers += [f"Nhóm {g}: {name}" for g, (name, _max) in fw.groups.items()]
    headers += [f"{k} {names[k]} – {_PART_LABELS[p]}" for k in INDICATOR_IDS for p in _PARTS]
    with xlsxwriter.Workbook(str(path), XLSX_OPTIONS) as book:
        sheet = book.add_worksheet("Chỉ số 766")
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        pct = book.add_format({"num_format": "0.00%"})
        two = book.add_format({"num_format": "0.00"})
        sheet.write_row(0, 0, headers, bold)
        for r, row in enumerate(rows(result), start=1):
            for c, key in enumerate(_columns()):
                value = row[key]
                if value is None:
                    sheet.write_blank(r, c, None)
                elif key.endswith("_rate"):
                    sheet.write_number(r, c, value, pct)
                elif key.endswith("points"):
                    sheet.write_number(r, c, value, two)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
        sheet.freeze_panes(1, 2)
        sheet.write(len(result.units) + 2, 0, f"Nguồn: {fw.source}")


# ── the 766 scores of a counts file (``cchc service score``) ─────────────────────────────

_SCORE_COLUMNS = (
    "period", "unit_code", "unit_name", "rank", "total_points", "total_max",
    "group", "group_points", "group_max", "indicator", "numerator", "denominator", "rate",
    "points", "max",
)  # fmt: skip


def score_rows(units: Sequence[UnitScore], period: str | None) -> list[dict[str, Any]]:
    """One flat row per unit and indicator, with the unit's group and total beside it."""
    from cchc.service.portal766 import indicator

    out = []
    for u in units:
        for key, s in u.indicators.items():
            group = indicator(key).group
            g_points, g_max = u.groups[group]
            out.append({
                "period": period, "unit_code": u.unit_code, "unit_name": u.unit_name,
                "rank": u.rank, "total_points": float(u.total_points),
                "total_max": float(u.total_max), "group": group,
                "group_points": float(g_points), "group_max": float(g_max), "indicator": key,
                "numerator": _count(s.numerator), "denominator": _count(s.denominator),
                "rate": _num(s.rate), "points": float(s.points), "max": float(s.max),
            })  # fmt: skip
    return out


def _count(value: Decimal | int) -> int | float:
    return value if isinstance(value, int) else float(value)


def scores_to_csv(units: Sequence[UnitScore], period: str | None) -> str:
    """Machine-readable CSV: decimal point, an empty rate where the denominator is 0."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(_SCORE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in score_rows(units, period):
        writer.writerow({k: "" if v is None else safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def scores_to_xlsx(units: Sequence[UnitScore], path: Path, period: str | None) -> None:
    """One row per unit: rank, name, total, the six groups, then each indicator's figures.

    Numbers are stored as numbers (rates as percentages); an indicator absent from the
    counts is an empty cell, not 0.
    """
    import xlsxwriter

    from cchc.service.portal766 import GROUPS, RULES, SOURCE

    present = [i for i in RULES if any(i.id in u.indicators for u in units)]
    groups = [g for g in GROUPS if any(g.number in u.groups for u in units)]
    headers = ["Hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Điểm tối đa"]
    headers += [f"Nhóm {g.number}: {g.name} ({g.max:g} điểm)" for g in groups]
    for i in present:
        headers += [f"{i.id} {i.name} – {_PART_LABELS[p]}" for p in _PARTS]
    with xlsxwriter.Workbook(str(path), XLSX_OPTIONS) as book:
        sheet = book.add_worksheet("Chỉ số 766")
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        pct = book.add_format({"num_format": "0.00%"})
        two = book.add_format({"num_format": "0.00"})
        sheet.write_row(0, 0, headers, bold)
        for r, u in enumerate(units, start=1):
            sheet.write_number(r, 0, u.rank)
            sheet.write_string(r, 1, safe_cell(u.unit_code))
            sheet.write_string(r, 2, safe_cell(u.unit_name))
            sheet.write_number(r, 3, float(u.total_points), two)
            sheet.write_number(r, 4, float(u.total_max), two)
            c = 5
            for g in groups:
                if g.number in u.groups:
                    sheet.write_number(r, c, float(u.groups[g.number][0]), two)
                c += 1
            for i in present:
                s = u.indicators.get(i.id)
                if s is not None:
                    sheet.write_number(r, c, _count(s.numerator))
                    sheet.write_number(r, c + 1, _count(s.denominator))
                    if s.rate is not None:
                        sheet.write_number(r, c + 2, float(s.rate), pct)
                    sheet.write_number(r, c + 3, float(s.points), two)
                c += len(_PARTS)
        sheet.freeze_panes(1, 3)
        title = f"Kỳ {period}. " if period else ""
        sheet.write(len(units) + 2, 0, f"{title}Nguồn quy tắc tính điểm: {SOURCE}")
