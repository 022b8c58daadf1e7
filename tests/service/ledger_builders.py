"""Builders for hand-made dossiers and a one-call index on DuckDB (imported by the tests here)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pyarrow as pa

from cchc.service.engines import compute_index, duckdb_from_arrow
from cchc.service.index import ServiceIndex
from cchc.service.schema import arrow_schema

_seq = itertools.count(1)


def at(text: str) -> dt.datetime:
    """'2025-01-02 08:00' → datetime (local time, as the ledger stores it)."""
    return dt.datetime.fromisoformat(text)


def dossier(**fields: Any) -> dict[str, Any]:
    """A complete interchange record: an on-time counter dossier of unit U1 unless overridden."""
    received = fields.get("received_at", at("2025-01-02 08:00"))
    if isinstance(received, str):
        received = at(received)
    record: dict[str, Any] = {
        "dossier_code": f"H12.1-{received:%y%m%d}-{next(_seq) % 10000 or 1:04d}",
        "unit_code": "U1",
        "procedure_code": "P1",
        "received_at": received,
        "due_at": at("2025-01-10 17:00"),
        "finished_at": None,
        "status": "processing",
        "channel": "counter",
        "online_eligible": False,
        "supplement_count": 0,
        "supplement_requested_at": None,
        "supplement_completed_at": None,
        "has_fee": False,
        "paid_online": False,
        "requires_result_document": False,
        "e_result": False,
        "digitised": False,
        "reused_data": False,
        "rating": None,
        "has_complaint": False,
    }
    for key, value in fields.items():
        if key.endswith("_at") and isinstance(value, str):
            value = at(value)
        record[key] = value
    if record["finished_at"] is not None and "status" not in fields:
        record["status"] = "finished"
    return record


def ledger(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=arrow_schema())


def run_index(rows: list[dict[str, Any]], period: str = "2025-Q1") -> ServiceIndex:
    return compute_index(duckdb_from_arrow(ledger(rows)), period)
