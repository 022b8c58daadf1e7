"""Synthetic dossier ledgers for benchmarks and the demo (ILLUSTRATIVE data, "số liệu minh họa").

Everything here is invented to look like a district-level one-stop shop (Hoài Nhơn's 17 wards
and communes plus the town itself) so that the service index can be exercised at any scale.
No figure produced here is a real statistic. The procedure catalogue below has real-looking
names and time limits, but the codes, fees and weights are made up: **illustrative**.

Output: exactly the dossier interchange columns (docs/service.md; see ``SCHEMA``). Generation is
vectorised with numpy, chunked by ranges of days so memory stays bounded (``iter_ledger``),
and deterministic: the same ``(rows, seed, start, end, units)`` give the same rows, and
``write_ledger`` gives byte-identical Parquet.

Working days come from the project's calendar table (``cchc.calendar.calendar_table``): due
dates are looked up by working-day position, which is the vectorised form of "due = the date
whose working_day_seq is seq(receipt) + limit" (docs/field.md §6: counting starts the working day
after receipt; receipt on a non-working day counts as the next working day).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cchc.calendar import OfficeSettings, default_calendar
from cchc.fmt import format_int

# The dossier interchange columns, in contract order (docs/service.md, "Interchange columns"). Timestamps are
# naive local time (Asia/Ho_Chi_Minh).
TS = pa.timestamp("us")
SCHEMA = pa.schema(
    [
        ("dossier_code", pa.string()),
        ("unit_code", pa.string()),
        ("procedure_code", pa.string()),
        ("received_at", TS),
        ("due_at", TS),
        ("finished_at", TS),
        ("status", pa.string()),
        ("channel", pa.string()),
        ("online_eligible", pa.bool_()),
        ("supplement_count", pa.int64()),
        ("supplement_requested_at", TS),
        ("supplement_completed_at", TS),
        ("has_fee", pa.bool_()),
        ("paid_online", pa.bool_()),
        ("requires_result_document", pa.bool_()),
        ("e_result", pa.bool_()),
        ("digitised", pa.bool_()),
        ("reused_data", pa.bool_()),
        ("rating", pa.string()),
        ("has_complaint", pa.bool_()),
    ]
)

# Hoài Nhơn's 17 wards and communes (codes of the seed's commune_2022.csv) and the town.
DEFAULT_UNITS: tuple[str, ...] = (
    "BSO", "HDU", "HHU", "HTA", "HTH", "HTT", "HXU", "TQU", "TQB", "TQN", "HHA",
    "HCH", "HCB", "HHI", "HMY", "HPH", "HSO", "HNH",
)  # fmt: skip
# Units that handle the town-level catalogue (land, construction, business households).
TOWN_UNITS = frozenset({"HNH"})
# Relative dossier volumes (illustrative): the town's centre is busiest, central wards next.
UNIT_WEIGHTS = {"HNH": 4.0, "BSO": 1.6, "TQU": 1.5, "HDU": 1.2, "TQN": 1.1}

CHANNELS = ("counter", "online", "post")
STATUSES = (
    "received", "processing", "supplement_requested", "supplement_completed",
    "finished", "returned", "refused", "stopped", "withdrawn",
)  # fmt: skip
RATINGS = ("like", "dislike")


@dataclass(frozen=True)
class Procedure:
    """One procedure of the ILLUSTRATIVE catalogue; limits in working days (0 = same day)."""

    code: str
    name: str
    limit_days: int
    has_fee: bool
    online_eligible: bool
    requires_result_document: bool
    commune_weight: float
    town_weight: float
    overdue_factor: float = 1.0  # land and construction files run late more often


# Names and limits follow common Vietnamese procedures (e.g. the Law on Civil Status 2014 gives
# birth and death registration "ngay trong ngày"); codes, fees and weights are invented.
CATALOGUE: tuple[Procedure, ...] = (
    Procedure("HT-KS", "Đăng ký khai sinh", 0, False, True, True, 8, 0),
    Procedure("HT-KT", "Đăng ký khai tử", 0, False, True, True, 3, 0),
    Procedure("HT-KH", "Đăng ký kết hôn", 0, False, True, True, 2, 0),
    Procedure("HT-TL", "Cấp bản sao trích lục hộ tịch", 0, True, True, True, 5, 0),
    Procedure("HT-HN", "Xác nhận tình trạng hôn nhân", 3, True, True, True, 4, 0),
    Procedure("HT-CC", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", 3, True, True, True, 1, 0),
    Procedure("HT-CM", "Đăng ký nhận cha, mẹ, con", 3, True, False, True, 0.3, 0),
    Procedure("CT-BS", "Chứng thực bản sao từ bản chính", 0, True, True, True, 25, 2),
    Procedure("CT-CK", "Chứng thực chữ ký", 0, True, False, True, 6, 0),
    Procedure("CT-HD", "Chứng thực hợp đồng, giao dịch", 2, True, False, True, 3, 0),
    Procedure("XH-MT", "Hỗ trợ chi phí mai táng", 3, False, True, False, 0.6, 0),
    Procedure("XH-TC", "Trợ cấp xã hội hằng tháng", 7, False, True, False, 0.8, 0.3),
    Procedure("XH-BT", "Xác nhận hộ nghèo, cận nghèo", 5, False, False, True, 0.5, 0),
    Procedure("KD-HK", "Đăng ký thành lập hộ kinh doanh", 3, True, True, True, 0, 6),
    Procedure("KD-TD", "Đăng ký thay đổi nội dung hộ kinh doanh", 3, True, True, True, 0, 3),
    Procedure("DD-CN", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", 20, True, True, True, 0, 4, 2.5),
    Procedure("DD-BD", "Đăng ký biến động đất đai (chuyển nhượng, tặng cho)", 10, True, True, True, 0, 6, 2.0),
    Procedure("DD-TT", "Tách thửa, hợp thửa đất", 15, True, False, True, 0, 2, 2.5),
    Procedure("XD-GP", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15, True, True, True, 0, 3, 2.0),
    Procedure("AT-TP", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 15, True, True, True, 0, 0.5),
)  # fmt: skip

# Receipt cut-off (seconds of day), by channel: counter dossiers after the office's cut-off
# (15:00 by default, docs/field.md §5) pass to the next working day; post likewise (assumed);
# online after the end of office hours (assumed).
_COUNTER_CUTOFF = OfficeSettings().receipt_cutoff
_CUTOFF_S = _COUNTER_CUTOFF.hour * 3600 + _COUNTER_CUTOFF.minute * 60
CUTOFF = np.array([_CUTOFF_S, 17 * 3600, _CUTOFF_S], dtype=np.int64)
DUE_TIME = 17 * 3600  # appointments are for the end of the working day (assumed)
# Office hours 08:00-12:00 and 13:00-17:00 (the calendar's default working hours, docs/calendar.md).
MORNING = (8 * 3600, 12 * 3600)
AFTERNOON = (13 * 3600, 17 * 3600)
# Online submissions by hour of day (illustrative: evenings busy, nights quiet).
ONLINE_HOURS = np.array(
    [1, 0.5, 0.3, 0.3, 0.3, 0.5, 2, 4, 7, 8, 8, 7, 5, 6, 7, 7, 6, 5, 4, 5, 5, 4, 3, 2], dtype=float
)
ONLINE_HOURS /= ONLINE_HOURS.sum()

DAY = 86400
TAIL_DAYS = 240  # the calendar must reach past `end` for due dates of late dossiers
MAX_DAILY = 9999  # NNNN in the dossier code is a 4-digit daily sequence per agency
CHUNK_ROWS = 1_000_000
ROW_GROUP = 262_144
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class _Calendar:
    first: dt.date  # day index 0
    is_working: np.ndarray  # bool per day index
    working: np.ndarray  # day indices of working days, ascending (position = seq - seq0)


def _load_calendar(start: dt.date, end: dt.date) -> _Calendar:
    table = default_calendar().calendar_table(start, end + dt.timedelta(days=TAIL_DAYS))
    dates = table.column("date").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    is_working = np.asarray(table.column("is_working_day").to_numpy(zero_copy_only=False), bool)
    seq = np.asarray(table.column("working_day_seq").to_numpy(zero_copy_only=False))
    index = (dates - np.datetime64(start, "D")).astype(np.int64)
    if not np.array_equal(index, np.arange(len(index))):
        raise ValueError("calendar_table must return one row per consecutive date")
    working = index[is_working]
    # Positions in `working` stand for working_day_seq; check they are the same thing.
    if len(working) and not np.array_equal(np.diff(seq[is_working]), np.ones(len(working) - 1)):
        raise ValueError("calendar_table: working_day_seq must step by 1 on working days")
    return _Calendar(start, is_working, working)


def _peak_weights(cal: _Calendar, n_days: int) -> np.ndarray:
    """Relative daily volume: working days 1, rest days a trickle of online dossiers, peaks."""
    weights = np.where(cal.is_working[:n_days], 1.0, 0.04)
    working = cal.working[cal.working < n_days]
    # Quarter ends: the last 10 working days of March, June, September, December (+25 %).
    dates = np.datetime64(cal.first, "D") + working
    months = dates.astype("datetime64[M]")
    for month in np.unique(months):
        if (month.astype(int) % 12) in (2, 5, 8, 11):
            weights[working[months == month][-10:]] *= 1.25
    # Before Tết: the 10 working days before the longest run of rest days in Jan-Feb (+50 %).
    rest = ~cal.is_working[:n_days]
    for year in range(cal.first.year, cal.first.year + n_days // 365 + 2):
        lo = (dt.date(year, 1, 10) - cal.first).days
        hi = (dt.date(year, 3, 1) - cal.first).days
        lo, hi = max(lo, 0), min(hi, n_days)
        if hi - lo < 5:
            continue
        best_len, best_at, run = 0, -1, 0
        for i in range(lo, hi):
            run = run + 1 if rest[i] else 0
            if run > best_len:
                best_len, best_at = run, i - run + 1
        if best_len >= 4:
            before = working[working < best_at][-10:]
            weights[before] *= 1.5
    # A mild upward trend across the span (more dossiers each year).
    weights *= 1.0 + 0.1 * np.arange(n_days) / 365.0
    return weights


def _office_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Uniform instants within office hours (60 % of the work in the morning)."""
    morning = rng.random(n) < 0.6
    lo = np.where(morning, MORNING[0], AFTERNOON[0])
    return lo + rng.integers(0, 4 * 3600, n)


