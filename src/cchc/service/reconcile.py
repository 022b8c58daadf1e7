"""Reconciliation (đối soát): the unit's own ledger against the portal's counts, one period.

For each unit and indicator the two numerators and the two denominators side by side, the
difference, and what the ledger can say about it. The portal publishes counts, never its
dossier list, so the ledger can name dossiers only where a difference points at them:

- more dossiers here than in the portal's denominator (or more received here than the
  portal counts as synchronised, indicator 1.4): the excess is not synchronised; the
  dossiers received last in the period are listed as the first to check **(assumed: a late
  synchronisation misses the newest dossiers first)**;
- fewer here: dossiers the portal has that the ledger lacks (not imported here);
- equal denominators, different numerators: the same dossiers judged differently (on time,
  paid, digitised, …); the ledger lists its own dossiers of the numerator's complement
  (e.g. those it counts as late) as the ones to compare with the portal's record.

Pure over counts; ``ledger_members`` reads a ledger table with the index's own expressions
(``cchc.service.index``), so "ours" is exactly what ``cchc service index`` counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from cchc.service.portal766 import Count, indicator

if TYPE_CHECKING:
    import pyarrow as pa

    from cchc.service.period import Period

#: Indicators the ledger counts, with (denominator set, numerator set) names of
#: ``ledger_members``' columns.
LEDGER_SETS: Final[dict[str, tuple[str, str]]] = {
    "2.1": ("in_scope", "on_time"),
    "3.6": ("with_fee", "paid_online"),
    "4.1": ("need_result", "e_result"),
    "4.2": ("received", "digitised"),
    "4.3": ("received", "reused"),
    "5.4": ("in_scope", "satisfied"),
}
#: 1.4 (synchronised ÷ received): the ledger's received dossiers against the portal's
#: synchronised ones (DOSSIER_SYNC's numerator).
SYNC: Final = "1.4"

MAX_LISTED: Final = 50

NOT_SYNCED: Final = "chưa đồng bộ lên Cổng"
MISSING_HERE: Final = "Cổng có, sổ của đơn vị không có (chưa nhập)"
JUDGED_DIFFERENTLY: Final = "cùng hồ sơ, đánh giá khác nhau"
SAME: Final = "khớp"
ONLY_HERE: Final = "chỉ có trong sổ"
ONLY_PORTAL: Final = "chỉ có trên Cổng"


@dataclass(frozen=True)
class Member:
    """One dossier of the ledger with the sets it belongs to in the period."""

    code: str
    unit_code: str
    received_at: dt.datetime
    sets: frozenset[str]


@dataclass(frozen=True)
class Line:
    """One unit and indicator: our counts, the portal's, and what the difference is."""

    unit_code: str
    portal_unit: str
    unit_name: str
    indicator: str
    ours_numerator: Decimal | int | None
    ours_denominator: Decimal | int | None
    portal_numerator: Decimal | int | None
    portal_denominator: Decimal | int | None
    status: str
    dossiers: tuple[str, ...] = ()
    more: int = 0  # dossiers not listed beyond MAX_LISTED
    note: str = ""

    @property
    def numerator_difference(self) -> Decimal | int | None:
        if self.ours_numerator is None or self.portal_numerator is None:
            return None
        return self.ours_numerator - self.portal_numerator

    @property
    def denominator_difference(self) -> Decimal | int | None:
        if self.ours_denominator is None or self.portal_denominator is None:
            return None
        return self.ours_denominator - self.portal_denominator


@dataclass
class Reconciliation:
    period: str
    lines: list[Line] = field(default_factory=list)

    @property
    def differing(self) -> list[Line]:
        return [line for line in self.lines if line.status != SAME]


def ledger_members(table: pa.Table, period: Period) -> list[Member]:
    """Every dossier of the ledger that counts in ``period``, with its sets, by the index's
    expressions (in scope, on time, received, with a fee, paid online, …)."""
    import ibis

    from cchc.service.engines import duckdb_from_arrow
    from cchc.service.index import _flag, dossiers_table, in_scope_filter, on_time_flag

    con = duckdb_from_arrow(table)
    try:
        t = dossiers_table()
        s = t.filter(in_scope_filter(t, period))
        received = s.received_at >= ibis.literal(period.start)
        needs_result = _flag(s.requires_result_document)
        complaint = _flag(s.has_complaint) | (s.rating.fill_null("") == "dislike")
        on_time = on_time_flag(s, period)
        expr = s.select(
            code=s.dossier_code,
            unit_code=s.unit_code,
            received_at=s.received_at,
            in_scope=ibis.literal(True),
            on_time=on_time,
            satisfied=on_time & ~complaint,
            received=received,
            with_fee=received & _flag(s.has_fee),
            paid_online=received & _flag(s.has_fee) & _flag(s.paid_online),
            need_result=received & needs_result,
            e_result=received & needs_result & _flag(s.e_result),
            digitised=received & _flag(s.digitised) & (_flag(s.e_result) | ~needs_result),
            reused=received & _flag(s.reused_data),
        )
        rows = con.to_pyarrow(expr).to_pylist()
    finally:
        con.disconnect()
    names = ("in_scope", "on_time", "satisfied", "received", "with_fee", "paid_online",
             "need_result", "e_result", "digitised", "reused")
    return [
        Member(r["code"], r["unit_code"], r["received_at"], frozenset(n for n in names if r[n]))
        for r in rows
    ]


