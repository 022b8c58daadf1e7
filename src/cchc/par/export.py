"""Results out: the JSON contract, CSV, an office-style XLSX and a terminal table.

Numbers are rounded half-up to 2 decimals only here, at the edge. Files are written to a
temporary file beside the target and renamed into place, so a failure never leaves a
half-written output.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt
from rich import box
from rich.table import Table

from cchc.demo import ILLUSTRATIVE_NOTE
from cchc.fmt import format_int, format_number
from cchc.par.exact import round2_array
from cchc.par.results import NodeResult, NodeResults, Results, UnitResult
from cchc.par.rounding import round2
from cchc.par.xlsx_layout import write_details, write_ranking
from cchc.safety import XLSX_OPTIONS, safe_row

__all__ = [
    "atomic_path",
    "render_table",
    "results_json_text",
    "results_to_json",
    "title",
    "write_csv",
    "write_json",
    "write_xlsx",
]


def _r(value: float | None) -> float | None:
    return None if value is None else round2(value)


def title(results: Results) -> str:
    """ "Kết quả Chỉ số cải cách hành chính cấp huyện năm 2022"."""
    return f"Kết quả {results.framework.name} năm {results.framework.year}"


def results_to_json(results: Results, *, with_units: bool = True) -> dict[str, Any]:
    """The JSON contract (docs/par.md, Outputs), numbers rounded to 2 decimals."""
    doc = {
        "framework": results.framework.code,
        "year": results.framework.year,
        "units": [_unit_json(u) for u in results.units] if with_units else [],
        "summary": {
            "units": results.summary.units,
            "average_index": _r(results.summary.average_index),
            "band_counts": dict(results.summary.band_counts),
        },
    }
    if not with_units:
        del doc["units"]
    return doc


def _unit_json(unit: UnitResult, *, with_nodes: bool = True) -> dict[str, Any]:
    previous = None
    if unit.previous is not None:
        previous = {
            "score": _r(unit.previous.score),
            "rank": unit.previous.rank,
            "components": {
                code: {"score": _r(node.score), "rank": node.rank}
                for code, node in unit.previous.components.items()
            },
        }
    return {
        "unit_code": unit.unit_code,
        "unit_name": unit.unit_name,
        "score": _r(unit.score),
        "max": _r(unit.max),
        "index": _r(unit.index),
        "rank": unit.rank,
        "band": unit.band,
        "components": {
            code: {
                "score": _r(node.score),
                "max": _r(node.max),
                "index": _r(node.index),
                "rank": node.rank,
            }
            for code, node in unit.components.items()
        }
        if with_nodes
        else {},
        "previous": previous,
        "rank_change": unit.rank_change,
    }


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only if the block succeeds."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    # mkstemp makes the file private (0600); the finished file gets the usual umask mode.
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def results_json_text(results: Results) -> str:
    """The JSON contract as text (non-ASCII kept, one unit a line, final newline).

    The one serialisation behind ``cchc par rank --format json``, the API and the download,
    so the three are the same bytes by construction. Each unit is written on a line of its
    own by the C encoder (``indent=`` would switch ``json`` to its pure-Python encoder); the
    nodes of every unit — a country's 3 321 communes × 116 nodes × 4 figures — are written
    from the results' node table in one pass (``_nodes_texts``), the same text as
    ``results_to_json`` gives.
    """
    doc = results_to_json(results, with_units=False)
    nodes = _nodes_texts(results)
    if nodes is None:
        units = [_compact(_unit_json(unit)) for unit in results.units]
    else:
        units = [_unit_text(unit, text) for unit, text in zip(results.units, nodes, strict=True)]
    fields = [f"  {_compact(key)}: {_compact(value)}" for key, value in doc.items()]
    rows = ",\n".join("    " + unit for unit in units)
    fields.insert(2, f'  "units": [\n{rows}\n  ]')
    return "{\n" + ",\n".join(fields) + "\n}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _unit_text(unit: UnitResult, nodes: str) -> str:
    """``_compact(_unit_json(unit))`` with the nodes' text already written."""
    doc = _unit_json(unit, with_nodes=False)
    head = _compact({k: doc[k] for k in list(doc)[:7]})
    return (
        f'{head[:-1]}, "components": {nodes}, "previous": {_compact(doc["previous"])}, '
        f'"rank_change": {_compact(doc["rank_change"])}}}'
    )


def _nodes_texts(results: Results) -> list[str] | None:
    """Every unit's "components" object as JSON text, from the node table; None when the
    results have none (computed unit by unit) or a figure is -0.0 (rare; the slow path
    writes it as such)."""
    table = results.table
    if table is None:
        return None
    rows = []
    for unit in results.units:
        nodes = unit.components
        if not isinstance(nodes, NodeResults) or nodes.table is not table:
            return None
        rows.append(nodes.row)
    columns = []
    for name in ("score", "max", "index"):
        rounded = round2_array(getattr(table, name)[rows])
        if np.any((rounded == 0) & np.signbit(rounded)):
            return None
        columns.append(_texts(rounded, np.isnan(rounded)))
    ranks = table.rank[rows]
    columns.append(_texts(ranks, ranks == 0))
    cells = np.stack(columns, axis=2).reshape(len(rows), -1)
    template = "{" + ", ".join(
        f'{_compact(code)}: {{"score": %s, "max": %s, "index": %s, "rank": %s}}'
        for code in table.codes
    ) + "}"
    return [template % tuple(row) for row in cells]


