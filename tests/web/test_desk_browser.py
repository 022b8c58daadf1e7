"""The one-stop desk in Debian's Chromium: receive, pass the first date, apologise, return, look up, rate.

Time moves through the desk's injected clock (``settings.CCHC_DESK_NOW``), read by the live
server running in this process: no sleeping. Screenshots of each step go to
test-artifacts/desk/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from desk.desk_fixtures import MONDAY

from cchc.web.desk.models import Dossier, Rating

# The cast needs the units first (transactional tests flush the database afterwards).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_units")]

SCREENSHOTS = "desk"


def test_officer_receives_apologises_returns_and_the_citizen_looks_up_and_rates(
    live_server: Any, new_page: Any, login: Any, shot: Any, desk: Any, clock: Any
) -> None:
    officer = new_page()
    login(officer, "motcua.a", next="/mot-cua/tiep-nhan/")

    # Monday 09:00: a marital-status certificate, 3 working days → Thursday.
    officer.select_option("#id_procedure", label="HT-HN — Xác nhận tình trạng hôn nhân")
    officer.fill("#id_applicant_name", "Lê Thị Mai")
    officer.fill("#id_applicant_phone", "0905123456")
    officer.fill("#id_note", "Tờ khai; căn cước")
    shot(officer, "01-tiep-nhan")
    officer.click("#receive-form button[type=submit]")
    officer.wait_for_url("**/mot-cua/ho-so/BSO-250303-0001/")
    assert officer.locator("#status").inner_text() == "mới tiếp nhận"
    assert officer.locator("#due-at").inner_text() == "06/03/2025 17:00"
    officer.click("#print-1")
    assert officer.locator("#form-due").inner_text() == "06/03/2025 17:00"
    key = officer.locator("#form-rating-key").inner_text()  # the citizen's receipt
    assert officer.locator("#form-rating-qr svg").count() == 1
    shot(officer, "02-giay-hen-mau-01")

    # Wednesday: the file will not be ready by Thursday; the apology (form 04) sets a new date.
    clock(MONDAY + dt.timedelta(days=2))
    officer.goto(live_server.url + "/mot-cua/ho-so/BSO-250303-0001/")
    officer.fill("#act-xin-loi input[name=new_due]", "12/03/2025")
    officer.fill("#act-xin-loi input[name=note]", "cần xác minh tại nơi cư trú trước đây")
    officer.click("#act-xin-loi button[type=submit]")
    officer.wait_for_url("**/mau-4/")
    assert officer.locator("#form-old-due").inner_text() == "06/03/2025 17:00"
    assert officer.locator("#form-new-due").inner_text() == "12/03/2025 17:00"
    shot(officer, "03-thu-xin-loi-mau-04")

    # Friday: the first date has passed; against the new date the file is not overdue.
    clock(MONDAY + dt.timedelta(days=4, hours=1))
    officer.goto(live_server.url + "/mot-cua/?loc=all")
    row = officer.locator("#dossiers tbody tr[data-code='BSO-250303-0001']")
    assert row.get_attribute("class") == ""
    officer.goto(live_server.url + "/mot-cua/ho-so/BSO-250303-0001/")
    assert officer.locator("#original-due-at").inner_text() == "06/03/2025 17:00"
    officer.check("#act-tra-ket-qua input[name=e_result]")
    officer.click("#act-tra-ket-qua button[type=submit]")
    officer.wait_for_url("**/mot-cua/ho-so/BSO-250303-0001/")
    assert officer.locator("#status").inner_text() == "đã trả kết quả"
    shot(officer, "04-tra-ket-qua")

    # The citizen, not signed in, looks the dossier up and rates it once.
    citizen = new_page()
    citizen.goto(live_server.url + "/tra-cuu/")
    citizen.fill("#id-ma", "BSO-250303-0001")
    citizen.fill("#id-k", key)
    citizen.click("#lookup-form button[type=submit]")
    citizen.wait_for_selector("#lookup-result")
    assert citizen.locator("#r-status").inner_text() == "đã trả kết quả"
    assert citizen.locator("#r-due").inner_text() == "12/03/2025 17:00"
    assert citizen.locator("#r-timeliness").get_attribute("data-value") == "early"
    assert "Lê Thị Mai" not in citizen.content() and "0905123456" not in citizen.content()
    shot(citizen, "05-tra-cuu")
    citizen.check("#rating-form input[name=value][value=like]")
    citizen.select_option("#id_c_attitude", "3")
    citizen.select_option("#id_c_time", "2")
    citizen.click("#rating-form button[type=submit]")
    citizen.wait_for_selector("#rated")
    assert "Cảm ơn" in citizen.locator(".messages").inner_text()
    assert citizen.locator("#rating-form").count() == 0
    shot(citizen, "06-danh-gia")

    rating = Rating.objects.get(dossier__code="BSO-250303-0001")
    assert (rating.value, rating.criteria) == ("like", {"attitude": 3, "time": 2})
    assert list(Dossier.objects.get(code="BSO-250303-0001").events.values_list("event", flat=True)) == [
        "received", "apology", "returned", "rated",
    ]