def member_counts(members: Iterable[Member], names: Mapping[str, str] | None = None) -> list[Count]:
    """The ledger's counts per unit and indicator (those of ``LEDGER_SETS`` and 1.4's
    denominator, received), from its members."""
    tally: dict[tuple[str, str], int] = {}
    units: list[str] = []
    for m in members:
        if m.unit_code not in units:
            units.append(m.unit_code)
        for s in m.sets:
            tally[(m.unit_code, s)] = tally.get((m.unit_code, s), 0) + 1
    out: list[Count] = []
    for unit in units:
        name = (names or {}).get(unit, unit)
        for ind, (den, num) in LEDGER_SETS.items():
            out.append(Count(unit, name, ind, tally.get((unit, num), 0), tally.get((unit, den), 0)))
    return out


def _by_key(counts: Iterable[Count]) -> dict[tuple[str, str], Count]:
    return {(c.unit_code, indicator(c.indicator).id): c for c in counts}


def _listed(members: Sequence[Member], limit: int) -> tuple[tuple[str, ...], int]:
    newest = sorted(members, key=lambda m: (m.received_at, m.code), reverse=True)
    shown = newest[: min(limit, MAX_LISTED)]
    return tuple(m.code for m in shown), max(0, limit - len(shown))


def reconcile(
    period: str,
    ours: Iterable[Count],
    portal: Iterable[Count],
    members: Iterable[Member] = (),
    unit_map: Mapping[str, str] | None = None,
) -> Reconciliation:
    """Our counts against the portal's, per unit and indicator, with the dossiers behind a
    difference where the ledger can name them. ``unit_map`` maps our unit codes to the
    portal's (identity where absent)."""
    mapping = dict(unit_map or {})
    ours_by = _by_key(ours)
    portal_by = _by_key(portal)
    by_unit: dict[str, list[Member]] = {}
    for m in members:
        by_unit.setdefault(m.unit_code, []).append(m)
    out = Reconciliation(period)
    our_units = list(dict.fromkeys(unit for unit, _ in ours_by))
    for unit in our_units:
        portal_unit = mapping.get(unit, unit)
        name = next(c.unit_name for (u, _), c in ours_by.items() if u == unit)
        unit_members = by_unit.get(unit, [])
        for ind in LEDGER_SETS:
            mine = ours_by.get((unit, ind))
            theirs = portal_by.get((portal_unit, ind))
            if mine is None:
                continue
            out.lines.append(_line(unit, portal_unit, name, ind, mine, theirs, unit_members))
        sync = portal_by.get((portal_unit, SYNC))
        received = sum(1 for m in unit_members if "received" in m.sets)
        if sync is not None and unit_members:
            out.lines.append(_sync_line(unit, portal_unit, name, received, sync, unit_members))
    mapped = {mapping.get(u, u) for u in our_units}
    for (unit, ind), c in portal_by.items():
        if unit not in mapped and ind in LEDGER_SETS:
            out.lines.append(Line(unit, unit, c.unit_name, ind, None, None, c.numerator, c.denominator, ONLY_PORTAL))
    return out