def _after(
    rng: np.random.Generator, day: np.ndarray, rec_day: np.ndarray, rec_sec: np.ndarray
) -> np.ndarray:
    """Instant (seconds from the calendar's first day) on working day `day`, after the receipt."""
    sec = _office_seconds(rng, len(day))
    same = day == rec_day
    floor = np.minimum(rec_sec, DUE_TIME)
    sec = np.where(same, floor + (rng.random(len(day)) * (DUE_TIME - floor)).astype(np.int64), sec)
    instant: np.ndarray = day * DAY + sec
    return instant


def iter_ledger(
    rows: int,
    seed: int = 0,
    start: dt.date = dt.date(2024, 1, 1),
    end: dt.date = dt.date(2025, 12, 31),
    units: Sequence[str] | None = None,
) -> Iterator[pa.Table]:
    """Yield the ledger in chunks of whole days (about a million rows each), in code order."""
    if rows < 1:
        raise ValueError("số hồ sơ (rows) phải từ 1 trở lên")
    if seed < 0:
        raise ValueError("hạt giống (seed) phải là số nguyên không âm")
    if end < start:
        raise ValueError(f"ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}")
    unit_codes = tuple(units) if units is not None else DEFAULT_UNITS
    if not unit_codes or len(set(unit_codes)) != len(unit_codes):
        raise ValueError("danh sách đơn vị (units) phải có ít nhất một mã và không trùng mã")
    cal = _load_calendar(start, end)
    n_days = (end - start).days + 1
    n_units = len(unit_codes)

    # Cell counts (day x unit) from one multinomial draw: the only step that sees all rows.
    unit_w = np.array([UNIT_WEIGHTS.get(u, 1.0) for u in unit_codes])
    cell_p = np.outer(_peak_weights(cal, n_days), unit_w).ravel()
    counts = np.random.default_rng([seed, 0]).multinomial(rows, cell_p / cell_p.sum())
    if counts.max() > MAX_DAILY:
        raise ValueError(
            f"{format_int(rows)} hồ sơ cần hơn {format_int(MAX_DAILY)} hồ sơ một ngày ở một đơn vị (mã hồ sơ chỉ có "
            "4 chữ số thứ tự trong ngày): hãy giảm số hồ sơ, thêm đơn vị hoặc kéo dài thời gian"
        )
    counts = counts.reshape(n_days, n_units)

    # Unit traits (illustrative): punctuality and digital maturity differ between units.
    traits = np.random.default_rng([seed, 1])
    unit_overdue = traits.uniform(0.01, 0.05, n_units)
    unit_online = traits.uniform(-0.12, 0.12, n_units)
    town = np.array([u in TOWN_UNITS for u in unit_codes])

    # Day labels used in dossier codes: YYMMDD.
    day_labels = pa.array(
        [(start + dt.timedelta(days=i)).strftime("%y%m%d") for i in range(n_days)], pa.string()
    )
    seq_labels = pa.array([f"{i:04d}" for i in range(1, MAX_DAILY + 1)], pa.string())
    unit_arr = pa.array(unit_codes, pa.string())

    per_day = counts.sum(axis=1)
    chunk_no, day0 = 0, 0
    while day0 < n_days:
        day1, acc = day0, 0
        while day1 < n_days and (acc == 0 or acc + per_day[day1] <= CHUNK_ROWS):
            acc += int(per_day[day1])
            day1 += 1
        if acc:
            rng = np.random.default_rng([seed, 2, chunk_no])
            yield _chunk(
                rng, cal, counts[day0:day1], day0, n_days, unit_codes, town, unit_overdue,
                unit_online, day_labels, seq_labels, unit_arr,
            )  # fmt: skip
        chunk_no += 1
        day0 = day1


