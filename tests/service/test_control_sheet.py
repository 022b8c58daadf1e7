"""The process-control sheet: one line per hand-over, each judged against the appointment,
and which circular numbers the desk's papers on a date."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cchc.service.circular import Paper, circular_on, form_on
from cchc.service.control_sheet import Record, steps
from cchc.service.timeliness import DossierTimes, Timeliness, classify

D = dt.datetime
RECEIVED = D(2025, 3, 3, 9, 0)  # Monday
DUE = D(2025, 3, 6, 17, 0)  # Thursday, end of the working day
DESK = "Bộ phận một cửa"
NOW = D(2025, 6, 1)


def sheet(*records: Record, as_of: D = NOW, due: D | None = DUE):
    received = Record("received", RECEIVED, new_due_at=due)
    return steps([received, *records], received_at=RECEIVED, due_at=due, desk=DESK, as_of=as_of)


def test_a_dossier_never_transferred_has_no_lines():
    assert sheet() == ()
    assert sheet(Record("finished", D(2025, 3, 4, 10))) == ()


def test_each_transfer_is_a_line_from_the_previous_holder_until_it_is_handed_on():
    lines = sheet(
        Record("transferred", D(2025, 3, 3, 10), to="Tư pháp - hộ tịch", actor="motcua.a"),
        Record(
            "transferred", D(2025, 3, 4, 9), to="Lãnh đạo UBND", actor="tuphap", note="trình ký"
        ),
        Record("finished", D(2025, 3, 5, 15)),
    )
    assert [(s.number, s.giver, s.receiver, s.handed_on_to, s.end_event) for s in lines] == [
        (1, DESK, "Tư pháp - hộ tịch", "Lãnh đạo UBND", "transferred"),
        (2, "Tư pháp - hộ tịch", "Lãnh đạo UBND", DESK, "finished"),
    ]
    assert [s.received_at for s in lines] == [D(2025, 3, 3, 10), D(2025, 3, 4, 9)]
    assert [s.handed_on_at for s in lines] == [D(2025, 3, 4, 9), D(2025, 3, 5, 15)]
    assert [(s.handed_by, s.note) for s in lines] == [("motcua.a", ""), ("tuphap", "trình ký")]


def test_per_step_deadlines_are_not_invented_each_step_is_judged_by_the_dossiers_appointment():
    lines = sheet(
        Record("transferred", D(2025, 3, 3, 10), to="A"),
        Record("transferred", D(2025, 3, 6, 9), to="B"),  # A hands on on the due day
        Record("finished", D(2025, 3, 7, 8)),  # B finishes the morning after
    )
    assert all(s.due_at == DUE and not s.own_due for s in lines)
    assert [s.timeliness for s in lines] == [Timeliness.ON_TIME, Timeliness.OVERDUE]
    assert (
        sheet(
            Record("transferred", D(2025, 3, 3, 10), to="A"), Record("returned", D(2025, 3, 5, 9))
        )[0].timeliness
        is Timeliness.EARLY
    )


def test_the_step_still_holding_the_dossier_is_judged_now():
    lines = sheet(Record("transferred", D(2025, 3, 3, 10), to="A"), as_of=D(2025, 3, 6, 12))
    assert (lines[0].handed_on_at, lines[0].end_event, lines[0].timeliness) == (
        None,
        "",
        Timeliness.OPEN_WITHIN,
    )
    late = sheet(Record("transferred", D(2025, 3, 3, 10), to="A"), as_of=D(2025, 3, 7, 8))
    assert late[0].timeliness is Timeliness.OPEN_OVERDUE


def test_an_apology_moves_the_appointment_only_for_steps_ending_after_it():
    new_due = D(2025, 3, 12, 17)
    lines = sheet(
        Record("transferred", D(2025, 3, 3, 10), to="A"),
        Record("transferred", D(2025, 3, 4, 9), to="B"),
        Record("apology", D(2025, 3, 5, 9), new_due_at=new_due),
        Record("finished", D(2025, 3, 10, 9)),
    )
    assert [s.due_at for s in lines] == [DUE, new_due]
    assert [s.timeliness for s in lines] == [Timeliness.EARLY, Timeliness.EARLY]


def test_the_citizens_supplement_time_is_not_held_against_the_step():
    lines = sheet(
        Record("transferred", D(2025, 3, 3, 10), to="A"),
        Record("supplement_requested", D(2025, 3, 4, 9)),
        Record("supplement_completed", D(2025, 3, 7, 9)),  # three days with the citizen
        Record("finished", D(2025, 3, 8, 16)),  # past the date, within it once they are taken off
    )
    assert lines[0].timeliness is Timeliness.EARLY


def test_a_supplement_asked_for_late_stops_no_clock_and_a_restarted_date_is_not_taken():
    lines = sheet(
        Record("transferred", D(2025, 3, 3, 10), to="A"),
        Record("supplement_requested", D(2025, 3, 4, 9), late=True),
        Record("supplement_completed", D(2025, 3, 7, 9), new_due_at=D(2025, 3, 12, 17)),
        Record("finished", D(2025, 3, 8, 16)),
    )
    assert (lines[0].due_at, lines[0].timeliness) == (DUE, Timeliness.OVERDUE)


def test_records_are_read_in_time_order_whatever_order_they_come_in():
    a = Record("transferred", D(2025, 3, 3, 10), to="A")
    b = Record("transferred", D(2025, 3, 4, 9), to="B")
    end = Record("finished", D(2025, 3, 5, 9))
    assert sheet(end, b, a) == sheet(a, b, end)


def test_without_an_appointment_no_step_is_judged():
    lines = sheet(Record("transferred", D(2025, 3, 3, 10), to="A"), due=None)
    assert lines[0].timeliness is None


@given(
    gaps=st.lists(st.integers(min_value=1, max_value=60 * 24 * 6), min_size=2, max_size=6),
    due_after=st.integers(min_value=0, max_value=60 * 24 * 10),
)
def test_the_last_step_of_a_finished_dossier_has_the_whole_dossiers_result(gaps, due_after):
    at = RECEIVED
    records = []
    for gap in gaps[:-1]:
        at += dt.timedelta(minutes=gap)
        records.append(Record("transferred", at, to=f"bước {len(records) + 1}"))
    finished = at + dt.timedelta(minutes=gaps[-1])
    due = RECEIVED + dt.timedelta(minutes=due_after)
    lines = sheet(*records, Record("finished", finished), due=due)
    whole = classify(DossierTimes(RECEIVED, due, finished_at=finished), NOW)
    assert lines[-1].timeliness is whole
    assert len(lines) == len(gaps) - 1


def test_circular_01_2018_numbers_the_sheet_05_and_the_register_06_and_has_no_stop_notice():
    for day in (dt.date(2025, 6, 30), dt.date(2025, 7, 1), dt.date(2025, 9, 14)):
        # Until Circular 03/2025 was signed (15/09/2025), papers carry 01/2018's numbers.
        assert circular_on(day).name == "Thông tư 01/2018/TT-VPCP", day
        assert form_on(Paper.CONTROL_SHEET, day).label == "Mẫu số 05, Thông tư 01/2018/TT-VPCP"  # type: ignore[union-attr]
        assert form_on(Paper.REGISTER, day).number == 6  # type: ignore[union-attr]
        assert form_on(Paper.STOP_NOTICE, day) is None


def test_circular_03_2025_from_its_signing_day_adds_the_stop_notice_as_05_and_renumbers():
    day = dt.date(2025, 9, 15)
    notice = form_on(Paper.STOP_NOTICE, day)
    assert notice is not None and (notice.number, notice.title) == (
        5,
        "Thông báo dừng giải quyết hồ sơ",
    )
    assert form_on(Paper.CONTROL_SHEET, day).label == "Mẫu số 06, Thông tư 03/2025/TT-VPCP"  # type: ignore[union-attr]
    assert form_on(Paper.REGISTER, day).number == 7  # type: ignore[union-attr]
    assert circular_on(dt.date(2010, 1, 1)).name == "Thông tư 01/2018/TT-VPCP"
