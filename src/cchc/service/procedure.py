"""Administrative procedures (thủ tục hành chính) as the catalogue publishes them.

A procedure carries the legal time limit that sets each dossier's appointment date when
the ledger does not give one (docs/service.md). Limits are stated in working days, calendar
days or working hours (docs/field.md §6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from cchc.tables import (
    DEFAULT_LIMITS,
    MAX_PROBLEMS,
    TableError,
    TableLimits,
    more_text,
    read_text_table,
)

if TYPE_CHECKING:
    from cchc.calendar import WorkCalendar

TimeUnit = Literal["working-days", "days", "hours"]
TIME_UNITS: Final[tuple[TimeUnit, ...]] = ("working-days", "days", "hours")
CATALOGUE_COLUMNS: Final = (
    "code",
    "name",
    "time_limit",
    "time_unit",
    "fee",
    "online_eligible",
    "requires_result_document",
)


class CatalogueError(ValueError):
    """A procedure catalogue row that cannot be read."""


@dataclass(frozen=True, slots=True)
class Procedure:
    """One procedure of the catalogue."""

    code: str
    name: str
    time_limit: int
    time_unit: TimeUnit = "working-days"
    fee: Decimal = Decimal(0)
    online_eligible: bool = False
    requires_result_document: bool = True

    def __post_init__(self) -> None:
        if self.time_unit not in TIME_UNITS:
            raise CatalogueError(f"thủ tục {self.code}: đơn vị thời hạn '{self.time_unit}' không hợp lệ")
        if self.time_limit < 0:
            raise CatalogueError(f"thủ tục {self.code}: thời hạn giải quyết không được âm")

    @property
    def has_fee(self) -> bool:
        return self.fee > 0

    def due_at(
        self,
        received_at: dt.datetime,
        calendar: WorkCalendar | None = None,
        *,
        counter: bool = True,
    ) -> dt.datetime:
        """The appointment time for a dossier received at ``received_at``.

        Counting follows docs/field.md §6 through the working-day calendar: a limit of N working
        days starts on the working day after receipt. A ``datetime`` is always returned; for
        day-based limits the calendar's date is taken to the end of the working day (17:00,
        assumed — offices write only the date on the receipt, form 01).
        """
        if calendar is None:
            from cchc.calendar import default_calendar

            calendar = default_calendar()
        due = calendar.deadline(
            received_at, self.time_limit, unit=self.time_unit, apply_cutoff=counter
        )
        if isinstance(due, dt.datetime):
            return due
        return dt.datetime.combine(due, END_OF_WORKING_DAY)


#: The time of day a date-only appointment stands for (assumed; configurable by callers).
END_OF_WORKING_DAY: Final = dt.time(17, 0)

_TRUE = {"1", "true", "có", "x", "yes"}
_FALSE = {"", "0", "false", "không", "no"}


def _bool(value: str, where: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CatalogueError(f"{where}: '{value}' không phải giá trị đúng/sai (true/false, 1/0)")


def load_catalogue(path: Path, *, limits: TableLimits = DEFAULT_LIMITS) -> dict[str, Procedure]:
    """Read a catalogue CSV with the columns of ``CATALOGUE_COLUMNS``; all rows or none.

    The file is read by ``cchc.tables`` (any supported encoding or delimiter, or an XLSX);
    problems are listed up to ``MAX_PROBLEMS`` with the count of the rest."""
    procedures: dict[str, Procedure] = {}
    problems: list[str] = []
    total = 0
    try:
        table = read_text_table(path, str(path), limits=limits)
        missing = [c for c in ("code", "name", "time_limit") if c not in table.header]
        if missing:
            raise CatalogueError(f"{path}: thiếu cột {', '.join(missing)}")
        index = {name: i for i, name in enumerate(table.header) if name}
        for line, cells in table.rows:
            row = {name: cells[i] for name, i in index.items()}
            where = f"{path}, dòng {line}"
            try:
                code = row["code"].strip()
                if not code:
                    raise CatalogueError(f"{where}, cột code: trống")
                if code in procedures:
                    raise CatalogueError(f"{where}, cột code: mã '{code}' bị trùng")
                try:
                    fee = Decimal((row.get("fee") or "0").replace(",", "."))
                    limit = int(row["time_limit"])
                except (InvalidOperation, ValueError):
                    raise CatalogueError(f"{where}: thời hạn hoặc lệ phí không phải số") from None
                unit = (row.get("time_unit") or "working-days").strip()
                if unit not in TIME_UNITS:
                    raise CatalogueError(f"{where}, cột time_unit: '{unit}' không hợp lệ")
                procedures[code] = Procedure(
                    code=code,
                    name=row["name"].strip(),
                    time_limit=limit,
                    time_unit=unit,  # type: ignore[arg-type]  # checked just above
                    fee=fee,
                    online_eligible=_bool(row.get("online_eligible") or "", f"{where}, cột online_eligible"),
                    requires_result_document=_bool(
                        row.get("requires_result_document") or "1",
                        f"{where}, cột requires_result_document",
                    ),
                )
            except CatalogueError as exc:
                total += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append(str(exc))
    except TableError as exc:
        raise CatalogueError(str(exc)) from None
    if total > len(problems):
        problems.append(more_text(total - len(problems)))
    if problems:
        raise CatalogueError("\n".join(problems))
    return procedures
