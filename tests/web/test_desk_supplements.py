"""Supplements at the desk: the appointment counts again from the complete dossier (Decree 61),
a request after 3 working days is warned, confirmed and held against the agency, and the 766
index still subtracts the citizen's time from the appointment given at receipt.

``dossier_a`` is a marital-status certificate (3 working days) received on Monday 03/03/2025
at 09:00: appointment Thursday 06/03 17:00, last day to request a supplement Thursday 06/03.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403

from cchc.fmt import format_datetime
from cchc.service.period import parse_period
from cchc.service.timeliness import DossierTimes, SupplementRule, Timeliness, classify
from cchc.web.desk import dashboard, services
from cchc.web.desk.clock import TZ, to_local
from cchc.web.desk.ledger import ledger_table
from cchc.web.desk.lookup import public_view
from cchc.web.desk.models import Dossier, DossierEvent
from cchc.web.desk.services import act

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of March 2025 in Vietnam."""
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=TZ)


RECEIPT_DUE = at(6, 17)  # 3 working days after Monday 03/03
RESTARTED_DUE = at(13, 17)  # 3 working days after the papers came back on Monday 10/03


def supplemented(dossier: Dossier, desk: Any, clock: Any) -> Dossier:
    """Papers asked for on Tuesday 04/03 (in time), brought back on Monday 10/03 at 10:00."""
    clock(at(4, 10))
    d = act(dossier, "supplement_requested", user=desk.officer_a, note="thiếu bản sao CCCD")
    clock(at(10, 10))
    return act(d, "supplement_completed", user=desk.officer_a)


def error_messages(tree: Any) -> list[str]:
    return [
        li.text_content()
        for li in tree.xpath("//ul[@class='messages']/li[contains(@class, 'error')]")
    ]


# --- Decree 61: the appointment counts again from the complete dossier -----------------------


def test_completing_a_supplement_recomputes_the_appointment_and_records_who_when_old_and_new(
    dossier_a: Dossier, desk: Any, clock: Any
) -> None:
    assert dossier_a.due_at == RECEIPT_DUE
    d = supplemented(dossier_a, desk, clock)
    # The same function as at receipt: the procedure's limit through the working-day calendar.
    limit = services.core_procedure(d.procedure)  # type: ignore[arg-type]
    assert to_local(d.due_at) == limit.due_at(to_local(at(10, 10)))  # type: ignore[arg-type]
    assert d.due_at == RESTARTED_DUE
    assert d.due_before_restart == RECEIPT_DUE and d.original_due_at is None
    event = DossierEvent.objects.get(dossier=d, event="supplement_completed")
    assert (event.old_due_at, event.new_due_at) == (RECEIPT_DUE, RESTARTED_DUE)
    assert (event.at, event.actor, event.warning) == (at(10, 10), desk.officer_a, "")
    assert "tính lại" in event.note and "Nghị định 61/2018" in event.note


def test_with_the_restart_turned_off_the_appointment_stays_and_the_history_says_why(
    dossier_a: Dossier, desk: Any, clock: Any, settings: Any
) -> None:
    settings.CCHC_SUPPLEMENT_RESTART = False
    d = supplemented(dossier_a, desk, clock)
    assert d.due_at == RECEIPT_DUE and d.due_before_restart is None
    event = DossierEvent.objects.get(dossier=d, event="supplement_completed")
    assert event.old_due_at is None and event.new_due_at is None
    assert "Không tính lại ngày hẹn" in event.note


def test_the_dossier_page_the_work_list_and_the_receipt_show_the_new_appointment(
    dossier_a: Dossier, desk: Any, clock: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    clock(at(4, 10))
    client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/yeu-cau-bo-sung/", {"version": 1, "note": "thiếu CCCD"}
    )
    clock(at(10, 10))
    done = client.post(f"/mot-cua/ho-so/{dossier_a.code}/da-bo-sung/", {"version": 2}, follow=True)
    infos = [
        li.text_content()
        for li in html(done.content).xpath("//ul[@class='messages']/li[contains(@class, 'info')]")
    ]
    assert infos == ["Ngày hẹn trả mới: 13/03/2025 17:00 (in lại mẫu 01)."]

    # Monday 10/03, 11:00: past the receipt's date (06/03), well before the new one.
    clock(at(10, 11))
    page = html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    assert page.get_element_by_id("due-at").text == "13/03/2025 17:00"
    assert page.get_element_by_id("due-before-restart").text.strip() == "06/03/2025 17:00"
    assert not page.xpath("//*[@id='warning']")
    history = page.xpath("//table[@id='events']/tbody/tr[@data-event='supplement_completed']/td")
    assert history[5].text_content().strip() == "06/03/2025 17:00 → 13/03/2025 17:00"
    rows = html(client.get("/mot-cua/").content)
    row = rows.xpath(f"//table[@id='dossiers']/tbody/tr[@data-code='{dossier_a.code}']")[0]
    assert row.get("class") == "" and row.xpath("td")[5].text == "13/03/2025 17:00"
    assert rows.get_element_by_id("count-overdue").text == "0"

    clock(at(13, 11))  # the new appointment's day
    row = html(client.get("/mot-cua/").content).xpath(f"//tr[@data-code='{dossier_a.code}']")[0]
    assert row.get("class") == "warn-today"
    assert (
        html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
        .get_element_by_id("warning")
        .text
        == "Hồ sơ đến hạn hôm nay"
    )

    receipt = html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/mau-1/").content)
    assert (
        receipt.get_element_by_id("form-due").text == "06/03/2025 17:00"
    )  # what was written at receipt
    assert receipt.get_element_by_id("form-restarted-due").text == "13/03/2025 17:00"


