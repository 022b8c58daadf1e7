"""Units' scores against a framework: the wide and long interchange forms, validated.

Wide form (one row per unit): ``unit_code,unit_name,<node code>…`` with values at any level
of the tree. "Not applicable" is written explicitly (``KAD``, ``không áp dụng``, ``N/A``,
``-``: ``cchc.par.values``); a blank score cell is an error, since a forgotten cell must
not silently change a rank. Long form (one row per unit and criterion,
for appraisal work): ``unit_code,unit_name,criterion,self_score,final_score,note``; the
final (appraised) score is the one that counts. The form is detected from the header.

A criterion whose framework gives a formula (``rule:``, ``cchc.par.rules``) may be given
its raw figure instead of, or beside, its points: a wide column ``<code>#input`` or a long
``input`` column. The points are then computed; points written beside a figure must equal
them.

Every problem is collected with its file, row and column before anything is returned, so a
file is accepted whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Literal

import numpy as np

from cchc.demo import is_demo_path
from cchc.fmt import format_number, has_visible_text
from cchc.par.framework import Framework, Node
from cchc.par.rules import InputError, parse_input, rule_points
from cchc.par.table import roll_up_units
from cchc.par.tree import roll_up
from cchc.par.values import (
    NOT_APPLICABLE,
    NotApplicable,
    ScoreValue,
    ScoreValueError,
    is_not_applicable_text,
    parse_score,
)
from cchc.tables import DEFAULT_LIMITS, Cell, Problem, TableError, TableLimits, read_table

__all__ = [
    "INPUT_COLUMN",
    "INPUT_SUFFIX",
    "CriterionScore",
    "ScoreProblem",
    "ScoreSheet",
    "ScoresError",
    "UnitScores",
    "load_scores",
    "scores_from_rows",
]

LONG_COLUMNS = ("unit_code", "unit_name", "criterion", "self_score", "final_score", "note")
#: The long form's optional column of raw figures (a count or a rate) for formula criteria.
INPUT_COLUMN = "input"
#: A wide column ``<code>#input`` holds the raw figure of criterion ``<code>`` ('#' is
#: never part of a code, so the name cannot clash with a node).
INPUT_SUFFIX = "#input"
_ID_COLUMNS = ("unit_code", "unit_name")
# The usual cause: 55,46 typed unquoted in a comma-separated file.
_OVERLONG = (
    "dòng có nhiều ô hơn dòng tiêu đề (trong CSV, số có dấu phẩy thập phân phải đặt "
    'trong ngoặc kép: "55,46")'
)
_BLANK = "ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng"
_BLANK_INPUT = "ô trống: ghi số liệu (số lượng hoặc tỷ lệ), hoặc KAD nếu tiêu chí không áp dụng"


#: Problems in a scores file are the one problem type of every importer (``cchc.tables``):
#: file, row, column and reason (in Vietnamese); the error lists the first ones and counts
#: the rest. ``errors`` is its list of problems.
ScoreProblem = Problem
ScoresError = TableError


@dataclass(frozen=True)
class CriterionScore:
    """Long form detail: the unit's own score (None: none given), the appraised score
    (a number or ``NOT_APPLICABLE``) and the reason."""

    self_score: ScoreValue | None
    final_score: ScoreValue
    note: str
    figure: float | None = None
    """The raw figure the final score was computed from (formula criteria), if given."""


@dataclass(frozen=True)
class UnitScores:
    """One unit's given values by node code: a number or ``NOT_APPLICABLE`` (KAD); a node
    not given is absent. ``row`` is where the unit's first line is (None: not from a file)."""

    unit_code: str
    unit_name: str
    values: dict[str, ScoreValue]
    details: dict[str, CriterionScore] = field(default_factory=dict)
    row: int | None = None
    figures: dict[str, float] = field(default_factory=dict)
    """The raw figures (counts, rates in %) formula criteria were computed from."""


@dataclass(frozen=True)
class ScoreSheet:
    """All units' scores for one framework, as read from ``source``."""

    framework_code: str
    rows: tuple[UnitScores, ...]
    source: str
    form: Literal["wide", "long"] = "wide"
    illustrative: bool = False

    def unit(self, code: str) -> UnitScores:
        """The row of the unit with this code; KeyError when absent."""
        for row in self.rows:
            if row.unit_code == code:
                return row
        raise KeyError(code)

    def with_illustrative(self, illustrative: bool = True) -> ScoreSheet:
        """The same sheet marked as illustrative (demo) data or not."""
        return replace(self, illustrative=illustrative)


