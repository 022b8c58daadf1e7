"""Units' scores against a framework: the wide and long interchange forms, validated.

Wide form (one row per unit): ``unit_code,unit_name,<node code>…`` with values at any level
of the tree. "Not applicable" is written explicitly (``KAD``, ``không áp dụng``, ``N/A``,
``-``: ``cchc.par.values``); a blank score cell is an error, since a forgotten cell must
not silently change a rank. Long form (one row per unit and criterion,
for appraisal work): ``unit_code,unit_name,criterion,self_score,final_score,note``; the
final (appraised) score is the one that counts. The form is detected from the header.

Every problem is collected with its file, row and column before anything is returned, so a
file is accepted whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Literal

from cchc.demo import is_demo_path
from cchc.fmt import format_number, has_visible_text
from cchc.par.framework import Framework
from cchc.par.tree import roll_up
from cchc.par.values import ScoreValue, ScoreValueError, parse_score
from cchc.tables import DEFAULT_LIMITS, Cell, Problem, TableError, TableLimits, read_table

__all__ = [
    "CriterionScore",
    "ScoreProblem",
    "ScoreSheet",
    "ScoresError",
    "UnitScores",
    "load_scores",
    "scores_from_rows",
]

LONG_COLUMNS = ("unit_code", "unit_name", "criterion", "self_score", "final_score", "note")
_ID_COLUMNS = ("unit_code", "unit_name")
# The usual cause: 55,46 typed unquoted in a comma-separated file.
_OVERLONG = (
    "dòng có nhiều ô hơn dòng tiêu đề (trong CSV, số có dấu phẩy thập phân phải đặt "
    'trong ngoặc kép: "55,46")'
)
_BLANK = "ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng"


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


@dataclass(frozen=True)
class UnitScores:
    """One unit's given values by node code: a number or ``NOT_APPLICABLE`` (KAD); a node
    not given is absent. ``row`` is where the unit's first line is (None: not from a file)."""

    unit_code: str
    unit_name: str
    values: dict[str, ScoreValue]
    details: dict[str, CriterionScore] = field(default_factory=dict)
    row: int | None = None


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
            if name and name not in LONG_COLUMNS:
                bad(header_row, name, "cột không thuộc dạng dọc " + ",".join(LONG_COLUMNS))
    else:
        for name in header:
            if name and name not in _ID_COLUMNS and not framework.has_node(name):
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


def _wide_units(
    rows: list[tuple[int, dict[str, Cell]]], framework: Framework, bad: _BadFn
) -> _Units:
    units: _Units = []
    first_row: dict[str, int] = {}
    for row, cells in rows:
        ident = _identity(row, cells, bad)
        values: dict[str, ScoreValue] = {}
        where: dict[str, tuple[int, str]] = {}
        for column, cell in cells.items():
            if column in _ID_COLUMNS or not column:
                continue
            ok, value = _score(cell, row, column, column, framework, bad)
            if ok and value is not None:
                values[column] = value
                where[column] = (row, column)
        if ident is None:
            continue
        code, name = ident
        if code in first_row:
            bad(row, "unit_code", f"đơn vị {code!r} bị lặp (đã có ở dòng {first_row[code]})")
            continue
        first_row[code] = row
        units.append((UnitScores(code, name, values, row=row), row, where, {row}))
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
        # No self score is possible (survey components); the appraised one always counts.
        ok_self, self_score = _score(
            cells.get("self_score"), row, "self_score", criterion, framework, bad, required=False
        )
        ok_final, final = _score(
            cells.get("final_score"), row, "final_score", criterion, framework, bad
        )
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
        unit.details[criterion] = CriterionScore(self_score, final, note)
        unit.values[criterion] = final
        where[criterion] = (row, "final_score")
    return list(by_code.values())


def _check_roll_up(units: _Units, framework: Framework, bad: _BadFn) -> None:
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
