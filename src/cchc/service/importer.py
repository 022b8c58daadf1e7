"""Import dossier records from CSV, XLSX or Parquet into the validated interchange table.

Every problem is reported with file, row, column and reason (the first ``MAX_PROBLEMS`` of
them, with the total); an import with any problem yields nothing at all. Checks are
vectorised with Arrow compute, so a 10-million-row Parquet file is validated without a
Python loop over rows. Row numbers are what the user sees: the line in a CSV file and the
row in a spreadsheet (the header is row 1), the record number (from 1) in Parquet.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final

from cchc.service.code import CODE_PATTERN
from cchc.service.schema import (
    CHANNELS,
    COLUMNS,
    LOCAL_TZ,
    RATINGS,
    REQUIRED,
    STATUSES,
    TERMINAL_STATUSES,
    arrow_schema,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from cchc.calendar import WorkCalendar
    from cchc.service.procedure import Procedure

MAX_PROBLEMS: Final = 200
Progress = Callable[[str, int, int], None]

#: Portal channel codes (KenhThucHien): 1 at the counter, 2 online, 3 by public post.
PORTAL_CHANNELS: Final = {"1": "counter", "2": "online", "3": "post"}
#: Portal status codes (TrangThaiHoSo) — assumed from the DVCQG synchronisation list,
#: to be confirmed against the portal's current specification.
PORTAL_STATUSES: Final = {
    "1": "received",
    "2": "received",
    "3": "refused",
    "4": "processing",
    "5": "supplement_requested",
    "6": "processing",
    "7": "withdrawn",
    "8": "stopped",
    "9": "finished",
    "10": "returned",
}
_TIME_FORMATS: Final = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y%m%d%H%M%S",
)
_OFFSET_FORMATS: Final = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column is not None:
            where.append(f"cột {self.column}")
        return ", ".join(where) + f": {self.reason}"


class LedgerImportError(ValueError):
    """The input cannot be imported; ``problems`` lists the first ones, ``total`` counts all."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        lines = [str(p) for p in problems]
        if self.total > len(problems):
            lines.append(f"… và {self.total - len(problems)} lỗi khác")
        super().__init__("\n".join(lines))


@cache
def portal_fields() -> dict[str, str]:
    """Portal field name (lower case) → interchange column, from ``data/portal_fields.csv``."""
    text = resources.files("cchc.service").joinpath("data/portal_fields.csv").read_text("utf-8")
    return {row["portal_name"].lower(): row["column"] for row in csv.DictReader(text.splitlines())}


# ── reading each format into named Arrow columns ───────────────────────────────────────────


def _read_csv(path: Path) -> pa.Table:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        header_line = handle.readline()
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    names = next(csv.reader([header_line], delimiter=delimiter), [])
    try:
        return pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise LedgerImportError([Problem(str(path), None, None, f"không đọc được tệp CSV: {exc}")]) from None


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> pa.Table:
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise LedgerImportError([Problem(str(path), None, None, f"không đọc được tệp Excel: {exc}")]) from None
    if not rows:
        return pa.table({})
    header = [str(h).strip() for h in rows[0]]
    body = [r for r in rows[1:]]
    # Trailing empty rows are common in office spreadsheets; they are not records.
    while body and all(c in (None, "") for c in body[-1]):
        body.pop()
    columns = {
        name: pa.array([_cell_text(r[i]) if i < len(r) else None for r in body], pa.string())
        for i, name in enumerate(header)
        if name
    }
    return pa.table(columns)


