"""Converting raw columns to the interchange types, reporting every unreadable cell.

Timestamps accept ISO forms, day-first dd/mm/yyyy, the portal's yyyyMMddHHmmss and ISO with
an offset (converted to Vietnam's local time); booleans true/false or 1/0; empty = missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from cchc.service.problems import Checker
from cchc.service.schema import LOCAL_TZ

if TYPE_CHECKING:
    import pyarrow as pa

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


def when(value: object) -> str:
    from cchc.fmt import format_datetime

    return format_datetime(value) if isinstance(value, dt.datetime) else str(value)


def strings(column: pa.ChunkedArray) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    empty = pc.equal(text, "")
    # Skipping the rewrite when nothing is empty saves a copy of large columns.
    return pc.if_else(empty, None, text) if pc.any(empty).as_py() else text


def timestamps(column: pa.ChunkedArray, name: str, check: Checker) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    target = pa.timestamp("us")
    if pa.types.is_timestamp(column.type):
        if column.type.tz is not None:
            column = pc.local_timestamp(column.cast(pa.timestamp("us", tz=LOCAL_TZ)))
        column = column.cast(target)
        # Whole seconds, as from text: engines differ on sub-second epoch arithmetic.
        fraction = pc.add(pc.millisecond(column), pc.microsecond(column))
        if pc.any(pc.not_equal(fraction, 0)).as_py():
            column = pc.floor_temporal(column, unit="second")
        return _in_calendar(column, name, check)
    if pa.types.is_date(column.type):
        return _in_calendar(column.cast(pa.timestamp("us")), name, check)
    text = strings(column)
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
    return _in_calendar(parsed, name, check)


def _in_calendar(column: pa.ChunkedArray, name: str, check: Checker) -> pa.ChunkedArray:
    """Refuse times outside the working-day calendar's years (``cchc.calendar.MIN_YEAR`` to
    ``MAX_YEAR``): a dossier dated year 1 or 9999 was stored and then broke every page that
    computes with it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from cchc.calendar import MAX_YEAR, MIN_YEAR

    low = pa.scalar(dt.datetime(MIN_YEAR, 1, 1), pa.timestamp("us"))
    high = pa.scalar(dt.datetime(MAX_YEAR + 1, 1, 1), pa.timestamp("us"))
    outside = pc.or_(pc.less(column, low), pc.greater_equal(column, high))
    check.mask(
        outside, name,
        lambda v: f"ngày {when(v)} ngoài phạm vi lịch làm việc ({MIN_YEAR}–{MAX_YEAR})",
        column,
    )
    return pc.if_else(outside, pa.scalar(None, pa.timestamp("us")), column)


def booleans(column: pa.ChunkedArray, name: str, check: Checker) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_boolean(column.type):
        return pc.fill_null(column, False)
    text = pc.utf8_lower(strings(column))
    truthy = pc.is_in(text, pa.array(["true", "1"]))
    falsy = pc.is_in(text, pa.array(["false", "0"]))
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.or_(truthy, falsy)))
    check.mask(bad, name, lambda v: f"'{v}' không phải giá trị đúng/sai (true/false hoặc 1/0)", text)
    return pc.fill_null(truthy, False)


def counts(column: pa.ChunkedArray, name: str, check: Checker) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_integer(column.type):
        check.mask(pc.less(column, 0), name, lambda v: f"số lần bổ sung {v} âm", column)
        return column.cast(pa.int64())
    text = strings(column)
    good = pc.match_substring_regex(text, r"^\d{1,6}$")
    check.mask(
        pc.and_(pc.is_valid(text), pc.invert(good)), name,
        lambda v: f"'{v}' không phải số nguyên không âm", text,
    )
    return pc.if_else(good, text, None).cast(pa.int64())


def enum(
    column: pa.ChunkedArray, name: str, allowed: tuple[str, ...], check: Checker,
    portal_codes: Mapping[str, str] | None = None,
) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    text = strings(column)
    if portal_codes and pc.any(pc.is_in(text, pa.array(list(portal_codes)))).as_py():
        keys = pa.array(list(portal_codes))
        index = pc.index_in(text, keys)
        mapped = pc.take(pa.array(list(portal_codes.values())), index)
        text = pc.coalesce(mapped, text)
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.is_in(text, pa.array(list(allowed)))))
    check.mask(bad, name, lambda v: f"'{v}' không thuộc {', '.join(allowed)}", text)
    return text

