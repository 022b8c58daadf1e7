"""The feedback register: reading it (all or nothing) and 766 indicators 5.2 and 5.3."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.calendar import default_calendar
from cchc.service.feedback import Feedback, feedback_counts, read_feedback
from cchc.service.period import parse_period
from cchc.service.problems import LedgerImportError

HEADER = "feedback_id,unit_code,received_at,handled_at,kind,dossier_code,confirmed,dissatisfied\n"


def write(tmp_path, body: str):
    path = tmp_path / "pakn.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def fb(ident: str, received: str, handled: str | None = None, **kw) -> Feedback:
    return Feedback(
        ident, kw.pop("unit_code", "U1"), dt.datetime.fromisoformat(received),
        dt.datetime.fromisoformat(handled) if handled else None, kw.pop("kind", "complaint"), **kw,
    )


def test_a_register_is_read_with_dates_booleans_and_optional_dossier(tmp_path):
    path = write(tmp_path, "F1,U1,02/01/2025 09:00,2025-01-10 10:00,complaint,H12.1-250102-0001,1,\n"
                           "F2,U2,2025-01-03,,suggestion,,,\n")
    f1, f2 = read_feedback(path)
    assert f1.received_at == dt.datetime(2025, 1, 2, 9, 0) and f1.confirmed and not f1.dissatisfied
    assert f1.dossier_code == "H12.1-250102-0001"
    assert f2.handled_at is None and f2.dossier_code is None and f2.kind == "suggestion"


def test_every_bad_cell_is_reported_with_file_row_and_column_and_nothing_is_returned(tmp_path):
    path = write(tmp_path, "F1,U1,2025-01-02,2025-01-01,complaint,,,\n"   # handled before receipt
                           "F1,U1,30/02/2025,,praise,,maybe,\n"            # duplicate id, bad date, kind, bool
                           ",U1,2025-01-02,,complaint,,,\n")               # empty id
    with pytest.raises(LedgerImportError) as err:
        read_feedback(path)
    where = {(p.row, p.column) for p in err.value.problems}
    assert where == {
        (2, "handled_at"), (3, "feedback_id"), (3, "received_at"), (3, "kind"),
        (3, "confirmed"), (4, "feedback_id"),
    }
    assert all(p.file == str(path) for p in err.value.problems)


def test_a_missing_required_column_is_named(tmp_path):
    path = tmp_path / "pakn.csv"
    path.write_text("feedback_id,unit_code,received_at\nF1,U1,2025-01-02\n", encoding="utf-8")
    with pytest.raises(LedgerImportError, match="cột kind: thiếu cột bắt buộc"):
        read_feedback(path)


def test_the_deadline_is_15_working_days_after_the_receipt_day():
    # Thu 02/01/2025 + 15 working days (no holiday until Tết on 25/01) = Thu 23/01/2025.
    assert fb("F", "2025-01-02 09:00").deadline(default_calendar()) == dt.date(2025, 1, 23)
    # Fri 20/12/2024: 1 January 2025 is a holiday (Labour Code Art. 112) → Mon 13/01/2025.
    assert fb("F", "2024-12-20 09:00").deadline(default_calendar()) == dt.date(2025, 1, 13)


def test_indicators_5_2_and_5_3_count_as_the_portal_formula_describes():
    register = (
        fb("F1", "2025-01-02 09:00", "2025-01-23 16:00"),  # handled on the deadline's day
        fb("F2", "2025-01-02 09:00", "2025-01-24 08:00"),  # a day late
        fb("F3", "2025-01-02 09:00"),                      # pending, deadline passed
        fb("F4", "2025-03-25 09:00"),                      # pending, deadline after the period
        fb("F5", "2024-12-01 09:00", "2024-12-10 09:00"),  # handled before the period: out
        fb("F6", "2024-12-20 09:00", "2025-01-06 09:00"),  # carried over, on time; not 5.3
        fb("F7", "2025-01-10 09:00", "2025-01-15 09:00", dissatisfied=True),
        fb("F8", "2025-04-01 09:00", unit_code="U1"),      # after the period: out
    )
    (unit, counts), = feedback_counts(register, parse_period("2025-Q1"), default_calendar()).items()
    assert unit == "U1"
    # 5.2: in scope F1 F2 F3 F4 F6 F7, on time F1 F4 F6 F7.
    assert (counts.on_time, counts.in_scope) == (4, 6)
    # 5.3: received in the period F1 F2 F3 F4 F7; satisfied unless late or dissatisfied: F1 F4.
    assert (counts.satisfied, counts.received) == (2, 5)