def load_scores(
    path: str | Path | IO[bytes],
    framework: Framework,
    *,
    name: str | None = None,
    limits: TableLimits = DEFAULT_LIMITS,
) -> ScoreSheet:
    """Read a CSV or XLSX scores file (wide or long form) and validate it against ``framework``.

    ``path`` may also be a binary stream, named by ``name`` (an upload)."""
    if not isinstance(path, str | Path):
        stream, path = path, Path(name or "tệp")
        table = read_table(stream, path.name, header_key="unit_code", limits=limits)
    else:
        path = Path(path)
        table = read_table(path, path.name, header_key="unit_code", limits=limits)
    numbered = list(table.rows)
    rows = [(number, dict(zip(table.header, cells, strict=False))) for number, cells in numbered]
    overlong = [
        ScoreProblem(path.name, number, None, _OVERLONG)
        for number, cells in numbered
        if any(c not in (None, "") for c in cells[len(table.header) :])
    ]
    if overlong:
        raise ScoresError(overlong)
    sheet = _validate(table.header, table.header_row, rows, framework, path.name)
    if is_demo_path(path):
        sheet = sheet.with_illustrative()
    return sheet


def scores_from_rows(
    rows: Sequence[Mapping[str, object]],
    framework: Framework,
    source: str,
    *,
    first_row: int = 2,
) -> ScoreSheet:
    """Validate rows already parsed (e.g. from a web form) exactly as a file would be.

    Row numbers in errors start at ``first_row`` (2: as if a header were row 1).
    """
    header: list[str] = []
    for row in rows:
        for key in row:
            if key not in header:
                header.append(key)
    numbered = [
        (first_row + i, {k: _cell(v) for k, v in row.items()}) for i, row in enumerate(rows)
    ]
    return _validate(header, first_row - 1, numbered, framework, source)


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | float | int | bool):
        return value
    return str(value)


def _validate(
    header: list[str],
    header_row: int,
    rows: list[tuple[int, dict[str, Cell]]],
    framework: Framework,
    source: str,
) -> ScoreSheet:
    problems: list[ScoreProblem] = []

    def bad(row: int | None, column: str | None, message: str) -> None:
        problems.append(ScoreProblem(source, row, column, message))

    seen: set[str] = set()
    for name in header:
        if not name:
            bad(header_row, None, "có cột không có tên trong dòng tiêu đề")
        elif name in seen:
            bad(header_row, name, "tên cột bị lặp")
        seen.add(name)
    for column in _ID_COLUMNS:
        if column not in header:
            bad(header_row, column, "thiếu cột bắt buộc")
    long_form = "criterion" in header or "final_score" in header
    if long_form:
        for column in LONG_COLUMNS:
            if column not in header:
                bad(header_row, column, "thiếu cột bắt buộc của dạng dọc")
        for name in header:
            if name and name not in LONG_COLUMNS and name != INPUT_COLUMN:
                bad(
                    header_row,
                    name,
                    "cột không thuộc dạng dọc " + ",".join((*LONG_COLUMNS, INPUT_COLUMN)),
                )
    else:
        for name in header:
            if not name or name in _ID_COLUMNS:
                continue
            if name.endswith(INPUT_SUFFIX):
                code = name[: -len(INPUT_SUFFIX)]
                if not framework.has_node(code):
                    bad(header_row, name, f"mã {code!r} không có trong bộ chỉ số {framework.code}")
                elif framework.node(code).rule is None:
                    bad(header_row, name, f"tiêu chí {code} không có công thức tính điểm")
            elif not framework.has_node(name):
                bad(header_row, name, f"mã {name!r} không có trong bộ chỉ số {framework.code}")
    if problems:
        raise ScoresError(problems)
    if not rows:
        raise ScoresError([ScoreProblem(source, None, None, "không có dòng dữ liệu nào")])

    units = (_long_units if long_form else _wide_units)(rows, framework, bad)
    # A unit with a rejected value would show spurious sums: check the others only.
    flawed_rows = {p.row for p in problems}
    _check_roll_up([u for u in units if not flawed_rows & u[3]], framework, bad)
    if problems:
        position = {name: i for i, name in enumerate(header)}
        problems.sort(key=lambda p: (p.row or 0, position.get(p.column or "", len(header))))
        raise ScoresError(problems)
    return ScoreSheet(
        framework_code=framework.code,
        rows=tuple(u[0] for u in units),
        source=source,
        form="long" if long_form else "wide",
    )


_BadFn = Callable[[int | None, str | None, str], None]
"""Reports a problem at (row, column)."""

