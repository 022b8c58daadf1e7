"""The sampling error of survey components, read from a file (docs/par.md, "Uncertainty").

One row per unit, component and survey factor (``unit_code,component,factor,respondents,
satisfied``), or one row per unit and component with a standard error in points
(``unit_code,component,se``). Both forms may sit in the same file, for different
components (citizen satisfaction as counts, the officials' survey as a standard error);
one component of one unit uses one form. The file is checked against the computed
results: every unit and component must exist and apply. Every problem is reported with
file, row and column, and nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cchc.fmt import ParseNumberError, format_number, parse_number
from cchc.par.results import Results
from cchc.par.scores import ScoreProblem
from cchc.tables import DEFAULT_LIMITS, Cell, TableError, TableLimits, read_table

__all__ = [
    "ComponentUncertainty",
    "FactorCount",
    "UncertaintyError",
    "load_uncertainty",
    "uncertainty_from_rows",
    "uncertainty_rows",
]

_Bad = Callable[[int | None, str | None, str], None]
"""Reports a problem at a row and column."""

COLUMNS = ("unit_code", "component", "factor", "respondents", "satisfied", "se")
_REQUIRED = ("unit_code", "component")


#: The one error of every table importer (``cchc.tables``): ``errors`` lists the first
#: problems, the message counts the rest.
UncertaintyError = TableError


@dataclass(frozen=True)
class FactorCount:
    """One survey factor of a component: how many answered and how many were satisfied."""

    factor: str
    respondents: int
    satisfied: int


@dataclass(frozen=True)
class ComponentUncertainty:
    """The sampling error of one unit's component: factor counts, or a standard error."""

    unit_code: str
    component: str
    counts: tuple[FactorCount, ...] = ()
    se: float | None = None


def load_uncertainty(
    source: str | Path | IO[bytes] | bytes,
    results: Results,
    *,
    name: str | None = None,
    limits: TableLimits = DEFAULT_LIMITS,
) -> list[ComponentUncertainty]:
    """Read a CSV or XLSX uncertainty file (a path, or an open binary stream such as a web
    upload, named by ``name``) and check it against ``results``."""
    if name is None:
        name = Path(source).name if isinstance(source, str | Path) else "tệp"
    table = read_table(source, name, header_key="unit_code", limits=limits)
    rows = [(number, dict(zip(table.header, cells, strict=False))) for number, cells in table.rows]
    return _validate(table.header, table.header_row, rows, results, name)


def uncertainty_rows(items: Sequence[ComponentUncertainty]) -> list[dict[str, str | int | float]]:
    """The rows of the uncertainty file that says exactly ``items`` (one per factor, or one
    ``se`` row per component): what a server keeps of an upload, read back by
    ``uncertainty_from_rows`` against the results of the day."""
    rows: list[dict[str, str | int | float]] = []
    for item in items:
        if item.se is not None:
            rows.append({"unit_code": item.unit_code, "component": item.component, "se": item.se})
        for count in item.counts:
            rows.append(
                {
                    "unit_code": item.unit_code,
                    "component": item.component,
                    "factor": count.factor,
                    "respondents": count.respondents,
                    "satisfied": count.satisfied,
                }
            )
    return rows