def read_raw(path: Path) -> tuple[pa.Table, int]:
    """The file's columns as Arrow, and the number of the first data row for messages."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    suffix = path.suffix.lower()
    if not path.exists():
        raise LedgerImportError([Problem(str(path), None, None, "tệp không tồn tại")])
    if suffix == ".csv":
        return _read_csv(path), 2
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        return _read_xlsx(path), 2
    if suffix in {".parquet", ".pq"}:
        try:
            return pq.read_table(path), 1
        except (pa.ArrowInvalid, OSError) as exc:
            raise LedgerImportError([Problem(str(path), None, None, f"không đọc được tệp Parquet: {exc}")]) from None
    raise LedgerImportError(
        [Problem(str(path), None, None, f"định dạng '{suffix}' không hỗ trợ: dùng .csv, .xlsx hoặc .parquet")]
    )


# ── normalising columns, collecting problems ───────────────────────────────────────────────


class _Checker:
    """Collects problems from boolean masks without looping over good rows."""

    def __init__(self, file: str, first_row: int) -> None:
        self.file, self.first_row = file, first_row
        self.problems: list[Problem] = []
        self.total = 0
        #: Cells that held text, per column, so an unreadable cell is not also "empty".
        self.present: dict[str, pa.Array | pa.ChunkedArray] = {}

    def add(self, column: str | None, reason: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.file, None, column, reason))

    def mask(
        self, mask: pa.Array | pa.ChunkedArray, column: str, reason: Callable[[object], str],
        values: pa.Array | pa.ChunkedArray | None = None,
    ) -> None:
        import pyarrow.compute as pc

        mask = pc.fill_null(mask, False)
        count = pc.sum(mask).as_py() or 0
        if not count:
            return
        self.total += count
        room = MAX_PROBLEMS - len(self.problems)
        if room <= 0:
            return
        where = pc.indices_nonzero(mask)[:room]
        shown = pc.take(values, where).to_pylist() if values is not None else [None] * len(where)
        for index, value in zip(where.to_pylist(), shown, strict=True):
            self.problems.append(Problem(self.file, index + self.first_row, column, reason(value)))


def _when(value: object) -> str:
    from cchc.fmt import format_datetime

    return format_datetime(value) if isinstance(value, dt.datetime) else str(value)


def _strings(column: pa.ChunkedArray) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    empty = pc.equal(text, "")
    # Skipping the rewrite when nothing is empty saves a copy of large columns.
    return pc.if_else(empty, None, text) if pc.any(empty).as_py() else text


def _timestamps(column: pa.ChunkedArray, name: str, check: _Checker) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    target = pa.timestamp("us")
    if pa.types.is_timestamp(column.type):
        if column.type.tz is not None:
            return pc.local_timestamp(column.cast(pa.timestamp("us", tz=LOCAL_TZ))).cast(target)
        return column.cast(target)
    if pa.types.is_date(column.type):
        return column.cast(pa.timestamp("us"))
    text = _strings(column)
    check.present[name] = pc.is_valid(text)
    # Sub-second parts are dropped: the portal records whole seconds.
    text = pc.replace_substring_regex(text, r"(\d{2}:\d{2}:\d{2})[.,]\d+", r"\1")
    has_offset = pc.match_substring_regex(text, r"(Z|[+-]\d{2}:?\d{2})$")
    # Offices type 2/1/2025 as often as 02/01/2025.
    text = pc.replace_substring_regex(text, r"^(\d)/", r"0\1/")
    text = pc.replace_substring_regex(text, r"^(\d\d)/(\d)/", r"\1/0\2/")
    parsed = pa.nulls(len(text), target)
    for fmt in _TIME_FORMATS:
        attempt = pc.strptime(text, format=fmt, unit="us", error_is_null=True)
        # Arrow rolls 30/02 over to 02/03; a round trip through strftime rejects it.
        same = pc.equal(pc.strftime(attempt.cast(pa.timestamp("s")), format=fmt), text)
        parsed = pc.coalesce(parsed, pc.if_else(same, attempt, pa.scalar(None, target)))
    for fmt in _OFFSET_FORMATS:
        utc = pc.strptime(text, format=fmt, unit="us", error_is_null=True)
        local = pc.local_timestamp(utc.cast(pa.timestamp("us", tz=LOCAL_TZ))).cast(target)
        parsed = pc.coalesce(parsed, pc.if_else(has_offset, local, pa.scalar(None, target)))
    check.mask(
        pc.and_(pc.is_valid(text), pc.is_null(parsed)), name,
        lambda v: f"'{v}' không phải ngày giờ hợp lệ (dùng YYYY-MM-DD HH:MM:SS hoặc dd/mm/yyyy HH:MM)",
        text,
    )
    return parsed


def _booleans(column: pa.ChunkedArray, name: str, check: _Checker) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_boolean(column.type):
        return pc.fill_null(column, False)
    text = pc.utf8_lower(_strings(column))
    truthy = pc.is_in(text, pa.array(["true", "1"]))
    falsy = pc.is_in(text, pa.array(["false", "0"]))
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.or_(truthy, falsy)))
    check.mask(bad, name, lambda v: f"'{v}' không phải giá trị đúng/sai (true/false hoặc 1/0)", text)
    return pc.fill_null(truthy, False)


def _counts(column: pa.ChunkedArray, name: str, check: _Checker) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_integer(column.type):
        check.mask(pc.less(column, 0), name, lambda v: f"số lần bổ sung {v} âm", column)
        return column.cast(pa.int64())
    text = _strings(column)
    good = pc.match_substring_regex(text, r"^\d{1,6}$")
    check.mask(
        pc.and_(pc.is_valid(text), pc.invert(good)), name,
        lambda v: f"'{v}' không phải số nguyên không âm", text,
    )
    return pc.if_else(good, text, None).cast(pa.int64())


def _enum(
    column: pa.ChunkedArray, name: str, allowed: tuple[str, ...], check: _Checker,
    portal_codes: Mapping[str, str] | None = None,
) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    text = _strings(column)
    if portal_codes and pc.any(pc.is_in(text, pa.array(list(portal_codes)))).as_py():
        keys = pa.array(list(portal_codes))
        index = pc.index_in(text, keys)
        mapped = pc.take(pa.array(list(portal_codes.values())), index)
        text = pc.coalesce(mapped, text)
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.is_in(text, pa.array(list(allowed)))))
    check.mask(bad, name, lambda v: f"'{v}' không thuộc {', '.join(allowed)}", text)
    return text


def _rename(raw: pa.Table, file: str) -> tuple[pa.Table, set[str]]:
    """Map portal names to ours; return the table and the columns that came from the portal."""
    ours = {name.lower(): name for name, _ in COLUMNS}
    portal = portal_fields()
    names: list[str] = []
    from_portal: set[str] = set()
    for name in raw.column_names:
        key = name.strip().lower()
        if key in ours:
            names.append(ours[key])
        elif key in portal:
            names.append(portal[key])
            from_portal.add(portal[key])
        else:
            names.append(name)  # kept aside and dropped: portal exports carry many extras
    dup = sorted({n for n in names if names.count(n) > 1 and n in ours.values()})
    if dup:
        raise LedgerImportError(
            [Problem(file, None, d, "cột xuất hiện hai lần (kể cả theo tên trên Cổng DVCQG)") for d in dup]
        )
    return raw.rename_columns(names), from_portal


def normalise(
    raw: pa.Table,
    file: str,
    first_row: int = 2,
    *,
    procedures: Mapping[str, Procedure] | None = None,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """Validate and convert raw columns to the interchange schema, or raise with every problem."""
    import pyarrow as pa

    table, from_portal = _rename(raw, file)
    check = _Checker(file, first_row)
    missing = [c for c in sorted(REQUIRED) if c not in table.column_names]
    for name in missing:
        check.add(name, "thiếu cột bắt buộc")
    if check.total:
        raise LedgerImportError(check.problems, check.total)
    rows = table.num_rows
    out: dict[str, pa.ChunkedArray] = {}
    for step, (name, kind) in enumerate(COLUMNS, start=1):
        if progress:
            progress(f"kiểm tra cột {name}", step, len(COLUMNS) + 2)
        if name not in table.column_names:
            # Missing booleans are false; a missing count is settled in the cross checks.
            kind_type = arrow_schema().field(name).type
            fill = pa.repeat(pa.scalar(False), rows) if kind == "boolean" else pa.nulls(rows, kind_type)
            out[name] = pa.chunked_array([fill], kind_type)
            continue
        col = table.column(name)
        if kind == "timestamp":
            out[name] = _timestamps(col, name, check)
        elif kind == "boolean":
            out[name] = _booleans(col, name, check)
        elif kind == "int64":
            out[name] = _counts(col, name, check)
        elif name == "status":
            out[name] = _enum(col, name, STATUSES, check, PORTAL_STATUSES if name in from_portal else None)
        elif name == "channel":
            out[name] = _enum(col, name, CHANNELS, check, PORTAL_CHANNELS)
        elif name == "rating":
            out[name] = _enum(col, name, RATINGS, check)
        else:
            out[name] = _strings(col)
    if progress:
        progress("kiểm tra quan hệ giữa các cột", len(COLUMNS) + 1, len(COLUMNS) + 2)
    _cross_checks(out, table.column_names, check)
    if not check.total and procedures is not None:
        out["due_at"] = _fill_due(out, procedures, calendar, check)
    if check.total:
        raise LedgerImportError(check.problems, check.total)
    schema = arrow_schema()
    return pa.table([out[f.name].cast(f.type) for f in schema], schema=schema)


def _duplicates(code: pa.ChunkedArray) -> pa.Array:
    """Codes that occur more than once; DuckDB's parallel hash aggregate over the Arrow
    column (zero copy) is about twice as fast as Arrow's at 10 M rows."""
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("codes", pa.table({"c": code}))
        found = con.execute(
            "SELECT c FROM codes WHERE c IS NOT NULL GROUP BY c HAVING count(*) > 1"
        ).fetchall()
    finally:
        con.close()
    return pa.array([row[0] for row in found], pa.string())


