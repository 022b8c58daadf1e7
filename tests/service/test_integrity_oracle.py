"""The exact ledger checks against a plain-Python reading of their definitions, on random
ledgers no one wrote by hand (timestamps on and around every boundary, missing values,
codes repeated inside and outside the period, several units).

The oracle below is written from the rules' text alone (docs/service.md, "What looks wrong
in a ledger"), not from ``cchc.service.integrity``:

- scope (2.1): received before the period's end and not finished before its start;
- ``supplement_after_due``: supplement requested after the appointment;
- ``supplement_last_day``: requested within the 24 hours up to the appointment, both ends in;
- ``impossible_times``: finished before received, appointment before received, request
  before received, or completion before request;
- ``duplicate_code``: the dossier's code occurs more than once in the whole ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_builders import dossier, ledger

from cchc.service.engines import duckdb_from_arrow
from cchc.service.integrity import RULES, duckdb_integrity, integrity
from cchc.service.period import parse_period

PERIOD = "2025-Q1"
START, END = dt.datetime(2025, 1, 1), dt.datetime(2025, 4, 1)
DUE = dt.datetime(2025, 2, 10, 17, 0)
# Instants on and around every boundary the rules and the scope draw.
INSTANTS = sorted(
    {
        START - dt.timedelta(days=3),
        START - dt.timedelta(seconds=1),
        START,
        START + dt.timedelta(days=1, hours=8),
        DUE - dt.timedelta(hours=24, seconds=1),
        DUE - dt.timedelta(hours=24),
        DUE - dt.timedelta(hours=3),
        DUE,
        DUE + dt.timedelta(seconds=1),
        END - dt.timedelta(seconds=1),
        END,
        END + dt.timedelta(days=2),
    }
)
instant = st.sampled_from(INSTANTS)
maybe = st.one_of(st.none(), instant)


@st.composite
def records(draw: Any) -> dict[str, Any]:
    requested = draw(maybe)
    return dossier(
        dossier_code=draw(st.sampled_from(["A-1", "A-2", "B-1", "B-2", "C-1", "C-2", "C-3"])),
        unit_code=draw(st.sampled_from(["U1", "U2", "U3"])),
        received_at=draw(instant),
        due_at=draw(st.one_of(st.just(DUE), maybe)),
        finished_at=draw(maybe),
        status="processing",
        supplement_requested_at=requested,
        supplement_completed_at=draw(maybe) if requested is not None else None,
        supplement_count=0 if requested is None else draw(st.integers(1, 2)),
    )


def oracle(rows: list[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """unit → rule → codes of the in-scope dossiers the rule finds (one entry a dossier)."""
    seen = Counter(r["dossier_code"] for r in rows)
    found: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        received, due, finished = r["received_at"], r["due_at"], r["finished_at"]
        asked, done = r["supplement_requested_at"], r["supplement_completed_at"]
        if not (received < END and (finished is None or finished >= START)):
            continue
        fired = {
            "supplement_after_due": asked is not None and due is not None and asked > due,
            "supplement_last_day": asked is not None
            and due is not None
            and due - dt.timedelta(hours=24) <= asked <= due,
            "impossible_times": (finished is not None and finished < received)
            or (due is not None and due < received)
            or (asked is not None and asked < received)
            or (done is not None and asked is not None and done < asked),
            "duplicate_code": seen[r["dossier_code"]] > 1,
        }
        unit = found.setdefault(r["unit_code"], {rule: [] for rule in RULES})
        for rule, hit in fired.items():
            if hit:
                unit[rule].append(r["dossier_code"])
    return found


def as_found(report: Any) -> dict[str, dict[str, list[str]]]:
    out = {}
    for unit in report.units:
        assert all(unit.checks[rule] == len(unit.codes[rule]) for rule in RULES)
        out[unit.unit_code] = {rule: sorted(unit.codes[rule]) for rule in RULES}
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=25))
def test_the_exact_rules_count_what_their_definitions_say(rows: list[dict[str, Any]]) -> None:
    expected = {
        unit: {rule: sorted(codes) for rule, codes in rules.items()}
        for unit, rules in oracle(rows).items()
    }
    table = ledger(rows)
    fast = duckdb_integrity(table, parse_period(PERIOD))
    assert fast is not None
    assert as_found(fast) == expected
    assert as_found(integrity(duckdb_from_arrow(table), PERIOD)) == expected
    totals = {rule: sum(len(u[rule]) for u in expected.values()) for rule in RULES}
    assert fast.totals == totals