def test_both_rules_keep_their_documented_results_on_a_dossier_with_a_supplement(
    dossier_a: Dossier, desk: Any, clock: Any
) -> None:
    d = supplemented(dossier_a, desk, clock)  # citizen away 6 days: 04/03 10:00 → 10/03 10:00
    clock(at(13, 16))
    d = act(d, "finished", user=desk.officer_a)
    row = ledger_table(Dossier.objects.filter(pk=d.pk)).to_pylist()[0]
    # The export carries the appointment given at receipt and both supplement times.
    assert row["due_at"] == to_local(RECEIPT_DUE)
    assert (row["supplement_requested_at"], row["supplement_completed_at"]) == (
        to_local(at(4, 10)),
        to_local(at(10, 10)),
    )
    times = DossierTimes.from_record(row)
    procedure = services.core_procedure(d.procedure)  # type: ignore[arg-type]
    # 766 (docs/service.md): end 13/03 16:00 − 6 days = 07/03 16:00, after 06/03 17:00.
    assert classify(times, dt.datetime(2025, 6, 1), SupplementRule.SUBTRACT) is Timeliness.OVERDUE
    # Decree 61: recomputed from the completion = the desk's new appointment, met on the day.
    assert (
        classify(times, dt.datetime(2025, 6, 1), SupplementRule.RESTART, procedure=procedure)
        is Timeliness.ON_TIME
    )
    assert procedure.due_at(row["supplement_completed_at"]) == to_local(d.due_at)
    # Judging the 766 rule against the recomputed date would have said "early": it must not.
    wrong = DossierTimes.from_record({**row, "due_at": to_local(d.due_at)})
    assert classify(wrong, dt.datetime(2025, 6, 1), SupplementRule.SUBTRACT) is Timeliness.EARLY
    # The dashboard and the public look-up read the same export.
    indicator = dashboard.compute(parse_period("2025-Q1"), ["BSO"]).units[0].indicators["2.1"]
    assert (indicator.numerator, indicator.denominator) == (0, 1)
    assert (
        public_view(Dossier.objects.select_related("unit", "procedure").get(pk=d.pk)).timeliness
        == "overdue"
    )


# --- The 3-working-day limit: warned, confirmed, held against the agency ---------------------


