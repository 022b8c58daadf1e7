"""Sample size and the stratified random draw of respondents from the dossier ledger.

- Sample size per unit: n = ⌈N / (1 + N·e²)⌉ with e = 5 % by default (Decision 1001/QĐ-BNV,
  docs/field.md §4), N = the unit's finished dossiers in the period.
- Respondents are the people behind dossiers finished (status finished or returned) in the
  period, one per dossier. Within a unit, optional procedure strata get a proportional share
  of n (largest-remainder rounding).
- The draw is reproducible: each stratum is sorted by dossier code and shuffled by a
  generator seeded from (seed, unit, stratum), so adding a unit leaves the others' draws
  unchanged. A reserve list (default half the stratum's sample, ASSUMED) follows each draw.
- Every drawn person gets a one-time token (``secrets.token_urlsafe``) for a link or QR
  code. Tokens are NOT reproducible by design: they must be unguessable. Store
  ``token_digest(token)``, not the token, on the server.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import random
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cchc.surveys.errors import ProblemList
from cchc.surveys.period import Period

if TYPE_CHECKING:
    # Imported where a ledger is sampled: ``cchc.surveys`` is imported by every survey
    # command, and pyarrow.compute alone is about 10 MB and a second of start-up on a busy
    # machine (``cchc survey index`` on a national wave needs neither).
    import pyarrow as pa

__all__ = [
    "FINISHED_STATUSES",
    "Respondent",
    "Sample",
    "StratumPlan",
    "allocate",
    "draw_sample",
    "sample_size",
    "token_digest",
    "write_sample_csv",
]

FINISHED_STATUSES = ("finished", "returned")
LOCAL_TZ = ZoneInfo(
    "Asia/Ho_Chi_Minh"
)  # ledger timestamps are local time (interchange columns, docs/service.md)
SAMPLE_COLUMNS = (
    "unit_code",
    "stratum",
    "role",
    "order",
    "dossier_code",
    "procedure_code",
    "finished_at",
    "token",
)


def sample_size(population: int, margin: float = 0.05) -> int:
    """n = ⌈N / (1 + N·e²)⌉ (Yamane/Slovin, as Decision 1001/QĐ-BNV uses); 0 for N = 0."""
    if population < 0:
        raise ValueError("quy mô tổng thể không được âm")
    if not 0 < margin < 1:
        raise ValueError("sai số phải lớn hơn 0 và nhỏ hơn 1")
    # Round the quotient to 9 places first: N / (1 + N·e²) is often an integer that floating
    # point lands just above (e.g. 400.00000000000006), and ceil would add a phantom person.
    return math.ceil(round(population / (1 + population * margin * margin), 9))


def allocate(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """Split ``total`` across strata in proportion to their sizes (largest remainder)."""
    population = sum(sizes.values())
    if population == 0 or total <= 0:
        return dict.fromkeys(sizes, 0)
    total = min(total, population)
    # Integer arithmetic: equal remainders must tie exactly (float noise would break ties
    # arbitrarily), and ties go to the stratum code for reproducibility.
    shares = {k: total * size // population for k, size in sizes.items()}
    remainders = {k: total * size % population for k, size in sizes.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(sizes, key=lambda k: (-remainders[k], k))
    for key in by_remainder:
        if left == 0:
            break
        if shares[key] < sizes[key]:
            shares[key] += 1
            left -= 1
    return shares


def token_digest(token: str) -> str:
    """SHA-256 of a one-time token, what the server keeps to check a link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Respondent:
    unit_code: str
    stratum: str  # procedure_code when stratified by procedure, else ""
    role: str  # "sample" or "reserve"
    order: int  # 1-based within (stratum, role): contact reserves in this order
    dossier_code: str
    procedure_code: str
    finished_at: dt.datetime
    token: str


@dataclass(frozen=True)
class StratumPlan:
    unit_code: str
    stratum: str
    population: int
    sample: int
    reserve: int


