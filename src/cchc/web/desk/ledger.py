"""Ledger files in and out of the desk's database.

Import: the service core's importer (CSV, XLSX, Parquet; our column names or the national
portal's) validates every row; the desk adds the checks only it can make (the unit exists
and belongs to the importing officer, the code is not already stored). Any problem and
nothing is written. Out: the stored dossiers as an interchange Arrow table, for the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet

from cchc.service.code import DossierCodeError, check_received, validate_code
from cchc.service.dossier import ledger_table as core_ledger_table
from cchc.service.importer import MAX_PROBLEMS, LedgerImportError, Problem, normalise, read_raw
from cchc.service.period import Period
from cchc.service.schema import COLUMN_NAMES, TIMESTAMP_COLUMNS
from cchc.tables import DEFAULT_LIMITS, TableLimits
from cchc.web.desk.clock import from_local, now, to_local
from cchc.web.desk.models import Dossier, DossierEvent, Procedure
from cchc.web.desk.services import core_procedure
from cchc.web.ops.audit import record as audit_record
from cchc.web.units.lookup import agency_ids, units_by_code
from cchc.web.units.models import Unit

if TYPE_CHECKING:
    import pyarrow as pa

BATCH = 2000
_FLAGS = (
    "online_eligible",
    "has_fee",
    "paid_online",
    "requires_result_document",
    "e_result",
    "digitised",
    "reused_data",
    "has_complaint",
)


def import_ledger(
    path: Path | IO[bytes],
    *,
    user: Any,
    unit: Unit | None = None,
    name: str | None = None,
    limits: TableLimits = DEFAULT_LIMITS,
) -> int:
    """Import a ledger file, all rows or none; return how many dossiers were stored.

    ``unit``: every row must belong to it (a one-stop officer imports for their own unit).
    Raises ``LedgerImportError`` listing file, row, column and reason of each problem.
    """
    label = name or (path.name if isinstance(path, Path) else "tệp")
    raw, first_row = read_raw(path, label, limits=limits)
    procedures = {p.code: p for p in Procedure.objects.all()}
    table = normalise(
        raw, label, first_row, procedures={c: core_procedure(p) for c, p in procedures.items()}
    )
    rows = table.to_pylist()
    # A ledger may name a unit by its official id or a code it had before (UnitAlias).
    units = units_by_code(r["unit_code"] for r in rows)
    existing = _existing_codes(r["dossier_code"] for r in rows)
    problems: list[Problem] = []
    total = 0

    def problem(index: int, column: str, reason: str) -> None:
        nonlocal total
        total += 1
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(label, first_row + index, column, reason))

    moment = to_local(now())
    assert moment is not None
    for index, row in enumerate(rows):
        code = row["unit_code"]
        if code not in units:
            problem(index, "unit_code", f"đơn vị '{code}' không có trong danh mục đơn vị")
        elif unit is not None and units[code].pk != unit.pk:
            problem(index, "unit_code", f"hồ sơ của đơn vị '{code}', không phải của {unit.name}")
        else:
            # The code carries the row's unit and its day of receipt (Circular 01/2018 Art.
            # 19), and nothing is received in the future: otherwise an import takes numbers
            # another desk, or this desk tomorrow, must issue.
            # Receipts printed before the unit's official id carry its old code; both are its own.
            problem_text = None
            for agency in agency_ids(units[code]):
                try:
                    validate_code(row["dossier_code"], row["received_at"], agency_id=agency)
                except DossierCodeError as exc:
                    problem_text = problem_text or str(exc)
                else:
                    problem_text = None
                    break
            if problem_text is not None:
                problem(index, "dossier_code", problem_text)
            try:
                check_received(row["received_at"], moment)
            except DossierCodeError as exc:
                problem(index, "received_at", str(exc))
        if row["dossier_code"] in existing:
            problem(index, "dossier_code", f"mã hồ sơ '{row['dossier_code']}' đã có trong hệ thống")
    if total:
        raise LedgerImportError(problems, total)
    at = now()
    actor = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        for start in range(0, len(rows), BATCH):
            batch = [_dossier(r, units, procedures) for r in rows[start : start + BATCH]]
            stored = Dossier.objects.bulk_create(batch)
            if stored and stored[0].pk is None:  # back-ends that do not return keys
                by_code = dict(
                    Dossier.objects.filter(code__in=[d.code for d in batch]).values_list(
                        "code", "pk"
                    )
                )
                for d in stored:
                    d.pk = by_code[d.code]
            DossierEvent.objects.bulk_create(
                DossierEvent(
                    dossier=d,
                    event="imported",
                    at=at,
                    actor=actor,
                    to_status=d.status,
                    new_due_at=d.due_at,
                    note=label,
                )
                for d in stored
            )
        # One audit entry per import (who, when, which file, how many rows), in the same
        # transaction: bulk_create sends no signals, so ops' receivers never see these rows.
        audit_record(
            actor=user,
            action="desk.ledger_import",
            object_type="ledger",
            object_id=label,
            field="rows",
            new=len(rows),
            at=at,
        )
    return len(rows)


def _existing_codes(codes: Iterable[str]) -> set[str]:
    wanted = list(codes)
    found: set[str] = set()
    for start in range(0, len(wanted), 5000):  # stay under SQLite's parameter limit
        chunk = wanted[start : start + 5000]
        found.update(Dossier.objects.filter(code__in=chunk).values_list("code", flat=True))
    return found


def _dossier(
    row: dict[str, Any], units: dict[str, Unit], procedures: dict[str, Procedure]
) -> Dossier:
    received = from_local(row["received_at"])
    return Dossier(
        code=row["dossier_code"],
        unit=units[row["unit_code"]],
        procedure=procedures.get(row["procedure_code"]),
        procedure_code=row["procedure_code"],
        channel=row["channel"],
        status=row["status"],
        received_at=received,
        due_at=from_local(row["due_at"]),
        finished_at=from_local(row["finished_at"]),
        # The interchange has one end time; a returned dossier was returned then.
        returned_at=from_local(row["finished_at"]) if row["status"] == "returned" else None,
        supplement_count=row["supplement_count"] or 0,
        supplement_requested_at=from_local(row["supplement_requested_at"]),
        supplement_completed_at=from_local(row["supplement_completed_at"]),
        last_event_at=from_local(row["finished_at"]) or received,
        rating=row["rating"] or "",
        **{flag: bool(row[flag]) for flag in _FLAGS},
    )


def in_period(period: Period) -> Q:
    """Dossiers the index can count in ``period``: received before its end and not finished
    before its start (a superset; the index expression applies the exact rules)."""
    start, end = from_local(period.start), from_local(period.end)
    return Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=start))


#: The stored columns ``cchc.service.dossier.ledger_record`` reads, under its names.
_EXPORT_FIELDS = {
    "dossier_code": "code",
    "unit_code": "unit__code",
    **{name: name for name in COLUMN_NAMES if name not in ("dossier_code", "unit_code")},
    "due_before_restart": "due_before_restart",
    "supplement_late": "supplement_late",
}


def ledger_table(dossiers: QuerySet[Dossier]) -> pa.Table:
    """The dossiers as an interchange Arrow table (naive local times, contract column order),
    each row written by the core's ``ledger_record`` (the appointment before any Decree 61
    restart, a late supplement request without its times)."""
    names = tuple(_EXPORT_FIELDS)
    times = frozenset(TIMESTAMP_COLUMNS) | {"due_before_restart"}
    values = dossiers.values_list(*_EXPORT_FIELDS.values())

    def states() -> Iterator[dict[str, Any]]:
        for row in values.iterator(chunk_size=5000):
            state = dict(zip(names, row, strict=True))
            for name in times:
                state[name] = to_local(state[name])
            yield state

    return core_ledger_table(states())
