"""The desk's papers in Debian's Chromium: from the dossier page to the control sheet, from the
navigation to the register, each as it prints (toolbar and site header hidden).

Screenshots go to test-artifacts/desk-papers/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from desk.desk_fixtures import MONDAY

from cchc.web.desk.services import act, receive

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_units"),
]

SCREENSHOTS = "desk-papers"


def test_officer_prints_the_control_sheet_and_the_register(
    live_server: Any, new_page: Any, login: Any, shot: Any, desk: Any, catalogue: Any, clock: Any
) -> None:
    dossier = receive(
        desk.unit_a,
        catalogue["HT-HN"],
        user=desk.officer_a,
        applicant_name="Lê Thị Mai",
        applicant_phone="0905123456",
        applicant_address="Khu phố 2, phường Bồng Sơn",
    )
    clock(MONDAY + dt.timedelta(hours=1))
    dossier = act(dossier, "transferred", user=desk.officer_a, to="Công chức Tư pháp - hộ tịch")
    clock(MONDAY + dt.timedelta(days=1))
    dossier = act(
        dossier, "transferred", user=desk.officer_a, to="Lãnh đạo UBND phường", note="Trình ký"
    )
    clock(MONDAY + dt.timedelta(days=2))
    act(dossier, "finished", user=desk.officer_a)

    officer = new_page()
    login(officer, "motcua.a", next=f"/mot-cua/ho-so/{dossier.code}/")
    officer.click("#print-control-sheet")
    officer.wait_for_url(f"**/mot-cua/ho-so/{dossier.code}/phieu-kiem-soat/")
    assert officer.locator("#steps tbody tr").count() == 2
    assert officer.locator("#overall").inner_text() == "Trước hạn"
    shot(officer, "01-phieu-kiem-soat")
    officer.emulate_media(media="print")
    assert not officer.locator(".print-toolbar").is_visible()
    assert not officer.locator(".site-header").is_visible()
    shot(officer, "02-phieu-kiem-soat-ban-in")

    officer.emulate_media(media="screen")
    officer.click("nav.site-nav >> text=Sổ theo dõi hồ sơ")
    officer.fill("#register-filter input[name=tu]", "01/03/2025")
    officer.fill("#register-filter input[name=den]", "31/03/2025")
    officer.click("#register-filter button[type=submit]")
    officer.wait_for_url("**/mot-cua/so-theo-doi/?tu=01%2F03%2F2025&den=31%2F03%2F2025")
    assert officer.locator("#register-rows tbody tr[data-code]").count() == 1
    assert officer.locator("#register-total").inner_text() == "1"
    shot(officer, "03-so-theo-doi")
    with officer.expect_download() as download:
        officer.click("#register-xlsx")
    assert download.value.suggested_filename == "so-theo-doi-BSO-20250301-20250331.xlsx"