_Units = list[tuple[UnitScores, int, dict[str, tuple[int, str]], set[int]]]
"""Each unit, the row of its first line, where each value came from (row, column), and
all the rows it was read from."""


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _score(
    cell: Cell,
    row: int,
    column: str,
    code: str,
    framework: Framework,
    bad: _BadFn,
    *,
    required: bool = True,
) -> tuple[bool, ScoreValue | None]:
    """(ok, value) through ``parse_score``; a blank is a problem when ``required`` (else
    (True, None)); a problem is reported and gives (False, None)."""
    try:
        value = parse_score(cell, framework.node(code))
    except ScoreValueError as exc:
        bad(row, column, str(exc))
        return False, None
    if value is None and required:
        bad(row, column, _BLANK)
        return False, None
    return True, value


def _identity(row: int, cells: Mapping[str, Cell], bad: _BadFn) -> tuple[str, str] | None:
    code = _text(cells.get("unit_code"))
    name = _text(cells.get("unit_name"))
    if not code:
        bad(row, "unit_code", "thiếu mã đơn vị")
    if not name:
        bad(row, "unit_name", "thiếu tên đơn vị")
    return (code, name) if code and name else None


def _figure(
    cell: Cell, row: int, column: str, node: Node, bad: _BadFn
) -> tuple[bool, ScoreValue | None, float | None]:
    """(ok, points, figure) from a raw-figure cell of a formula criterion: KAD gives
    ``NOT_APPLICABLE``; a blank gives (True, None, None); a problem is reported."""
    assert node.rule is not None
    text = cell.strip() if isinstance(cell, str) else ""
    if text and not text[0].isdigit() and is_not_applicable_text(text):
        return True, NOT_APPLICABLE, None
    try:
        figure = parse_input(cell, node.rule)
    except InputError as exc:
        bad(row, column, f"{exc} (số liệu của {node.code})")
        return False, None, None
    if figure is None:
        return True, None, None
    return True, rule_points(node.rule, node.max, figure), figure


def _agree(
    given: ScoreValue, computed: ScoreValue, figure: float | None, row: int, column: str,
    code: str, bad: _BadFn,
) -> bool:
    """Points written beside a figure must be the formula's; report when they are not."""
    same = (
        isinstance(given, NotApplicable) and isinstance(computed, NotApplicable)
    ) or (
        not isinstance(given, NotApplicable)
        and not isinstance(computed, NotApplicable)
        and round(given, 2) == round(computed, 2)
    )
    if not same:
        shown = "KAD" if isinstance(given, NotApplicable) else format_number(given, 2, trim=True)
        want = (
            "KAD" if isinstance(computed, NotApplicable) else format_number(computed, 2, trim=True)
        )
        source = "" if figure is None else f" từ số liệu {format_number(figure, 2, trim=True)}"
        bad(row, column, f"điểm {code} ({shown}) khác điểm tính theo công thức ({want}){source}")
    return same


def _wide_units(
    rows: list[tuple[int, dict[str, Cell]]], framework: Framework, bad: _BadFn
) -> _Units:
    units: _Units = []
    first_row: dict[str, int] = {}
    # A column repeats few spellings ("0,5", "KAD") over thousands of units: read each once.
    # Keyed by text or float only: 1, 1.0 and True are one dict key, and True is refused.
    read: dict[str, dict[str | float, ScoreValue]] = {}
    for row, cells in rows:
        ident = _identity(row, cells, bad)
        values: dict[str, ScoreValue] = {}
        figures: dict[str, float] = {}
        where: dict[str, tuple[int, str]] = {}
        computed: dict[str, ScoreValue] = {}
        flawed: set[str] = set()
        for column, cell in cells.items():
            if not column.endswith(INPUT_SUFFIX):
                continue
            code = column[: -len(INPUT_SUFFIX)]
            ok, points, figure = _figure(cell, row, column, framework.node(code), bad)
            if not ok:
                flawed.add(code)
            elif points is not None:
                computed[code] = points
                if figure is not None:
                    figures[code] = figure
            elif code not in cells:
                bad(row, column, _BLANK_INPUT)  # no points column to fall back on
        for column, cell in cells.items():
            if column in _ID_COLUMNS or not column or column.endswith(INPUT_SUFFIX):
                continue
            required = column not in computed and column not in flawed
            known = None
            if required and (type(cell) is str or type(cell) is float):
                known = read.setdefault(column, {})
            value = known.get(cell) if known is not None else None  # type: ignore[arg-type]
            if value is None:
                ok, value = _score(cell, row, column, column, framework, bad, required=required)
                if not ok or column in flawed:
                    continue
                if known is not None and value is not None:
                    known[cell] = value  # type: ignore[index]
            if column in computed:
                if value is not None and not _agree(
                    value, computed[column], figures.get(column), row, column, column, bad
                ):
                    continue
                value = computed[column]
            if value is not None:
                values[column] = value
                where[column] = (row, column)
        for code, points in computed.items():
            if code not in cells:
                values[code] = points
                where[code] = (row, code + INPUT_SUFFIX)
        if ident is None:
            continue
        code, name = ident
        if code in first_row:
            bad(row, "unit_code", f"đơn vị {code!r} bị lặp (đã có ở dòng {first_row[code]})")
            continue
        first_row[code] = row
        units.append(
            (UnitScores(code, name, values, row=row, figures=figures), row, where, {row})
        )
    return units


