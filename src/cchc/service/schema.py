"""The dossier interchange format: column names, types and allowed values.

This is the dossier interchange contract (docs/service.md, "Interchange columns"): CSV headers and Parquet
names are exactly these, timestamps are local time (Asia/Ho_Chi_Minh) without an offset,
empty means missing, a missing boolean is false and a missing ``supplement_count`` is 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import ibis.expr.schema as sch
    import pyarrow as pa

LOCAL_TZ: Final = "Asia/Ho_Chi_Minh"

#: Statuses as synchronised to the national portal (docs/field.md §5).
STATUSES: Final = (
    "received",
    "processing",
    "supplement_requested",
    "supplement_completed",
    "finished",
    "returned",
    "refused",
    "stopped",
    "withdrawn",
)
#: Statuses that end the handling of a dossier; the first one reached sets ``finished_at``
#: (docs/field.md §7, rule "end time" of indicator 2.1).
TERMINAL_STATUSES: Final = frozenset({"finished", "returned", "refused", "stopped", "withdrawn"})
CHANNELS: Final = ("counter", "online", "post")
RATINGS: Final = ("like", "dislike")

TIMESTAMP_COLUMNS: Final = (
    "received_at",
    "due_at",
    "finished_at",
    "supplement_requested_at",
    "supplement_completed_at",
)
BOOLEAN_COLUMNS: Final = (
    "online_eligible",
    "has_fee",
    "paid_online",
    "requires_result_document",
    "e_result",
    "digitised",
    "reused_data",
    "has_complaint",
)
#: Every column in contract order, with its logical type.
COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("dossier_code", "string"),
    ("unit_code", "string"),
    ("procedure_code", "string"),
    ("received_at", "timestamp"),
    ("due_at", "timestamp"),
    ("finished_at", "timestamp"),
    ("status", "string"),
    ("channel", "string"),
    ("online_eligible", "boolean"),
    ("supplement_count", "int64"),
    ("supplement_requested_at", "timestamp"),
    ("supplement_completed_at", "timestamp"),
    ("has_fee", "boolean"),
    ("paid_online", "boolean"),
    ("requires_result_document", "boolean"),
    ("e_result", "boolean"),
    ("digitised", "boolean"),
    ("reused_data", "boolean"),
    ("rating", "string"),
    ("has_complaint", "boolean"),
)
COLUMN_NAMES: Final = tuple(name for name, _ in COLUMNS)
#: Columns that must hold a value on every row.
REQUIRED: Final = frozenset(
    {"dossier_code", "unit_code", "procedure_code", "received_at", "status", "channel"}
)


def arrow_schema() -> pa.Schema:
    """The Arrow schema of a normalised ledger (what ``cchc service import`` writes)."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "timestamp": pa.timestamp("us"),
        "boolean": pa.bool_(),
        "int64": pa.int64(),
    }
    return pa.schema(
        [pa.field(name, types[kind], nullable=name not in REQUIRED) for name, kind in COLUMNS]
    )


def ibis_schema() -> sch.Schema:
    """The same columns as an Ibis schema, for unbound table expressions."""
    import ibis

    return ibis.schema(dict(COLUMNS))
