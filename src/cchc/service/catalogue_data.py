"""The procedure catalogue as the national database publishes it (for the 766 groups 1, 3, 4).

This extends ``procedure`` (time limits) with what Decision 766's transparency, online
service and payment indicators count per procedure. Columns (CSV header, XLSX first row
or Parquet names):

- ``procedure_code`` (required); ``unit_code`` (optional: empty = the procedure applies to
  every assessed unit, e.g. a province-wide catalogue; otherwise only to that unit);
- ``published`` (true/false): public on the national procedure database / portal;
- ``decision_date``: the date of the announcement decision (quyết định công bố, QĐCB);
- ``effective_date``: the date its legal basis takes effect;
- ``published_at``: the date it was made public on the national database;
- ``components_complete`` (true/false): all seven parts of Decree 63/2010 Art. 8(2) are
  published (name, sequence, manner, dossier components, time limit, subjects, agency);
- ``online_level``: full | partial | none (empty = none) — Decree 42/2022's online levels;
- ``fee``: the fee or charge (a number; 0 or empty = none);
- ``e_payment`` (true/false): payment integrated for online payment on the portal;
- ``requires_result_document`` (true/false).

Dates accept the same forms as the dossier importer; errors name file, row, column and
reason; any error and nothing is returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cchc.service import columns
from cchc.service.readers import NamedColumns, repeated

ONLINE_LEVELS: Final = ("full", "partial", "none")
DATE_COLUMNS: Final = ("decision_date", "effective_date", "published_at")
BOOLEAN_COLUMNS: Final = (
    "published", "components_complete", "e_payment", "requires_result_document",
)


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One procedure as published, possibly for one unit only."""

    procedure_code: str
    unit_code: str | None = None
    published: bool = False
    decision_date: dt.date | None = None
    effective_date: dt.date | None = None
    published_at: dt.date | None = None
    components_complete: bool = False
    online_level: str = "none"
    fee: float = 0.0
    e_payment: bool = False
    requires_result_document: bool = False

    @property
    def has_fee(self) -> bool:
        return self.fee > 0

    def applies_to(self, unit_code: str) -> bool:
        return self.unit_code is None or self.unit_code == unit_code


def _date(value: object) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else None


def read_catalogue_data(path: Path) -> tuple[CatalogueEntry, ...]:
    """Read and validate the catalogue extension; all rows or a ``LedgerImportError``."""
    import pyarrow as pa

    from cchc.fmt import ParseNumberError, parse_number

    src = NamedColumns(path, ("procedure_code",))
    check, col = src.check, src.column
    code = columns.strings(col("procedure_code"))
    unit = columns.strings(col("unit_code"))
    check.required(code, "procedure_code")
    dates = {name: columns.timestamps(col(name), name, check) for name in DATE_COLUMNS}
    flags = {name: columns.booleans(col(name), name, check) for name in BOOLEAN_COLUMNS}
    level = columns.enum(col("online_level"), "online_level", ONLINE_LEVELS, check)
    fee_text = columns.strings(col("fee")).to_pylist()
    fees: list[float] = []
    bad_fee: list[bool] = []
    for text in fee_text:
        try:
            value = 0.0 if text is None else parse_number(text)
        except ParseNumberError:
            value = -1.0
        fees.append(value)
        bad_fee.append(value < 0)
    check.mask(
        pa.array(bad_fee), "fee", lambda v: f"'{v}' không phải số tiền không âm", pa.array(fee_text, pa.string())
    )
    keys = list(zip(code.to_pylist(), unit.to_pylist(), strict=True))
    check.mask(
        repeated(k if k[0] is not None else None for k in keys), "procedure_code",
        lambda v: f"thủ tục '{v}' xuất hiện hai lần cho cùng đơn vị", code,
    )
    src.raise_problems()
    date_values = {name: [_date(v) for v in arr.to_pylist()] for name, arr in dates.items()}
    flag_values = {name: [bool(v) for v in arr.to_pylist()] for name, arr in flags.items()}
    return tuple(
        CatalogueEntry(
            procedure_code=str(keys[i][0]),
            unit_code=keys[i][1],
            published=flag_values["published"][i],
            decision_date=date_values["decision_date"][i],
            effective_date=date_values["effective_date"][i],
            published_at=date_values["published_at"][i],
            components_complete=flag_values["components_complete"][i],
            online_level=str(lvl or "none"),
            fee=fees[i],
            e_payment=flag_values["e_payment"][i],
            requires_result_document=flag_values["requires_result_document"][i],
        )
        for i, lvl in enumerate(level.to_pylist())
    )