def _cross_checks(
    out: dict[str, pa.ChunkedArray],
    given: list[str],
    check: _Checker,
) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in sorted(REQUIRED):
        empty = pc.is_null(out[name])
        if name in check.present:
            empty = pc.and_(empty, pc.invert(check.present[name]))
        check.mask(empty, name, lambda _v: "trống (cột bắt buộc)")
    code = out["dossier_code"]
    check.mask(
        pc.invert(pc.match_substring_regex(code, CODE_PATTERN)), "dossier_code",
        lambda v: f"mã hồ sơ '{v}' không đúng dạng <mã cơ quan>-YYMMDD-NNNN (Thông tư 01/2018, Điều 19)",
        code,
    )
    dups = _duplicates(code)
    if len(dups):
        check.mask(pc.is_in(code, dups), "dossier_code", lambda v: f"mã hồ sơ '{v}' bị trùng", code)
    received, due, finished = out["received_at"], out["due_at"], out["finished_at"]
    requested, completed = out["supplement_requested_at"], out["supplement_completed_at"]
    check.mask(pc.less(due, received), "due_at", lambda v: f"ngày hẹn trả {_when(v)} trước ngày tiếp nhận", due)
    check.mask(pc.less(finished, received), "finished_at", lambda v: f"thời điểm kết thúc {_when(v)} trước ngày tiếp nhận", finished)
    terminal = pc.is_in(out["status"], pa.array(sorted(TERMINAL_STATUSES)))
    check.mask(
        pc.and_(terminal, pc.is_null(finished)), "finished_at",
        lambda v: f"trạng thái '{v}' là kết thúc nhưng thiếu thời điểm kết thúc", out["status"],
    )
    check.mask(
        pc.and_(pc.invert(terminal), pc.is_valid(finished)), "status",
        lambda v: f"trạng thái '{v}' chưa kết thúc nhưng có thời điểm kết thúc", out["status"],
    )
    check.mask(pc.less(requested, received), "supplement_requested_at", lambda v: f"yêu cầu bổ sung {_when(v)} trước ngày tiếp nhận", requested)
    check.mask(
        pc.and_(pc.is_valid(completed), pc.is_null(requested)), "supplement_completed_at",
        lambda _v: "có thời điểm bổ sung xong nhưng không có thời điểm yêu cầu bổ sung",
    )
    check.mask(pc.less(completed, requested), "supplement_completed_at", lambda v: f"bổ sung xong {_when(v)} trước khi được yêu cầu", completed)
    count = out["supplement_count"]
    if "supplement_count" in given:
        check.mask(
            pc.and_(pc.is_valid(requested), pc.equal(count, 0)), "supplement_count",
            lambda _v: "có thời điểm yêu cầu bổ sung nhưng số lần bổ sung là 0",
        )
    # A missing count is 0 (contract) — or 1 when a request is recorded.
    out["supplement_count"] = pc.coalesce(
        count, pc.if_else(pc.is_valid(requested), 1, 0).cast(pa.int64())
    )


