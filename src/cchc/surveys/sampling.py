"""Sample size and the stratified random draw of respondents from the dossier ledger.

- Sample size per unit: n = ⌈N / (1 + N·e²)⌉ with e = 5 % by default (Decision 1001/QĐ-BNV,
  DOMAIN §4), N = the unit's finished dossiers in the period.
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
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from cchc.surveys.errors import ProblemList
from cchc.surveys.period import Period

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
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # ledger timestamps are local time (issue 3 contract)
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


@dataclass(frozen=True)
class _Record:
    dossier_code: str
    unit_code: str
    procedure_code: str
    finished_at: dt.datetime


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


def _records(
    ledger: pa.Table, period: Period, statuses: tuple[str, ...], file: str, first_row: int
) -> list[_Record]:
    problems = ProblemList(file)
    for column in ("dossier_code", "unit_code", "procedure_code", "finished_at", "status"):
        if column not in ledger.column_names:
            problems.add("thiếu cột bắt buộc", None, column)
    problems.raise_if_any()
    status = pc.utf8_lower(pc.cast(ledger["status"], pa.string()))
    numbers = pa.array(range(first_row, first_row + ledger.num_rows))
    finished = ledger.append_column("_row", numbers).filter(
        pc.fill_null(pc.is_in(status, pa.array(statuses)), False)
    )
    records: list[_Record] = []
    seen: dict[str, int] = {}
    columns = {
        c: finished[c].to_pylist()
        for c in ("dossier_code", "unit_code", "procedure_code", "finished_at", "_row")
    }
    for i, row in enumerate(columns["_row"]):
        try:
            when = _local(columns["finished_at"][i])
        except ValueError:
            problems.add(
                f"thời điểm '{columns['finished_at'][i]}' không hợp lệ (dạng ISO: 2025-03-31T16:30)",
                row,
                "finished_at",
            )
            continue
        if when is None or not period.contains(when.date()):
            continue
        code = str(columns["dossier_code"][i] or "").strip()
        unit = str(columns["unit_code"][i] or "").strip()
        if not code:
            problems.add("không được để trống", row, "dossier_code")
        if not unit:
            problems.add("không được để trống", row, "unit_code")
        if not code or not unit:
            continue
        if code in seen:
            problems.add(f"mã hồ sơ '{code}' trùng với dòng {seen[code]}", row, "dossier_code")
            continue
        seen[code] = row
        records.append(_Record(code, unit, str(columns["procedure_code"][i] or "").strip(), when))
    problems.raise_if_any()
    return records


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
    if reserve_ratio < 0:
        raise ValueError("tỷ lệ dự phòng không được âm")
    groups: dict[str, dict[str, list[_Record]]] = {}
    for record in _records(ledger, period, statuses, file, first_row):
        stratum = record.procedure_code if by_procedure else ""
        groups.setdefault(record.unit_code, {}).setdefault(stratum, []).append(record)
    plans: list[StratumPlan] = []
    respondents: list[Respondent] = []
    for unit in sorted(groups):
        strata = groups[unit]
        n = sample_size(sum(len(r) for r in strata.values()), margin)
        shares = allocate(n, {k: len(v) for k, v in strata.items()})
        for stratum in sorted(strata):
            pool = sorted(strata[stratum], key=lambda r: r.dossier_code)
            take = shares[stratum]
            reserve = min(len(pool) - take, math.ceil(take * reserve_ratio))
            rng = random.Random(f"{seed}|{unit}|{stratum}")
            drawn = rng.sample(pool, take + reserve)
            plans.append(StratumPlan(unit, stratum, len(pool), take, reserve))
            for position, record in enumerate(drawn):
                role, order = (
                    ("sample", position + 1)
                    if position < take
                    else ("reserve", position - take + 1)
                )
                respondents.append(
                    Respondent(
                        unit,
                        stratum,
                        role,
                        order,
                        record.dossier_code,
                        record.procedure_code,
                        record.finished_at,
                        secrets.token_urlsafe(16),
                    )
                )
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
