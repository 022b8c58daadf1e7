"""Import dossier records from CSV, XLSX or Parquet into the validated interchange table.

Every problem is reported with file, row, column and reason (the first ``MAX_PROBLEMS`` of
them, with the total); an import with any problem yields nothing at all. Checks are
vectorised with Arrow compute, so a 10-million-row Parquet file is validated without a
Python loop over rows. Row numbers are what the user sees: the line in a CSV file and the
row in a spreadsheet (the header is row 1), the record number (from 1) in Parquet.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final

from cchc.service import columns
from cchc.service.code import CODE_PATTERN
from cchc.service.extension import EXTENSION_COLUMNS
from cchc.service.problems import MAX_PROBLEMS, Checker, LedgerImportError, Problem
from cchc.service.readers import read_raw, source_name
from cchc.service.schema import (
    CHANNELS,
    COLUMNS,
    RATINGS,
    REQUIRED,
    STATUSES,
    TERMINAL_STATUSES,
    arrow_schema,
)
from cchc.tables import DEFAULT_LIMITS, TableLimits

if TYPE_CHECKING:
    import pyarrow as pa

    from cchc.calendar import WorkCalendar
    from cchc.service.procedure import Procedure

__all__ = [
    "MAX_PROBLEMS",
    "PORTAL_CHANNELS",
    "PORTAL_STATUSES",
    "LedgerImportError",
    "Problem",
    "normalise",
    "portal_fields",
    "read_ledger",
    "read_raw",
    "write_ledger",
]

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


@cache
def portal_fields() -> dict[str, str]:
    """Portal field name (lower case) → interchange column, from ``data/portal_fields.csv``."""
    text = resources.files("cchc.service").joinpath("data/portal_fields.csv").read_text("utf-8")
    return {row["portal_name"].lower(): row["column"] for row in csv.DictReader(text.splitlines())}



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
    check = Checker(file, first_row)
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
            out[name] = columns.timestamps(col, name, check)
        elif kind == "boolean":
            out[name] = columns.booleans(col, name, check)
        elif kind == "int64":
            out[name] = columns.counts(col, name, check)
        elif name == "status":
            out[name] = columns.enum(col, name, STATUSES, check, PORTAL_STATUSES if name in from_portal else None)
        elif name == "channel":
            out[name] = columns.enum(col, name, CHANNELS, check, PORTAL_CHANNELS)
        elif name == "rating":
            out[name] = columns.enum(col, name, RATINGS, check)
        else:
            out[name] = columns.strings(col)
    if progress:
        progress("kiểm tra quan hệ giữa các cột", len(COLUMNS) + 1, len(COLUMNS) + 2)
    _cross_checks(out, table.column_names, check)
    if not check.total and procedures is not None:
        out["due_at"] = _fill_due(out, procedures, calendar, check)
    extra = _extension_columns(table, check)
    if check.total:
        raise LedgerImportError(check.problems, check.total)
    schema = arrow_schema()
    result = pa.table([out[f.name].cast(f.type) for f in schema], schema=schema)
    for name, values in extra.items():
        result = result.append_column(name, values)
    return result


def _extension_columns(table: pa.Table, check: Checker) -> dict[str, pa.ChunkedArray]:
    """The optional Circular 01 columns present in the file (``extension``); empty = missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    given = {name.strip().lower(): name for name in table.column_names}
    out: dict[str, pa.ChunkedArray] = {}
    for name, kind in EXTENSION_COLUMNS:
        if name not in given:
            continue
        col = table.column(given[name])
        if kind == "int64":
            out[name] = columns.counts(col, name, check)
        else:
            text = pc.utf8_lower(columns.strings(col.cast(pa.string())))
            values = columns.booleans(col, name, check)
            # Unlike the contract's booleans, an empty cell stays missing (no data).
            out[name] = pc.if_else(pc.is_null(text), pa.scalar(None, pa.bool_()), values)
    return out


def _duplicates(code: pa.ChunkedArray) -> pa.Array:
    """Codes that occur more than once.

    Sorting and comparing neighbours needs a third of the memory of a hash aggregate over
    10 M distinct codes (about 0,9 GB less at peak) and is as fast.
    """
    import pyarrow.compute as pc

    ordered = pc.take(code, pc.sort_indices(code)).combine_chunks()
    if len(ordered) < 2:
        return ordered[:0]
    same = pc.equal(ordered[1:], ordered[:-1])
    return pc.unique(pc.drop_null(pc.filter(ordered[1:], same)))


def _cross_checks(
    out: dict[str, pa.ChunkedArray],
    given: list[str],
    check: Checker,
) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in sorted(REQUIRED):
        check.required(out[name], name)
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
    check.mask(pc.less(due, received), "due_at", lambda v: f"ngày hẹn trả {columns.when(v)} trước ngày tiếp nhận", due)
    check.mask(pc.less(finished, received), "finished_at", lambda v: f"thời điểm kết thúc {columns.when(v)} trước ngày tiếp nhận", finished)
    terminal = pc.is_in(out["status"], pa.array(sorted(TERMINAL_STATUSES)))
    check.mask(
        pc.and_(terminal, pc.is_null(finished)), "finished_at",
        lambda v: f"trạng thái '{v}' là kết thúc nhưng thiếu thời điểm kết thúc", out["status"],
    )
    check.mask(
        pc.and_(pc.invert(terminal), pc.is_valid(finished)), "status",
        lambda v: f"trạng thái '{v}' chưa kết thúc nhưng có thời điểm kết thúc", out["status"],
    )
    check.mask(pc.less(requested, received), "supplement_requested_at", lambda v: f"yêu cầu bổ sung {columns.when(v)} trước ngày tiếp nhận", requested)
    check.mask(
        pc.and_(pc.is_valid(completed), pc.is_null(requested)), "supplement_completed_at",
        lambda _v: "có thời điểm bổ sung xong nhưng không có thời điểm yêu cầu bổ sung",
    )
    check.mask(pc.less(completed, requested), "supplement_completed_at", lambda v: f"bổ sung xong {columns.when(v)} trước khi được yêu cầu", completed)
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
    check: Checker,
) -> pa.ChunkedArray:
    """Appointments from the catalogue where the ledger has none (docs/service.md)."""
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
    path: Path | str | IO[bytes],
    *,
    name: str | None = None,
    limits: TableLimits = DEFAULT_LIMITS,
    procedures: Mapping[str, Procedure] | None = None,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """Read and validate a CSV, XLSX or Parquet ledger (our or the portal's field names):
    a path, or a binary stream and its ``name``."""
    raw, first_row = read_raw(path, name, limits=limits)
    return normalise(
        raw, source_name(path, name), first_row, procedures=procedures, calendar=calendar, progress=progress
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