def _line(
    unit: str, portal_unit: str, name: str, ind: str, mine: Count, theirs: Count | None,
    members: Sequence[Member],
) -> Line:
    if theirs is None:
        return Line(unit, portal_unit, name, ind, mine.numerator, mine.denominator, None, None, ONLY_HERE)
    den_set, num_set = LEDGER_SETS[ind]
    base = (unit, portal_unit, name, ind, mine.numerator, mine.denominator, theirs.numerator, theirs.denominator)
    den_diff = Decimal(mine.denominator) - Decimal(theirs.denominator)
    num_diff = Decimal(mine.numerator) - Decimal(theirs.numerator)
    if den_diff > 0:
        codes, more = _listed([m for m in members if den_set in m.sets], int(den_diff))
        return Line(*base, NOT_SYNCED, codes, more,
                    f"{int(den_diff)} hồ sơ có trong sổ mà mẫu số của Cổng không có; "
                    "danh sách: những hồ sơ tiếp nhận muộn nhất, cần kiểm tra trước (giả định)")
    if den_diff < 0:
        return Line(*base, MISSING_HERE, note=f"Cổng tính nhiều hơn {int(-den_diff)} hồ sơ: sổ của đơn vị thiếu hồ sơ")
    if num_diff != 0:
        if num_diff > 0:
            # We count more as good: our good ones are the ones to compare.
            candidates = [m for m in members if num_set in m.sets]
            note = f"sổ tính {num_diff} hồ sơ đạt hơn Cổng; đối chiếu các hồ sơ sổ tính là đạt"
        else:
            candidates = [m for m in members if den_set in m.sets and num_set not in m.sets]
            note = f"Cổng tính {-num_diff} hồ sơ đạt hơn sổ; đối chiếu các hồ sơ sổ tính là chưa đạt"
        codes, more = _listed(candidates, len(candidates))
        return Line(*base, JUDGED_DIFFERENTLY, codes, more, note)
    return Line(*base, SAME)


def _sync_line(
    unit: str, portal_unit: str, name: str, received: int, sync: Count, members: Sequence[Member]
) -> Line:
    """1.4: dossiers received here against those the portal counts as synchronised."""
    missing = Decimal(received) - Decimal(sync.numerator)

    def line(status: str, codes: tuple[str, ...] = (), more: int = 0, note: str = "") -> Line:
        return Line(unit, portal_unit, name, SYNC, received, received, sync.numerator,
                    sync.denominator, status, codes, more, note)

    if missing > 0:
        codes, more = _listed([m for m in members if "received" in m.sets], int(missing))
        return line(NOT_SYNCED, codes, more,
                    f"tiếp nhận tại đơn vị {received}, Cổng ghi nhận đồng bộ {sync.numerator}: "
                    f"{int(missing)} hồ sơ chưa đồng bộ; danh sách: hồ sơ tiếp nhận muộn nhất (giả định)")
    if missing < 0:
        return line(MISSING_HERE, note=f"Cổng ghi nhận nhiều hơn {int(-missing)} hồ sơ so với sổ")
    return line(SAME)


def to_dict(result: Reconciliation) -> dict[str, Any]:
    def num(value: Decimal | int | None) -> int | float | None:
        if value is None or isinstance(value, int):
            return value
        return int(value) if value == value.to_integral_value() else float(value)

    return {
        "period": result.period,
        "lines": [
            {
                "unit_code": line.unit_code,
                "portal_unit": line.portal_unit,
                "unit_name": line.unit_name,
                "indicator": line.indicator,
                "ours": {"numerator": num(line.ours_numerator), "denominator": num(line.ours_denominator)},
                "portal": {"numerator": num(line.portal_numerator), "denominator": num(line.portal_denominator)},
                "difference": {
                    "numerator": num(line.numerator_difference),
                    "denominator": num(line.denominator_difference),
                },
                "status": line.status,
                "note": line.note,
                "dossiers": list(line.dossiers),
                "more_dossiers": line.more,
            }
            for line in result.lines
        ],
    }


HEADERS: Final = (
    "Mã đơn vị", "Mã đơn vị trên Cổng", "Tên đơn vị", "Chỉ số",
    "Tử số (sổ)", "Tử số (Cổng)", "Chênh lệch tử số",
    "Mẫu số (sổ)", "Mẫu số (Cổng)", "Chênh lệch mẫu số",
    "Kết quả", "Ghi chú", "Hồ sơ cần kiểm tra",
)


def rows(result: Reconciliation) -> list[list[object]]:
    """One row per line, numbers as numbers (for XLSX and the table)."""
    def num(value: Decimal | int | None) -> object:
        if value is None or isinstance(value, int):
            return value
        return int(value) if value == value.to_integral_value() else float(value)

    out: list[list[object]] = []
    for line in result.lines:
        listed = ", ".join(line.dossiers) + (f" … và {line.more} hồ sơ khác" if line.more else "")
        out.append([
            line.unit_code, line.portal_unit, line.unit_name, line.indicator,
            num(line.ours_numerator), num(line.portal_numerator), num(line.numerator_difference),
            num(line.ours_denominator), num(line.portal_denominator), num(line.denominator_difference),
            line.status, line.note, listed,
        ])
    return out
