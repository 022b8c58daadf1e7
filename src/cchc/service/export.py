"""The service index as flat rows, CSV and an Excel workbook (numbers stored as numbers)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.safety import XLSX_OPTIONS, safe_cell
from cchc.service.index import INDICATOR_IDS, ServiceIndex, framework

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