def _fill_due(
    out: dict[str, pa.ChunkedArray],
    procedures: Mapping[str, Procedure],
    calendar: WorkCalendar | None,
    check: _Checker,
) -> pa.ChunkedArray:
    """Appointments from the catalogue where the ledger has none (issue 3, item 2)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    due = out["due_at"]
    missing = pc.is_null(due)
    if not pc.any(missing).as_py():
        return due
    unknown = pc.and_(missing, pc.invert(pc.is_in(out["procedure_code"], pa.array(list(procedures)))))
    check.mask(
        unknown, "procedure_code",
        lambda v: f"thiếu ngày hẹn trả và thủ tục '{v}' không có trong danh mục", out["procedure_code"],
    )
    where = pc.indices_nonzero(pc.and_(missing, pc.invert(unknown)))
    pairs = pa.table({
        "p": pc.take(out["procedure_code"], where),
        "r": pc.take(out["received_at"], where),
        "c": pc.equal(pc.take(out["channel"], where), "counter"),
    })
    # One calendar computation per distinct (procedure, receipt time, counter), not per row.
    unique = pairs.group_by(["p", "r", "c"]).aggregate([])
    computed = {
        (p, r, c): procedures[p].due_at(r, calendar, counter=c)
        for p, r, c in zip(*(unique[k].to_pylist() for k in "prc"), strict=True)
    }
    filled = pa.array(
        [computed[key] for key in zip(*(pairs[k].to_pylist() for k in "prc"), strict=True)],
        pa.timestamp("us"),
    )
    fill_mask = pc.and_(missing, pc.invert(unknown))
    if isinstance(fill_mask, pa.ChunkedArray):
        fill_mask = fill_mask.combine_chunks()
    base = due.combine_chunks() if isinstance(due, pa.ChunkedArray) else due
    result = pc.replace_with_mask(base, fill_mask, filled)
    return pa.chunked_array([result])


# ── files ───────────────────────────────────────────────────────────────────────────────────


def read_ledger(
    path: Path,
    *,
    procedures: Mapping[str, Procedure] | None = None,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """Read and validate a CSV, XLSX or Parquet ledger (our or the portal's field names)."""
    raw, first_row = read_raw(path)
    return normalise(
        raw, str(path), first_row, procedures=procedures, calendar=calendar, progress=progress
    )


def write_ledger(table: pa.Table, output: Path) -> None:
    """Write the interchange Parquet atomically: the file appears whole or not at all."""
    import pyarrow.parquet as pq

    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cchc-", suffix=".parquet", dir=output.parent)
    os.close(fd)
    try:
        # Snappy (the Parquet default) writes 10 M rows several times faster than zstd.
        pq.write_table(table, tmp)
        # mkstemp makes the file private; give it the permissions of an ordinary new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