def uncertainty_from_rows(
    rows: Sequence[Mapping[str, object]], results: Results, source: str, *, first_row: int = 2
) -> list[ComponentUncertainty]:
    """Validate rows already parsed exactly as a file would be (row numbers from ``first_row``)."""
    header: list[str] = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    numbered = [
        (first_row + i, {k: v if v is None or isinstance(v, str | int | float) else str(v)
                         for k, v in row.items()})
        for i, row in enumerate(rows)
    ]
    return _validate(header, first_row - 1, numbered, results, source)  # type: ignore[arg-type]


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _validate(
    header: list[str],
    header_row: int,
    rows: list[tuple[int, dict[str, Cell]]],
    results: Results,
    source: str,
) -> list[ComponentUncertainty]:
    problems: list[ScoreProblem] = []

    def bad(row: int | None, column: str | None, message: str) -> None:
        problems.append(ScoreProblem(source, row, column, message))

    for name in header:
        if name and name not in COLUMNS:
            bad(header_row, name, "cột không được hỗ trợ (dùng " + ",".join(COLUMNS) + ")")
    for name in _REQUIRED:
        if name not in header:
            bad(header_row, name, "thiếu cột bắt buộc")
    if "se" not in header and not {"factor", "respondents", "satisfied"} <= set(header):
        bad(header_row, None, "cần cột se, hoặc các cột factor, respondents, satisfied")
    if problems:
        raise UncertaintyError(problems)
    if not rows:
        raise UncertaintyError([ScoreProblem(source, None, None, "không có dòng dữ liệu nào")])

    framework = results.framework
    counts: dict[tuple[str, str], list[FactorCount]] = {}
    errors: dict[tuple[str, str], float] = {}
    first_seen: dict[tuple[str, str], tuple[int, str]] = {}
    factors_seen: dict[tuple[str, str, str], int] = {}
    for number, row in rows:
        unit = _text(row.get("unit_code"))
        component = _text(row.get("component"))
        if not unit:
            bad(number, "unit_code", "thiếu mã đơn vị")
            continue
        if not component:
            bad(number, "component", "thiếu mã thành phần")
            continue
        try:
            unit_result = results.unit(unit)
        except KeyError:
            bad(number, "unit_code", f"đơn vị {unit!r} không có trong tệp điểm")
            continue
        if not framework.has_node(component):
            bad(number, "component", f"mã {component!r} không có trong bộ chỉ số {framework.code}")
            continue
        if unit_result.components[component].score is None:
            bad(number, "component", f"mục {component} không áp dụng với đơn vị {unit}")
            continue
        key = (unit, component)
        se_text = _text(row.get("se"))
        factor = _text(row.get("factor"))
        form = "se" if se_text else "counts"
        earlier = first_seen.setdefault(key, (number, form))
        if earlier[1] != form:
            bad(number, "se", f"{unit}/{component}: không dùng cả se và số người trả lời "
                              f"cho cùng một thành phần (dòng {earlier[0]})")
            continue
        if form == "se":
            if key in errors:
                bad(number, "se", f"{unit}/{component} bị lặp (đã có ở dòng {earlier[0]})")
                continue
            se = _number(se_text, number, "se", bad)
            if se is None:
                continue
            if se < 0:
                bad(number, "se", f"sai số chuẩn {format_number(se, 6, trim=True)} âm")
                continue
            errors[key] = se
            continue
        if not factor:
            bad(number, "factor", "thiếu mã yếu tố (hoặc điền cột se)")
            continue
        seen_at = factors_seen.setdefault((unit, component, factor), number)
        if seen_at != number:
            bad(number, "factor", f"{unit}/{component}/{factor} bị lặp (đã có ở dòng {seen_at})")
            continue
        n = _count(row.get("respondents"), number, "respondents", bad)
        s = _count(row.get("satisfied"), number, "satisfied", bad)
        if n is None or s is None:
            continue
        if n == 0:
            bad(number, "respondents", "số người trả lời phải lớn hơn 0")
            continue
        if s > n:
            bad(number, "satisfied", f"số hài lòng {s} lớn hơn số người trả lời {n}")
            continue
        counts.setdefault(key, []).append(FactorCount(factor, n, s))
    # A node and one of its descendants for the same unit would count one error twice.
    keys = set(counts) | set(errors)
    for unit, component in sorted(keys):
        parent = framework.node(component).parent
        while parent is not None:
            if (unit, parent) in keys:
                bad(first_seen[(unit, component)][0], "component",
                    f"{unit}: {component} nằm trong {parent}, đã có sai số riêng")
                break
            parent = framework.node(parent).parent
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise UncertaintyError(problems)
    out = [ComponentUncertainty(u, c, counts=tuple(f)) for (u, c), f in counts.items()]
    out += [ComponentUncertainty(u, c, se=se) for (u, c), se in errors.items()]
    return sorted(out, key=lambda x: (x.unit_code, x.component))


def _number(text: str, row: int, column: str, bad: _Bad) -> float | None:
    try:
        value = parse_number(text)
    except ParseNumberError:
        bad(row, column, f"{text!r} không phải là số")
        return None
    return value


def _count(cell: Cell, row: int, column: str, bad: _Bad) -> int | None:
    text = _text(cell)
    if not text:
        bad(row, column, "thiếu giá trị")
        return None
    value = _number(text, row, column, bad)
    if value is None:
        return None
    if value < 0 or not math.isfinite(value) or not float(value).is_integer():
        bad(row, column, f"{text!r} không phải là số nguyên không âm")
        return None
    return int(value)