def _chunk(
    rng: np.random.Generator,
    cal: _Calendar,
    counts: np.ndarray,
    day0: int,
    n_days: int,
    unit_codes: Sequence[str],
    town: np.ndarray,
    unit_overdue: np.ndarray,
    unit_online: np.ndarray,
    day_labels: pa.Array,
    seq_labels: pa.Array,
    unit_arr: pa.Array,
) -> pa.Table:
    n_units = len(unit_codes)
    flat = counts.ravel()
    n = int(flat.sum())
    cell = np.repeat(np.arange(len(flat)), flat)
    day = day0 + cell // n_units
    unit = cell % n_units
    working_day = cal.is_working[day]
    frac = day / max(n_days - 1, 1)  # 0 at start, 1 at end: digital uptake grows over time

    # Procedure: by the unit's level; on rest days only online-eligible ones (portal only).
    procs = CATALOGUE
    eligible = np.array([p.online_eligible for p in procs])
    w_commune = np.array([p.commune_weight for p in procs])
    w_town = np.array([p.town_weight for p in procs])
    u = rng.random(n)

    def pick(weights: np.ndarray) -> np.ndarray:
        cum = np.cumsum(weights / weights.sum())
        return np.minimum(np.searchsorted(cum, u, side="right"), len(weights) - 1)

    proc = np.where(town[unit], pick(w_town), pick(w_commune))
    proc = np.where(
        working_day, proc, np.where(town[unit], pick(w_town * eligible), pick(w_commune * eligible))
    )
    limit = np.array([p.limit_days for p in procs])[proc]
    p_eligible = eligible[proc]
    p_fee = np.array([p.has_fee for p in procs])[proc]
    p_result = np.array([p.requires_result_document for p in procs])[proc]
    p_overdue = np.array([p.overdue_factor for p in procs])[proc]

    # Channel: online share of eligible procedures rises from ~30 % to ~55 %; post ~2 %.
    online_share = np.clip(0.30 + 0.25 * frac + unit_online[unit], 0.05, 0.95)
    c = rng.random(n)
    channel = np.where(p_eligible & (c < online_share), 1, np.where(c > 0.98, 2, 0))
    channel = np.where(working_day, channel, 1)

    # Receipt time: office hours at the counter and by post, any hour online.
    hour = rng.choice(24, size=n, p=ONLINE_HOURS)
    online_sec = hour * 3600 + rng.integers(0, 3600, n)
    rec_sec = np.where(channel == 1, online_sec, _office_seconds(rng, n))
    received = day * DAY + rec_sec

    # Codes: NNNN numbers the unit's dossiers of the day in order of receipt.
    order = np.lexsort((rec_sec, cell))
    cell, day, unit, proc, limit, channel, rec_sec, received = (
        a[order] for a in (cell, day, unit, proc, limit, channel, rec_sec, received)
    )
    frac, working_day = frac[order], working_day[order]
    p_eligible, p_fee, p_result, p_overdue = (
        a[order] for a in (p_eligible, p_fee, p_result, p_overdue)
    )
    starts = np.cumsum(flat) - flat
    seq = np.arange(n) - starts[cell]

    # Effective receipt: next working day when received on a rest day or after the cut-off.
    left = np.searchsorted(cal.working, day, side="left")
    right = np.searchsorted(cal.working, day, side="right")
    eff = np.where(working_day & (rec_sec < CUTOFF[channel]), left, right)
    last = len(cal.working) - 1
    due_pos = np.minimum(eff + limit, last)
    due = cal.working[due_pos] * DAY + DUE_TIME

    # Processing outcome in working days k after the effective receipt (~95 % on time).
    late = rng.random(n) < unit_overdue[unit] * p_overdue
    early = (limit > 0) & (rng.random(n) < 0.6)
    k = np.where(early, (rng.random(n) * limit).astype(np.int64), limit)
    k = np.where(late, limit + 1 + rng.geometric(0.35, n), k)
    done_pos = np.minimum(eff + k, last)
    done = _after(rng, cal.working[done_pos], day, rec_sec)

    # Supplements: ~8 % asked once, ~1 % twice, within 3 working days of receipt (docs/field.md §5).
    s = rng.random(n)
    sup_count = np.where(s < 0.01, 2, np.where(s < 0.09, 1, 0)).astype(np.int64)
    has_sup = sup_count > 0
    req_pos = np.minimum(eff + np.minimum(rng.integers(0, 4, n), k), last)
    requested = _after(rng, cal.working[req_pos], day, rec_sec)
    citizen = ((0.2 + rng.exponential(4.0, n)) * DAY).astype(np.int64)  # the citizen's time
    pending = has_sup & (rng.random(n) < 0.12)  # never brought the papers back
    completed = requested + citizen
    # The 766 index subtracts the citizen's time, so add it: the outcome drawn above holds.
    finished = np.where(has_sup, np.maximum(done, requested) + citizen, done)
    gave_up = requested + ((15 + rng.random(n) * 45) * DAY).astype(np.int64)
    finished = np.where(pending, gave_up, finished)

    # Terminal status among closed dossiers (illustrative shares).
    t = rng.random(n)
    status = np.where(
        t < 0.012, 6, np.where(t < 0.014, 7, np.where(t < 0.02, 8, np.where(t < 0.10, 4, 5)))
    )
    status = np.where(pending, np.where(t < 0.5, 8, 7), status)

    # Events after the ledger's as-of instant (the end of `end`) have not happened yet.
    as_of = n_days * DAY
    sup_seen = has_sup & (requested < as_of)
    completed_seen = sup_seen & ~pending & (completed < as_of)
    closed = finished < as_of
    busy = np.where(received < as_of - DAY, 1, 0)  # received on the last day: not yet started
    open_status = np.where(sup_seen & ~completed_seen, 2, np.where(completed_seen, 3, busy))
    status = np.where(closed, status, open_status)
    sup_count = np.where(sup_seen, sup_count, 0)

    # Flags: fees paid online, electronic results, digitisation and data reuse grow over time.
    f = rng.random((7, n))
    paid_online = p_fee & (f[0] < np.where(channel == 1, 0.55 + 0.25 * frac, 0.04))
    returned = closed & ((status == 4) | (status == 5))
    e_result = p_result & returned & (f[1] < np.where(channel == 1, 0.75, 0.5) + 0.2 * frac)
    digitised = f[2] < np.where(channel == 1, 0.97, 0.72 + 0.18 * frac)
    reused = digitised & (f[3] < 0.3 + 0.3 * frac)
    was_late = (finished - np.where(has_sup & ~pending, citizen, 0)) > due
    rated = closed & (f[4] < 0.06)
    dislike = f[5] < np.where(was_late, 0.4, 0.07)
    rating_idx = np.where(rated, np.where(dislike, 1, 0), -1)
    complaint = closed & (f[6] < np.where(was_late, 0.03, 0.0015))

    offset = (cal.first - EPOCH).days * DAY  # day indices count from the calendar's first day

    def ts(seconds: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
        us = pa.array((seconds + offset) * 1_000_000, pa.int64()).cast(TS)
        if valid is None:
            return us
        return pc.if_else(pa.array(valid), us, pa.scalar(None, TS))

    def text(labels: Sequence[str], idx: np.ndarray) -> pa.Array:
        return pa.array(labels, pa.string()).take(pa.array(idx))

    codes = pc.binary_join_element_wise(
        unit_arr.take(pa.array(unit)),
        day_labels.take(pa.array(day)),
        seq_labels.take(pa.array(seq)),
        "-",
    )
    rating = pc.if_else(
        pa.array(rating_idx >= 0),
        text(RATINGS, np.maximum(rating_idx, 0)),
        pa.scalar(None, pa.string()),
    )
    columns = [
        codes,
        text(unit_codes, unit),
        text([p.code for p in procs], proc),
        ts(received),
        ts(due),
        ts(finished, closed),
        text(STATUSES, status),
        text(CHANNELS, channel),
        pa.array(p_eligible),
        pa.array(sup_count, pa.int64()),
        ts(requested, sup_seen),
        ts(completed, completed_seen),
        pa.array(p_fee),
        pa.array(paid_online),
        pa.array(p_result),
        pa.array(e_result),
        pa.array(digitised),
        pa.array(reused),
        rating,
        pa.array(complaint),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def generate_ledger(
    rows: int,
    seed: int = 0,
    start: dt.date = dt.date(2024, 1, 1),
    end: dt.date = dt.date(2025, 12, 31),
    units: Sequence[str] | None = None,
) -> pa.Table:
    """An ILLUSTRATIVE dossier ledger of `rows` dossiers received from `start` to `end`.

    The ledger is seen as of the end of `end`: later events are absent, so dossiers still
    running then are open (no ``finished_at``). `units` are agency codes (default: Hoài
    Nhơn's wards and communes and the town); codes in ``TOWN_UNITS`` draw from the town's
    catalogue, the others from the commune's. Same arguments, same table. The whole table
    is in memory: for millions of rows use `write_ledger`, which streams.
    """
    return pa.concat_tables(iter_ledger(rows, seed, start, end, units))


@dataclass(frozen=True)
class LedgerSummary:
    """What `write_ledger` wrote: counts for a one-line report."""

    rows: int
    units: int
    open_dossiers: int
    online: int
    start: dt.date
    end: dt.date


def write_ledger(
    path: Path,
    rows: int,
    seed: int = 0,
    start: dt.date = dt.date(2024, 1, 1),
    end: dt.date = dt.date(2025, 12, 31),
    units: Sequence[str] | None = None,
) -> LedgerSummary:
    """Write the ledger to Parquet chunk by chunk (temp file, then rename onto `path`).

    Memory stays near one chunk whatever `rows` is; nothing is left at `path` on failure,
    and an existing file there is replaced only when the new one is complete.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    written = open_dossiers = online = 0
    try:
        # Fixed writer options: the same ledger always gives the same bytes.
        with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:
            for table in iter_ledger(rows, seed, start, end, units):
                # Row groups of 256 Ki rows let DuckDB and Spark scan a 1 M ledger in parallel.
                writer.write_table(table, row_group_size=ROW_GROUP)
                written += table.num_rows
                open_dossiers += table.column("finished_at").null_count
                online += pc.sum(pc.equal(table.column("channel"), "online")).as_py() or 0
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    n_units = len(units) if units is not None else len(DEFAULT_UNITS)
    return LedgerSummary(written, n_units, open_dossiers, online, start, end)
