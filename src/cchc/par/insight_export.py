"""JSON, tables and XLSX for robustness, points within reach and what-if (docs/par.md).

JSON rounds half-up (scores 2 decimals, probabilities 4); tables and XLSX are for people,
in Vietnamese with decimal commas (XLSX stores numbers, formatted by the reader's locale).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table

from cchc.demo import ILLUSTRATIVE_NOTE
from cchc.fmt import format_int, format_number, format_percent, round_half_up
from cchc.par.export import atomic_path
from cchc.par.gaps import UnitGaps
from cchc.par.robustness import RankShift, Robustness, UnitRobustness
from cchc.par.whatif import WhatIf
from cchc.safety import XLSX_OPTIONS, safe_cell

__all__ = [
    "gaps_table",
    "gaps_to_json",
    "robustness_table",
    "robustness_to_json",
    "whatif_table",
    "whatif_to_json",
    "write_gaps_xlsx",
    "write_robustness_xlsx",
]


def _put(ws: Any, row: int, col: int, value: str, fmt: Any = None) -> None:
    """A text cell that a spreadsheet shows, never executes (names come from users' files)."""
    ws.write_string(row, col, str(safe_cell(value)), fmt)


def _heading(sheet: Any, title: str, illustrative: bool, bold: Any) -> int:
    """The sheet's title, then the demo's note when the data are illustrative; returns the
    row the table starts on."""
    _put(sheet, 0, 0, title, bold)
    if not illustrative:
        return 1
    _put(sheet, 1, 0, ILLUSTRATIVE_NOTE)
    return 2


def _table(title: str, caption: list[str]) -> Table:
    """A report table as the three commands print it: notes below, one a line."""
    return Table(
        title=title,
        caption="\n".join(caption),
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )


def _r(value: float | None, decimals: int = 2) -> float | None:
    return None if value is None else round_half_up(value, decimals)


def _method(u: UnitRobustness) -> str:
    if u.score_low == u.score_high and u.rank_low == u.rank_high:
        return "none"
    return "exact" if u.exact else "monte-carlo"


def robustness_to_json(report: Robustness) -> dict[str, Any]:
    fw = report.framework
    return {
        "framework": fw.code,
        "year": fw.year,
        "draws": report.draws,
        "seed": report.seed,
        "level": report.level,
        "units": [
            {
                "unit_code": u.unit_code,
                "unit_name": u.unit_name,
                "score": _r(u.score),
                "rank": u.rank,
                "band": u.band,
                "score_interval": [_r(u.score_low), _r(u.score_high)],
                "rank_interval": [u.rank_low, u.rank_high],
                "band_probabilities": {k: _r(v, 4) for k, v in u.band_probabilities.items()},
                "p_first": _r(u.p_first, 4),
                "method": _method(u),
            }
            for u in report.units
        ],
        "unsettled_pairs": [
            {
                "higher": p.higher,
                "lower": p.lower,
                "p_above": _r(p.p_above, 4),
                "p_below": _r(p.p_below, 4),
                "p_tie": _r(p.p_tie, 4),
            }
            for p in report.unsettled
        ],
        "weight_step": report.weight_step,
        "weight_sensitivity": [
            {
                "component": w.component,
                "step": w.step,
                "max_before": _r(w.max_before),
                "max_after": _r(w.max_after),
                "changes": [
                    {
                        "unit_code": c.unit_code,
                        "rank_before": c.rank_before,
                        "rank_after": c.rank_after,
                        "band_before": c.band_before,
                        "band_after": c.band_after,
                    }
                    for c in w.changes
                ],
            }
            for w in report.weights
        ],
    }


def _pct(p: float) -> str:
    return format_percent(p, 1, trim=True)


def _span(low: float | int, high: float | int, number: bool = True) -> str:
    if number:
        return f"{format_number(float(low))}–{format_number(float(high))}"
    return str(low) if low == high else f"{low}–{high}"


def robustness_table(report: Robustness) -> Table:
    share = format_number(report.level * 100, 0, trim=True)
    caption = [
        f"Khoảng tin cậy {share}% từ {format_int(report.draws)} lần mô phỏng (seed {report.seed}); "
        "'≈' đánh dấu đơn vị có thứ hạng không khác biệt có ý nghĩa thống kê với đơn vị khác."
    ]
    names = {u.unit_code: u.unit_name for u in report.units}
    for p in report.unsettled:
        caption.append(
            f"{names[p.higher]} – {names[p.lower]}: không khác biệt có ý nghĩa thống kê "
            f"(xác suất {names[p.higher]} đứng trên {_pct(p.p_above)})"
        )
    step = format_number(report.weight_step * 100, 0, trim=True)
    for w in report.weights:
        sign = "+" if w.step > 0 else "−"
        if w.changes:
            moved = ", ".join(
                f"{names[c.unit_code]} {c.rank_before}→{c.rank_after}"
                + (f" ({c.band_before}→{c.band_after})" if c.band_before != c.band_after else "")
                for c in w.changes
            )
        else:
            moved = "không đơn vị nào đổi hạng hoặc xếp loại"
        caption.append(f"Trọng số {w.component} {sign}{step}%: {moved}")
    if report.illustrative:
        caption.append(ILLUSTRATIVE_NOTE)
    table = _table(
        f"Độ tin cậy của xếp hạng — {report.framework.name} năm {report.framework.year}", caption
    )
    for header in ("Hạng", "Khoảng hạng"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("Đơn vị", min_width=12, overflow="fold")
    for header in ("Tổng điểm", f"Khoảng {share}%", "Xác suất\nhạng 1"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("Xếp loại (xác suất)", no_wrap=True)
    unsettled = {c for p in report.unsettled for c in (p.higher, p.lower)}
    for u in report.units:
        band = u.band or ""
        if u.band is not None:
            band += f" ({_pct(u.band_probabilities.get(u.band, 0.0))})"
        table.add_row(
            format_int(u.rank),
            _span(u.rank_low, u.rank_high, number=False),
            u.unit_name + (" ≈" if u.unit_code in unsettled else ""),
            format_number(u.score),
            _span(u.score_low, u.score_high),
            _pct(u.p_first),
            band,
        )
    return table


def write_robustness_xlsx(report: Robustness, path: str | Path) -> None:
    import xlsxwriter

    with atomic_path(path) as tmp, xlsxwriter.Workbook(str(tmp), XLSX_OPTIONS) as workbook:
        bold = workbook.add_format({"bold": True})
        num = workbook.add_format({"num_format": "#,##0.00"})
        pct = workbook.add_format({"num_format": "0.0%"})
        sheet = workbook.add_worksheet("Độ tin cậy")
        share = format_number(report.level * 100, 0, trim=True)
        title = f"Độ tin cậy của xếp hạng — {report.framework.name} năm {report.framework.year}"
        row = _heading(sheet, title, report.illustrative, bold)
        bands = [b.label for b in report.framework.bands]
        header = ["Mã", "Đơn vị", "Tổng điểm", f"Cận dưới {share}%", f"Cận trên {share}%",
                  "Hạng", "Hạng tốt nhất", "Hạng thấp nhất", "Xác suất hạng 1", "Xếp loại"]
        header += [f"P({b})" for b in bands]
        sheet.write_row(row, 0, header, bold)
        for u in report.units:
            row += 1
            _put(sheet, row, 0, u.unit_code)
            _put(sheet, row, 1, u.unit_name)
            for col, value in ((2, u.score), (3, u.score_low), (4, u.score_high)):
                sheet.write_number(row, col, round_half_up(value, 2), num)
            for col, value in ((5, u.rank), (6, u.rank_low), (7, u.rank_high)):
                sheet.write_number(row, col, value)
            sheet.write_number(row, 8, u.p_first, pct)
            _put(sheet, row, 9, u.band or "")
            for k, b in enumerate(bands):
                sheet.write_number(row, 10 + k, u.band_probabilities.get(b, 0.0), pct)
        pairs = workbook.add_worksheet("Cặp chưa phân định")
        pairs.write_row(0, 0, ["Đơn vị xếp trên", "Đơn vị xếp dưới", "P(trên)", "P(dưới)", "P(bằng)"], bold)
        for i, p in enumerate(report.unsettled, start=1):
            _put(pairs, i, 0, p.higher)
            _put(pairs, i, 1, p.lower)
            for col, value in ((2, p.p_above), (3, p.p_below), (4, p.p_tie)):
                pairs.write_number(i, col, value, pct)
        weights = workbook.add_worksheet("Trọng số")
        weights.write_row(0, 0, ["Thành phần", "Tối đa", "Tối đa mới", "Đơn vị", "Hạng", "Hạng mới", "Xếp loại", "Xếp loại mới"], bold)
        i = 0
        for w in report.weights:
            rows: list[RankShift | None] = [*w.changes] or [None]
            for c in rows:
                i += 1
                _put(weights, i, 0, w.component)
                weights.write_number(i, 1, w.max_before, num)
                weights.write_number(i, 2, w.max_after, num)
                if c is None:
                    _put(weights, i, 3, "không đổi")
                    continue
                _put(weights, i, 3, c.unit_code)
                weights.write_number(i, 4, c.rank_before)
                weights.write_number(i, 5, c.rank_after)
                _put(weights, i, 6, c.band_before or "")
                _put(weights, i, 7, c.band_after or "")


def gaps_to_json(gaps: list[UnitGaps]) -> dict[str, Any]:
    def criterion(c: Any) -> dict[str, Any]:
        return {
            "code": c.code,
            "name": c.name,
            "component": c.component,
            "score": _r(c.score),
            "max": _r(c.max),
            "lost": _r(c.lost),
            "best_score": _r(c.best_score),
            "best_units": list(c.best_units),
            "to_best": _r(c.to_best),
            "previous_lost": _r(c.previous_lost),
            "lost_change": _r(c.lost_change),
        }

    return {
        "units": [
            {
                "unit_code": g.unit_code,
                "unit_name": g.unit_name,
                "score": _r(g.score),
                "max": _r(g.max),
                "lost": _r(g.lost),
                "previous_year": g.previous_year,
                "criteria": [criterion(c) for c in g.criteria],
                "within_reach": [c.code for c in g.within_reach],
            }
            for g in gaps
        ]
    }


def _signed(value: float | None) -> str:
    if value is None:
        return ""
    text = format_number(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


def gaps_table(gaps: UnitGaps, illustrative: bool = False) -> Table:
    has_previous = gaps.previous_year is not None
    caption = [
        "Mất so với tối đa: điểm tối đa − điểm đạt; kém đơn vị cao nhất: điểm trong tầm tay "
        "(đơn vị cao nhất cùng cấp đã đạt)."
    ]
    if has_previous:
        caption.append(f"Thay đổi: điểm mất năm nay − năm {gaps.previous_year} (âm là đã thu hẹp).")
    if illustrative:
        caption.append(ILLUSTRATIVE_NOTE)
    lost = f"{format_number(gaps.lost)}/{format_number(gaps.max, 2, trim=True)}"
    table = _table(f"Điểm còn thiếu — {gaps.unit_name} (mất {lost} điểm)", caption)
    table.add_column("Mã", no_wrap=True)
    table.add_column("Tiêu chí", min_width=12, overflow="fold")
    for header in ("Điểm", "Tối đa", "Mất so với\ntối đa", "Cao nhất\ncùng cấp", "Kém đơn vị\ncao nhất"):
        table.add_column(header, justify="right", no_wrap=True)
    if has_previous:
        table.add_column(f"Thay đổi so\nvới {gaps.previous_year}", justify="right", no_wrap=True)
    reach = {c.code for c in gaps.within_reach}
    for c in gaps.criteria:
        cells = [
            c.code + (" ★" if c.code in reach else ""),
            c.name,
            format_number(c.score),
            format_number(c.max, 2, trim=True),
            format_number(c.lost),
            format_number(c.best_score),
            format_number(c.to_best),
        ]
        if has_previous:
            cells.append(_signed(c.lost_change))
        table.add_row(*cells)
    return table


def write_gaps_xlsx(gaps: list[UnitGaps], path: str | Path, *, title: str, illustrative: bool = False) -> None:
    import xlsxwriter

    with atomic_path(path) as tmp, xlsxwriter.Workbook(str(tmp), XLSX_OPTIONS) as workbook:
        bold = workbook.add_format({"bold": True})
        num = workbook.add_format({"num_format": "#,##0.00"})
        sheet = workbook.add_worksheet("Điểm còn thiếu")
        row = _heading(sheet, title, illustrative, bold)
        header = ["Mã đơn vị", "Đơn vị", "Mã tiêu chí", "Tiêu chí", "Điểm", "Tối đa",
                  "Mất so với tối đa", "Cao nhất cùng cấp", "Đơn vị cao nhất",
                  "Kém đơn vị cao nhất", "Trong tầm tay", "Mất năm trước", "Thay đổi"]
        sheet.write_row(row, 0, header, bold)
        for g in gaps:
            reach = {c.code: i + 1 for i, c in enumerate(g.within_reach)}
            for c in g.criteria:
                row += 1
                _put(sheet, row, 0, g.unit_code)
                _put(sheet, row, 1, g.unit_name)
                _put(sheet, row, 2, c.code)
                _put(sheet, row, 3, c.name)
                for col, value in ((4, c.score), (5, c.max), (6, c.lost), (7, c.best_score)):
                    sheet.write_number(row, col, round_half_up(value, 2), num)
                _put(sheet, row, 8, ", ".join(c.best_units))
                sheet.write_number(row, 9, round_half_up(c.to_best, 2), num)
                if c.code in reach:
                    sheet.write_number(row, 10, reach[c.code])
                if c.previous_lost is not None:
                    sheet.write_number(row, 11, round_half_up(c.previous_lost, 2), num)
                if c.lost_change is not None:
                    sheet.write_number(row, 12, round_half_up(c.lost_change, 2), num)


def whatif_to_json(result: WhatIf) -> dict[str, Any]:
    fw = result.simulated.framework
    return {
        "framework": fw.code,
        "year": fw.year,
        "changes": {
            "scores": [
                {"unit_code": s.unit_code, "node": s.node, "value": s.value} for s in result.scores
            ],
            "weights": dict(result.weights),
        },
        "max": _r(fw.max),
        "units": [
            {
                "unit_code": u.unit_code,
                "unit_name": u.unit_name,
                "score": _r(u.score_after),
                "max": _r(u.max_after),
                "index": _r(u.index_after),
                "rank": u.rank_after,
                "band": u.band_after,
                "published": {
                    "score": _r(u.score_before),
                    "max": _r(u.max_before),
                    "index": _r(u.index_before),
                    "rank": u.rank_before,
                    "band": u.band_before,
                },
                "rank_change": u.rank_change,
                "changed": u.changed,
            }
            for u in result.units
        ],
    }


def whatif_table(result: WhatIf) -> Table:
    fw = result.simulated.framework
    caption = []
    for s in result.scores:
        caption.append(f"Đổi điểm: {s.unit_code} mục {s.node} = {format_number(s.value)}")
    for code, value in result.weights.items():
        caption.append(
            f"Đổi trọng số: {code} tối đa {format_number(result.published.framework.node(code).max, 2, trim=True)}"
            f" → {format_number(value, 2, trim=True)} điểm"
        )
    caption.append("Dòng có '*' là đơn vị thay đổi điểm, thứ hạng hoặc xếp loại so với kết quả công bố.")
    if result.simulated.illustrative:
        caption.append(ILLUSTRATIVE_NOTE)
    table = _table(f"Mô phỏng — {fw.name} năm {fw.year}", caption)
    for header in ("Hạng", "Hạng\ncông bố", "Tăng\ngiảm"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("Đơn vị", min_width=12, overflow="fold")
    for header in ("Tổng điểm", "Điểm\ncông bố", "Chỉ số %"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("Xếp loại", no_wrap=True)
    table.add_column("Xếp loại\ncông bố", no_wrap=True)
    for u in result.units:
        change = u.rank_change
        table.add_row(
            format_int(u.rank_after),
            format_int(u.rank_before),
            f"+{change}" if change > 0 else ("0" if change == 0 else f"−{-change}"),
            u.unit_name + (" *" if u.changed else ""),
            format_number(u.score_after),
            format_number(u.score_before),
            format_number(u.index_after),
            u.band_after or "",
            u.band_before or "",
        )
    return table