def test_a_request_on_the_last_day_needs_no_confirmation(
    dossier_a: Dossier, desk: Any, clock: Any, html: Any
) -> None:
    clock(at(6, 16))
    page = html(desk.client("officer_a").get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    assert page.get_element_by_id("supplement-deadline").text.startswith(
        "Hạn yêu cầu bổ sung: 06/03/2025"
    )
    assert not page.xpath("//*[@id='late-supplement-warning']")
    d = act(dossier_a, "supplement_requested", user=desk.officer_a)
    assert d.status == "supplement_requested" and not d.supplement_late


def test_a_late_request_is_refused_until_the_officer_confirms_it_and_nothing_is_written(
    dossier_a: Dossier, desk: Any, clock: Any
) -> None:
    clock(at(7, 10))  # Friday: a working day past the limit
    with pytest.raises(
        services.DeskError, match="quá 3 ngày làm việc kể từ ngày tiếp nhận"
    ) as refused:
        act(dossier_a, "supplement_requested", user=desk.officer_a, note="thiếu giấy")
    assert "06/03/2025" in str(refused.value) and "xác nhận" in str(refused.value)
    unchanged = Dossier.objects.get(pk=dossier_a.pk)
    assert (unchanged.status, unchanged.version, unchanged.supplement_count) == ("received", 1, 0)
    assert not DossierEvent.objects.filter(dossier=dossier_a, event="supplement_requested").exists()


def test_the_officer_sees_the_warning_before_confirming_and_the_late_request_is_recorded(
    dossier_a: Dossier, desk: Any, clock: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    clock(at(7, 10))
    page = html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    warning = page.get_element_by_id("late-supplement-warning").text_content()
    assert "yêu cầu bổ sung quá 3 ngày làm việc kể từ ngày tiếp nhận" in warning
    assert "thời hạn giải quyết không dừng" in warning
    box = page.xpath("//form[@id='act-yeu-cau-bo-sung']//input[@name='accept_late']")[0]
    assert box.get("type") == "checkbox" and box.get("required") is not None

    url = f"/mot-cua/ho-so/{dossier_a.code}/yeu-cau-bo-sung/"
    refused = client.post(url, {"version": 1, "note": "thiếu giấy khai sinh"}, follow=True)
    assert "quá 3 ngày làm việc" in error_messages(html(refused.content))[0]
    assert Dossier.objects.get(pk=dossier_a.pk).status == "received"

    confirmed = client.post(
        url, {"version": 1, "note": "thiếu giấy khai sinh", "accept_late": "on"}
    )
    assert confirmed.status_code == 302 and confirmed["Location"].endswith("/mau-2/")
    d = Dossier.objects.get(pk=dossier_a.pk)
    assert (d.status, d.supplement_count, d.supplement_late) == ("supplement_requested", 1, True)
    event = DossierEvent.objects.get(dossier=d, event="supplement_requested")
    assert (
        event.warning
        == "Yêu cầu bổ sung quá 3 ngày làm việc kể từ ngày tiếp nhận; thời hạn giải quyết không dừng"
    )
    assert (event.actor, event.at, event.note) == (
        desk.officer_a,
        at(7, 10),
        "thiếu giấy khai sinh",
    )
    # Form 02 lists the missing papers only; the dossier page and its history carry the warning.
    assert (
        html(client.get(confirmed["Location"]).content).get_element_by_id("form-note").text
        == "thiếu giấy khai sinh"
    )
    page = html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    assert "quá 3 ngày làm việc" in page.get_element_by_id("supplement-late").text
    assert page.xpath("//tr[@data-event='supplement_requested']//strong[@class='event-warning']")


def test_a_late_request_stops_no_clock_and_counts_against_the_agency_in_the_index(
    dossier_a: Dossier, desk: Any, catalogue: Any, clock: Any
) -> None:
    in_time = services.receive(
        desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="B"
    )
    clock(at(4, 10))
    in_time = act(in_time, "supplement_requested", user=desk.officer_a)
    clock(at(7, 10))
    late = act(dossier_a, "supplement_requested", user=desk.officer_a, accept_late=True)
    clock(at(12, 10))  # both brought back on Wednesday 12/03
    in_time = act(in_time, "supplement_completed", user=desk.officer_a)
    late = act(late, "supplement_completed", user=desk.officer_a)
    assert in_time.due_at == at(17, 17)  # restarted: 3 working days after 12/03
    assert late.due_at == RECEIPT_DUE  # the agency's own delay restarts nothing
    assert "quá hạn" in DossierEvent.objects.get(dossier=late, event="supplement_completed").note
    clock(at(13, 9))
    for d in (in_time, late):
        act(d, "finished", user=desk.officer_a)

    rows = {r["dossier_code"]: r for r in ledger_table(Dossier.objects.all()).to_pylist()}
    # The late request goes out without its times, still counted: nothing to subtract.
    assert (rows[late.code]["supplement_count"], rows[late.code]["supplement_requested_at"]) == (
        1,
        None,
    )
    assert rows[in_time.code]["supplement_requested_at"] == to_local(at(4, 10))
    judged = {
        code: classify(DossierTimes.from_record(r), dt.datetime(2025, 6, 1))
        for code, r in rows.items()
    }
    # In time: 13/03 09:00 − 8 days = 05/03 09:00, before 06/03. Late: 13/03 against 06/03.
    assert judged == {in_time.code: Timeliness.EARLY, late.code: Timeliness.OVERDUE}
    indicator = dashboard.compute(parse_period("2025-Q1"), ["BSO"]).units[0].indicators["2.1"]
    assert (indicator.numerator, indicator.denominator) == (1, 2)


def test_the_export_agrees_with_the_core_record_of_every_dossier(
    dossier_a: Dossier, desk: Any, catalogue: Any, clock: Any
) -> None:
    other = services.receive(
        desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="C"
    )
    supplemented(dossier_a, desk, clock)
    clock(at(7, 10))
    act(other, "supplement_requested", user=desk.officer_a, accept_late=True)
    exported = {r["dossier_code"]: r for r in ledger_table(Dossier.objects.all()).to_pylist()}
    for row in Dossier.objects.select_related("unit"):
        record = services.to_core(row).to_record()
        assert {k: exported[row.code][k] for k in record} == record
    assert format_datetime(exported[dossier_a.code]["due_at"]) == "06/03/2025 17:00"


def test_the_work_list_keeps_warning_about_a_dossier_whose_late_request_stops_no_clock(
    dossier_a: Dossier, desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    in_time = services.receive(
        desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="B"
    )
    clock(at(4, 10))
    act(in_time, "supplement_requested", user=desk.officer_a)  # the citizen's turn
    clock(at(7, 10))
    act(dossier_a, "supplement_requested", user=desk.officer_a, accept_late=True)
    clock(at(7, 11))  # both appointments (06/03 17:00) have passed; both wait for papers
    client = desk.client("officer_a")
    tree = html(client.get("/mot-cua/").content)
    marks = {tr.get("data-code"): tr.get("class") for tr in tree.xpath("//tr[@data-code]")}
    assert marks == {dossier_a.code: "warn-overdue", in_time.code: ""}
    assert tree.get_element_by_id("count-overdue").text == "1"
    overdue = html(client.get("/mot-cua/", {"loc": "overdue"}, HTTP_HX_REQUEST="true").content)
    assert [tr.get("data-code") for tr in overdue.xpath("//tr[@data-code]")] == [dossier_a.code]