def _texts(values: npt.NDArray[Any], empty: npt.NDArray[np.bool_]) -> npt.NDArray[np.object_]:
    """``json.dumps`` of each value ("null" where ``empty``), each distinct value once."""
    distinct, where = np.unique(np.where(empty, 0, values), return_inverse=True)
    texts = np.array([json.dumps(v) for v in distinct.tolist()], dtype=object)
    out = texts[where.reshape(values.shape)]
    out[empty] = "null"
    return out


def write_json(results: Results, target: str | Path | IO[str]) -> None:
    """Write the JSON contract (UTF-8, indented) to a path or an open text stream."""
    text = results_json_text(results)
    if isinstance(target, str | Path):
        with atomic_path(target) as tmp:
            tmp.write_text(text, encoding="utf-8")
    else:
        target.write(text)


def csv_header(results: Results) -> list[str]:
    """Columns of the CSV: identity, total, then score/max/index/rank of every node."""
    header = ["unit_code", "unit_name", "score", "max", "index", "rank", "band"]
    if results.previous_year is not None:
        header += ["previous_score", "previous_rank", "rank_change"]
    for node in results.framework.nodes():
        header += [
            f"{node.code}_score",
            f"{node.code}_max",
            f"{node.code}_index",
            f"{node.code}_rank",
        ]
    return header


def _csv_rows(results: Results) -> Iterator[list[object]]:
    def cell(value: float | int | None) -> object:
        if value is None:
            return ""
        return value if isinstance(value, int) else _r(value)

    for unit in results.units:
        row: list[object] = [unit.unit_code, unit.unit_name]
        row += [cell(unit.score), cell(unit.max), cell(unit.index), unit.rank, unit.band or ""]
        if results.previous_year is not None:
            prev = unit.previous
            row += [
                cell(prev.score if prev else None),
                cell(prev.rank if prev else None),
                cell(unit.rank_change),
            ]
        for node in results.framework.nodes():
            n = unit.components[node.code]
            row += [cell(n.score), cell(n.max), cell(n.index), cell(n.rank)]
        yield row


def write_csv(results: Results, target: str | Path | IO[str]) -> None:
    """Write one row per unit (decimal point, UTF-8, no BOM) to a path or a text stream."""
    if isinstance(target, str | Path):
        with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="") as out:
            _write_csv(results, out)
    else:
        _write_csv(results, target)


def _write_csv(results: Results, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(results))
    writer.writerows(safe_row(row) for row in _csv_rows(results))


def write_xlsx(results: Results, path: str | Path) -> None:
    """Write the ranking as offices lay it out, numbers stored as numbers.

    Sheet "Xếp hạng": STT, Đơn vị, one column per component, Tổng điểm, Chỉ số (%),
    Xếp hạng, Xếp loại (then the previous rank and the change, when a previous year is
    given). Sheet "Chi tiết": one row per unit and node of the tree with score, maximum,
    index and rank, and last year's when given. Number formats are ``#,##0.00``: the file
    stores the number, Excel shows it with the reader's locale separators (88,41 on a
    Vietnamese-locale machine, 88.41 on an English one).
    """
    import xlsxwriter

    with atomic_path(path) as tmp, xlsxwriter.Workbook(str(tmp), XLSX_OPTIONS) as workbook:
        write_ranking(workbook, results, title(results))
        write_details(workbook, results)


def render_table(results: Results) -> Table:
    """A rich table of the ranking, Vietnamese number formats."""
    framework = results.framework
    # The component codes heading the columns (KQ, DT, HL…) are spelled out under the table.
    legend = [
        f"{c.code}: {c.name} (tối đa {format_number(c.max, 2, trim=True)} điểm)"
        for c in framework.components
    ]
    if results.illustrative:
        legend.append(ILLUSTRATIVE_NOTE)
    table = Table(
        title=title(results),
        caption="\n".join(legend) or None,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )

    def number_column(header: str) -> None:
        # Figures are never wrapped or cut: the name column gives way instead.
        table.add_column(header, justify="right", no_wrap=True)

    number_column("Hạng")
    table.add_column("Đơn vị", min_width=12, overflow="fold")
    for component in framework.components:
        number_column(f"{component.code}\n/{format_number(component.max, 2, trim=True)}")
    number_column("Tổng\nđiểm")
    number_column("Chỉ\nsố %")
    table.add_column("Xếp\nloại", no_wrap=True)
    has_previous = results.previous_year is not None
    if has_previous:
        number_column(f"Hạng\n{results.previous_year}")
        number_column("Tăng\ngiảm")
    for unit in results.units:
        cells = [format_int(unit.rank), unit.unit_name]
        cells += [_score_text(unit.components[c.code]) for c in framework.components]
        cells += [format_number(unit.score), format_number(unit.index), unit.band or ""]
        if has_previous:
            prev = unit.previous
            cells.append(format_int(prev.rank) if prev else "")
            cells.append(_signed(unit.rank_change))
        table.add_row(*cells)
    return table


def _signed(change: int | None) -> str:
    """+1 / −2 / 0: the rank change in a narrow column (the narrative spells it out)."""
    if change is None:
        return ""
    return f"+{change}" if change > 0 else ("0" if change == 0 else f"−{-change}")


def _score_text(node: NodeResult) -> str:
    return "—" if node.score is None else format_number(node.score)