@dataclass(frozen=True)
class Sample:
    period: Period
    seed: int
    margin: float
    by_procedure: bool
    strata: list[StratumPlan]
    respondents: list[Respondent]


def _local(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str) and value.strip():
        parsed = dt.datetime.fromisoformat(value.strip())
        return parsed.astimezone(LOCAL_TZ).replace(tzinfo=None) if parsed.tzinfo else parsed
    if isinstance(value, str):
        return None
    raise ValueError(value)


def _local_times(
    column: pa.ChunkedArray | pa.Array, rows: pa.ChunkedArray, problems: ProblemList
) -> pa.Array:
    """``finished_at`` as naive local timestamps; unreadable cells are reported and left null.

    Typed columns and plain ISO text convert in Arrow; anything else (offsets like +07:00,
    empty strings, bad text) takes the row-by-row path, which can name the bad row.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    try:
        if pa.types.is_timestamp(kind) and kind.tz is not None:
            local = column.cast(pa.timestamp(kind.unit, tz=str(LOCAL_TZ)))
            return pc.local_timestamp(local).cast(pa.timestamp("us")).combine_chunks()
        if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            return column.cast(pa.timestamp("us")).combine_chunks()
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            return pc.cast(column, pa.timestamp("us")).combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    values: list[dt.datetime | None] = []
    for row, cell in zip(rows.to_pylist(), column.to_pylist(), strict=True):
        try:
            values.append(_local(cell))
        except ValueError:
            problems.add(
                f"thời điểm '{cell}' không hợp lệ (dạng ISO: 2025-03-31T16:30)", row, "finished_at"
            )
            values.append(None)
    return pa.array(values, pa.timestamp("us"))


def _text(column: pa.ChunkedArray) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.fill_null(pc.utf8_trim_whitespace(pc.cast(column, pa.string())), "").combine_chunks()


def _eligible(
    ledger: pa.Table,
    period: Period,
    statuses: tuple[str, ...],
    by_procedure: bool,
    file: str,
    first_row: int,
) -> pa.Table:
    """Dossiers finished in the period, sorted by unit, stratum and dossier code."""
    import pyarrow as pa
    import pyarrow.compute as pc

    problems = ProblemList(file)
    for column in ("dossier_code", "unit_code", "procedure_code", "finished_at", "status"):
        if column not in ledger.column_names:
            problems.add("thiếu cột bắt buộc", None, column)
    problems.raise_if_any()
    status = pc.utf8_lower(pc.cast(ledger["status"], pa.string()))
    numbers = pa.array(range(first_row, first_row + ledger.num_rows), pa.int64())
    done = ledger.append_column("_row", numbers).filter(
        pc.fill_null(pc.is_in(status, pa.array(statuses)), False)
    )
    when = _local_times(done["finished_at"], done["_row"], problems)
    start = pa.scalar(dt.datetime.combine(period.start, dt.time()), pa.timestamp("us"))
    stop = pa.scalar(
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time()), pa.timestamp("us")
    )
    inside = pc.fill_null(pc.and_(pc.greater_equal(when, start), pc.less(when, stop)), False)
    procedure = _text(done["procedure_code"])
    table = pa.table(
        {
            "dossier_code": _text(done["dossier_code"]),
            "unit_code": _text(done["unit_code"]),
            "procedure_code": procedure,
            "stratum": procedure
            if by_procedure
            else pa.nulls(len(procedure), pa.string()).fill_null(""),
            "finished_at": when,
            "_row": done["_row"].combine_chunks(),
        }
    ).filter(inside)
    for column in ("dossier_code", "unit_code"):
        for row in table.filter(pc.equal(table[column], ""))["_row"].to_pylist():
            problems.add("không được để trống", row, column)
    table = table.filter(
        pc.and_(pc.not_equal(table["dossier_code"], ""), pc.not_equal(table["unit_code"], ""))
    )
    if pc.count_distinct(table["dossier_code"]).as_py() < table.num_rows:
        seen: dict[str, int] = {}
        ordered = sorted(
            zip(table["_row"].to_pylist(), table["dossier_code"].to_pylist(), strict=True)
        )
        for row, code in ordered:
            if code in seen:
                problems.add(f"mã hồ sơ '{code}' trùng với dòng {seen[code]}", row, "dossier_code")
            seen.setdefault(code, row)
    problems.raise_if_any()
    return table.sort_by(
        [("unit_code", "ascending"), ("stratum", "ascending"), ("dossier_code", "ascending")]
    )


def draw_sample(
    ledger: pa.Table,
    period: Period,
    *,
    seed: int,
    margin: float = 0.05,
    by_procedure: bool = False,
    reserve_ratio: float = 0.5,
    statuses: tuple[str, ...] = FINISHED_STATUSES,
    file: str = "ledger",
    first_row: int = 1,
) -> Sample:
    """Draw respondents per unit (and procedure stratum) from the ledger's finished dossiers.

    ``file`` and ``first_row`` only label error messages (first_row = 2 for a CSV with a header).
    Raises ``SurveyInputError`` on a missing column, a bad timestamp or a duplicate dossier code.
    """
    import pyarrow as pa

    if reserve_ratio < 0:
        raise ValueError("tỷ lệ dự phòng không được âm")
    table = _eligible(ledger, period, statuses, by_procedure, file, first_row)
    # The table is sorted, so each (unit, stratum) is one run of rows; group_by's output
    # order is not guaranteed, so sort the counts the same way to walk the runs in order.
    counts = (
        table.group_by(["unit_code", "stratum"])
        .aggregate([("_row", "count")])
        .sort_by([("unit_code", "ascending"), ("stratum", "ascending")])
    )
    units: dict[str, dict[str, int]] = {}
    for unit, stratum, size in zip(
        *(counts[c].to_pylist() for c in ("unit_code", "stratum", "_row_count")), strict=True
    ):
        units.setdefault(unit, {})[stratum] = size
    plans: list[StratumPlan] = []
    picks: list[tuple[str, str, str, int, int]] = []  # unit, stratum, role, order, table row
    offset = 0
    for unit, strata in units.items():
        shares = allocate(sample_size(sum(strata.values()), margin), strata)
        for stratum, size in strata.items():
            take = shares[stratum]
            reserve = min(size - take, math.ceil(take * reserve_ratio))
            # Same picks as shuffling the stratum's records: sample() only looks at positions.
            rng = random.Random(f"{seed}|{unit}|{stratum}")
            for position, index in enumerate(rng.sample(range(size), take + reserve)):
                role, order = (
                    ("sample", position + 1)
                    if position < take
                    else ("reserve", position - take + 1)
                )
                picks.append((unit, stratum, role, order, offset + index))
            plans.append(StratumPlan(unit, stratum, size, take, reserve))
            offset += size
    chosen = table.take(pa.array([p[4] for p in picks], pa.int64()))
    codes, procedures, times = (
        chosen[c].to_pylist() for c in ("dossier_code", "procedure_code", "finished_at")
    )
    respondents = [
        Respondent(unit, stratum, role, order, code, procedure, when, secrets.token_urlsafe(16))
        for (unit, stratum, role, order, _), code, procedure, when in zip(
            picks, codes, procedures, times, strict=True
        )
    ]
    return Sample(period, seed, margin, by_procedure, plans, respondents)


def write_sample_csv(sample: Sample, path: Path | str) -> None:
    """Write respondents and reserves, with their tokens, as CSV (UTF-8, header row)."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SAMPLE_COLUMNS)
        for r in sample.respondents:
            writer.writerow(
                [
                    r.unit_code,
                    r.stratum,
                    r.role,
                    r.order,
                    r.dossier_code,
                    r.procedure_code,
                    r.finished_at.isoformat(),
                    r.token,
                ]
            )