def _long_units(
    rows: list[tuple[int, dict[str, Cell]]], framework: Framework, bad: _BadFn
) -> _Units:
    by_code: dict[str, tuple[UnitScores, int, dict[str, tuple[int, str]], set[int]]] = {}
    for row, cells in rows:
        ident = _identity(row, cells, bad)
        criterion = _text(cells.get("criterion"))
        if not criterion:
            bad(row, "criterion", "thiếu mã tiêu chí")
        elif not framework.has_node(criterion):
            bad(row, "criterion", f"mã {criterion!r} không có trong bộ chỉ số {framework.code}")
            criterion = ""
        if ident is None or not criterion:
            continue
        code, name = ident
        node = framework.node(criterion)
        ok_input, computed, figure = True, None, None
        if INPUT_COLUMN in cells and node.rule is not None:
            ok_input, computed, figure = _figure(
                cells.get(INPUT_COLUMN), row, INPUT_COLUMN, node, bad
            )
        elif _text(cells.get(INPUT_COLUMN)):
            bad(row, INPUT_COLUMN, f"tiêu chí {criterion} không có công thức tính điểm")
            ok_input = False
        # No self score is possible (survey components); the appraised one always counts.
        ok_self, self_score = _score(
            cells.get("self_score"), row, "self_score", criterion, framework, bad, required=False
        )
        ok_final, final = _score(
            cells.get("final_score"), row, "final_score", criterion, framework, bad,
            required=computed is None and ok_input,
        )
        if ok_final and computed is not None:
            if final is None:
                final = computed
            elif not _agree(final, computed, figure, row, "final_score", criterion, bad):
                ok_final = False
        ok_final = ok_final and ok_input
        note = _text(cells.get("note"))
        if code not in by_code:
            by_code[code] = (UnitScores(code, name, {}, {}, row=row), row, {}, set())
        unit, first, where, unit_rows = by_code[code]
        unit_rows.add(row)
        if unit.unit_name != name:
            bad(row, "unit_name", f"tên {name!r} khác tên {unit.unit_name!r} ở dòng {first}")
        if criterion in unit.details:
            bad(
                row,
                "criterion",
                f"tiêu chí {criterion!r} của đơn vị {code!r} bị lặp (dòng {where[criterion][0]})",
            )
            continue
        if not (ok_self and ok_final) or final is None:
            continue
        if self_score is not None and final != self_score and not has_visible_text(note):
            # Appraisers must give a written reason for every change (docs/field.md §1).
            bad(row, "note", "điểm thẩm định khác điểm tự đánh giá nhưng không ghi lý do")
        unit.details[criterion] = CriterionScore(self_score, final, note, figure)
        unit.values[criterion] = final
        if figure is not None:
            unit.figures[criterion] = figure
        where[criterion] = (row, "final_score")
    return list(by_code.values())


def _check_roll_up(units: _Units, framework: Framework, bad: _BadFn) -> None:
    # All units at once; the per-unit rule below only for those with something to say.
    rolling = roll_up_units(framework, [u[0].values for u in units])
    if rolling is not None:
        parts = [rolling.column[c.code] for c in framework.components]
        none_applies = (
            np.isnan(rolling.score[:, parts]).all(axis=1) & ~rolling.missing[:, parts].any(axis=1)
        )
        flagged = rolling.disagrees.any(axis=1) | none_applies
        units = [units[i] for i in np.flatnonzero(flagged)]
    for unit, row, where, _ in units:
        rolled, disagreements = roll_up(framework, unit.values)
        for d in disagreements:
            at_row, column = where.get(d.code, (row, d.code))
            total = format_number(d.children_sum, 2, trim=True)
            if d.given is None:
                bad(
                    at_row,
                    column,
                    f"{d.code} ghi không áp dụng nhưng các mục con có điểm ({total})",
                )
                continue
            bad(
                at_row,
                column,
                f"điểm {d.code} ({format_number(d.given, 2, trim=True)}) khác tổng điểm các mục con "
                f"({total})",
            )
        if all(rolled[c.code].score is None for c in framework.components) and not any(
            rolled[c.code].missing for c in framework.components
        ):
            bad(row, None, f"đơn vị {unit.unit_code!r} không có thành phần nào được áp dụng")
