"""The desk asks the core its questions about a dossier (``cchc.service.dossier``).

"Is the clock running", "is it overdue at t", "which actions are allowed now" and the export
row are the core's; the work list keeps a SQL fast path for its lists and counts, held
equal to the core here for every status, late flag and appointment.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from desk.desk_fixtures import MONDAY

from cchc.service.dossier import Deadline, ledger_record
from cchc.service.schema import BOOLEAN_COLUMNS, STATUSES, TERMINAL_STATUSES
from cchc.web.desk import services, worklist
from cchc.web.desk.clock import TZ, to_local
from cchc.web.desk.ledger import ledger_table
from cchc.web.desk.models import Dossier

pytestmark = pytest.mark.django_db

# Appointments relative to the moment judged: none, yesterday, an hour ago, in 20 minutes,
# in an hour, tomorrow.
OFFSETS = (
    None,
    dt.timedelta(days=-1),
    dt.timedelta(hours=-1),
    dt.timedelta(minutes=20),
    dt.timedelta(hours=1),
    dt.timedelta(hours=20),
)


def every_kind_of_dossier(unit: Any, moment: dt.datetime) -> list[Dossier]:
    made = []
    for n, (status, late, offset) in enumerate(itertools.product(STATUSES, (False, True), OFFSETS)):
        due = None if offset is None else moment + offset
        made.append(
            Dossier.objects.create(
                code=f"{unit.code}-250303-{n + 1:04d}",
                unit=unit,
                procedure_code="HT-KS",
                channel="counter",
                status=status,
                supplement_late=late,
                received_at=MONDAY,
                due_at=due,
                finished_at=moment if status in TERMINAL_STATUSES else None,
            )
        )
    return made


@pytest.mark.parametrize(
    "moment",
    [
        MONDAY.replace(day=5, hour=11),
        # 06:30 in Vietnam is 23:30 UTC the day before: "today" is Vietnam's day.
        dt.datetime(2025, 3, 4, 23, 30, tzinfo=dt.UTC).astimezone(TZ),
        MONDAY.replace(day=5, hour=23, minute=30),
    ],
)
def test_the_work_lists_sql_agrees_with_the_core_for_every_kind_of_dossier(
    desk: Any, clock: Any, moment: dt.datetime
) -> None:
    clock(moment)
    made = every_kind_of_dossier(desk.unit_a, moment)
    local = to_local(moment)
    assert local is not None
    core = {d.code: services.to_core(d) for d in made}
    marks = {code: value.deadline(local) for code, value in core.items()}

    def codes(rows: Any) -> set[str]:
        return set(rows.values_list("code", flat=True))

    assert codes(worklist.open_dossiers(desk.unit_a)) == {c for c, v in core.items() if v.is_open}
    assert codes(worklist.due_today(desk.unit_a)) == {c for c, m in marks.items() if m is Deadline.DUE_TODAY}
    assert codes(worklist.overdue(desk.unit_a)) == {c for c, m in marks.items() if m is Deadline.OVERDUE}
    assert worklist.counts(desk.unit_a) == worklist.Counts(
        sum(v.is_open for v in core.values()),
        sum(m is Deadline.DUE_TODAY for m in marks.values()),
        sum(m is Deadline.OVERDUE for m in marks.values()),
    )
    # The rows' marks and the dossier page's warning are the core's too.
    rows = worklist.rows(worklist.listing(desk.unit_a, "all"))
    assert {r.code: r.warning for r in rows} == {c: m.value for c, m in marks.items()}
    assert all(worklist.warning(d) == marks[d.code].value for d in made)
    assert {Deadline.NONE, Deadline.DUE_TODAY, Deadline.OVERDUE} <= set(marks.values())


def test_the_dossier_page_offers_what_the_core_allows_and_hides_a_too_late_apology(
    desk: Any, dossier_a: Any, clock: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    due = dossier_a.due_at.astimezone(TZ)
    clock(due - dt.timedelta(days=2))
    page = html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    assert page.xpath("//form[@id='act-xin-loi']")
    # Less than a day before the due date the core refuses an apology (Decree 61/2018 Art.
    # 19(3)): the page no longer offers a form that could only be refused.
    clock(due - dt.timedelta(hours=12))
    page = html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    offered = {f.get("id").removeprefix("act-") for f in page.xpath("//section[@class='actions']/form")}
    local = to_local(due - dt.timedelta(hours=12))
    assert local is not None
    allowed = services.to_core(dossier_a).allowed_events(local)
    from cchc.web.desk.views import ACTIONS

    assert offered == {slug for slug, (event, _l, _f) in ACTIONS.items() if event in allowed}
    assert "xin-loi" not in offered and "chuyen-xu-ly" in offered


def test_the_ledger_export_and_the_survey_frame_are_the_cores_record_of_each_dossier(
    desk: Any, clock: Any
) -> None:
    moment = MONDAY.replace(day=5, hour=11)
    made = every_kind_of_dossier(desk.unit_a, moment)
    exported = {r["dossier_code"]: r for r in ledger_table(Dossier.objects.all()).to_pylist()}
    for d in made:
        state = {
            "dossier_code": d.code,
            "unit_code": d.unit.code,
            **{f: getattr(d, f) for f in ("procedure_code", "status", "channel", "supplement_count")},
            **{f: to_local(getattr(d, f)) for f in ("received_at", "due_at", "finished_at", "due_before_restart")},
            **{f: getattr(d, f) for f in (*BOOLEAN_COLUMNS, "rating", "supplement_late")},
        }
        assert exported[d.code] == ledger_record(state), d.code


def test_the_survey_sampling_frame_is_the_desk_export_of_the_finished_dossiers(
    desk: Any, clock: Any
) -> None:
    from cchc.web.surveys.sampling import LEDGER_COLUMNS, desk_ledger

    moment = MONDAY.replace(day=5, hour=11)
    made = every_kind_of_dossier(desk.unit_a, moment)

    class Survey:  # only what desk_ledger reads
        period = "2025-Q1"

        class campaign:
            class units:
                @staticmethod
                def select_related(_name: str) -> list[Any]:
                    return [type("CU", (), {"unit": desk.unit_a})()]

    frame = desk_ledger(Survey()).to_pylist()  # type: ignore[arg-type]
    exported = {r["dossier_code"]: r for r in ledger_table(Dossier.objects.all()).to_pylist()}
    assert frame == [
        {c: exported[d.code][c] for c in LEDGER_COLUMNS}
        for d in sorted(made, key=lambda d: d.code)
        if d.status in ("finished", "returned")
    ]
