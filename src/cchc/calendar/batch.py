"""Deadlines for whole columns at once: the calendar's look-up lists as numpy arrays.

The same rules as :meth:`WorkCalendar.deadline`, for the dossier ledger's millions of rows
without a Python loop. Limits in hours fall back to the scalar function row by row (they are
rare and short).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cchc.calendar.work_calendar import UNITS, WorkCalendar, _micros

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

__all__ = ["due_dates"]

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_DAY_MICROS = 86_400_000_000


def _as_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    return values


def _local_micros(values: pa.Array) -> tuple[npt.NDArray[np.int64], bool]:
    """Local wall-clock microseconds since 1970 (or whole days for dates), and is-timestamp."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = values.type
    if pa.types.is_date(kind):
        days = values.cast(pa.date32()).cast(pa.int32()).fill_null(0)
        return days.to_numpy().astype("int64") * _DAY_MICROS, False
    if pa.types.is_timestamp(kind):
        if kind.tz is not None:
            values = pc.local_timestamp(values.cast(pa.timestamp(kind.unit, "Asia/Ho_Chi_Minh")))
        micros = values.cast(pa.timestamp("us")).cast(pa.int64()).fill_null(0)
        return micros.to_numpy(), True
    raise TypeError(f"cột thời điểm tiếp nhận phải là ngày hoặc thời điểm, không phải {kind}")


def due_dates(
    calendar: WorkCalendar,
    received: pa.Array | pa.ChunkedArray,
    n: pa.Array | pa.ChunkedArray | int,
    *,
    unit: str = "working-days",
    apply_cutoff: pa.Array | pa.ChunkedArray | bool = True,
) -> pa.Array:
    """Due dates (date32; timestamps for ``hours``) for columns of receipts and limits.

    ``received`` is a date or timestamp column (naive = local time; aware = converted to
    Asia/Ho_Chi_Minh); ``n`` a column or one integer; ``apply_cutoff`` a boolean column (for
    example ``channel == 'counter'``) or one value. A null receipt or limit gives null.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if unit not in UNITS:
        raise ValueError(f"đơn vị thời hạn {unit!r} không hợp lệ (chỉ nhận: {', '.join(UNITS)})")
    moments = _as_array(received)
    size = len(moments)
    limits = (
        pa.array(np.full(size, n, dtype="int64"))
        if isinstance(n, int)
        else _as_array(n).cast(pa.int64())
    )
    cutoff = (
        pa.array(np.full(size, apply_cutoff, dtype=bool))
        if isinstance(apply_cutoff, bool)
        else _as_array(apply_cutoff).cast(pa.bool_()).fill_null(False)
    )
    if len(limits) != size or len(cutoff) != size:
        raise ValueError("các cột tiếp nhận, thời hạn và giờ chốt phải cùng số dòng")
    valid = pc.and_(pc.is_valid(moments), pc.is_valid(limits))
    if pc.any(pc.less(limits.fill_null(0), 0)).as_py():
        raise ValueError("thời hạn không được âm")

    if unit == "hours":
        out: list[dt.datetime | None] = []
        for at, k, cut in zip(
            moments.to_pylist(), limits.to_pylist(), cutoff.to_pylist(), strict=True
        ):
            out.append(
                None
                if at is None or k is None
                else calendar.deadline(at, k, "hours", apply_cutoff=cut)
            )
        return pa.array(out, pa.timestamp("us"))

    if size == 0:
        return pa.array([], pa.date32())
    mask = valid.to_numpy(zero_copy_only=False)
    micros, is_timestamp = _local_micros(moments)
    days = np.floor_divide(micros, _DAY_MICROS)
    ordinals = days + _EPOCH_ORDINAL
    k = limits.fill_null(0).to_numpy()
    live = ordinals[mask] if mask.any() else np.array([_EPOCH_ORDINAL + 20000])
    lo = dt.date.fromordinal(int(live.min())).year
    hi = dt.date.fromordinal(int(live.max())).year
    longest = int(k[mask].max()) if mask.any() else 0
    # Enough years ahead for the longest limit (≥ 200 working days a year).
    # Same package: the calendar's own look-up lists, extended to cover every row.
    span = calendar._ensure(lo, hi + longest // 200 + 1)
    working = np.asarray(span.working, dtype=bool)
    seq = np.asarray(span.seq, dtype=np.int64)
    workdays = np.asarray(span.workdays, dtype=np.int64)

    idx = np.where(mask, ordinals - span.epoch, 0)
    late = np.zeros(size, dtype=bool)
    if is_timestamp:
        cut_micros = _micros(calendar.settings.receipt_cutoff)
        late = cutoff.to_numpy(zero_copy_only=False) & ((micros - days * _DAY_MICROS) > cut_micros)
    # The seq of the working day the limit counts from (docs/field.md §6, cut-off §5).
    receipt_seq = seq[idx] + ((~working[idx]) | late).astype(np.int64)
    if unit == "working-days":
        due = workdays[receipt_seq + k - 1]
    else:
        end = workdays[receipt_seq - 1] + k - span.epoch
        # Civil Code 2015 Art. 148(5): a limit ending on a day off ends on the next working day.
        due = np.where(working[end], end + span.epoch, workdays[seq[end]])
    result_days = (due - _EPOCH_ORDINAL).astype(np.int32)
    return pa.array(result_days, pa.int32(), mask=~mask).cast(pa.date32())
