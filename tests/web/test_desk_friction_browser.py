"""Issue 14 in Debian's Chromium: the officer's refusal asks first (the box, then the
dialog) and prints form 03 with its reason; a citizen on a phone looks a code up typed in
lower case. Screenshots go to test-artifacts/desk-friction/."""

from __future__ import annotations

from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403

from cchc.web.desk.models import Dossier

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_units"),
]

SCREENSHOTS = "desk-friction"


def test_a_refusal_asks_for_the_box_then_the_dialog_and_prints_its_reason(
    live_server: Any, page: Any, login: Any, shot: Any, desk: Any, dossier_a: Dossier
) -> None:
    desk.officer_a.last_name, desk.officer_a.first_name = "Trần Thị", "Hoa"
    desk.officer_a.save()
    url = f"{live_server.url}/mot-cua/ho-so/{dossier_a.code}/"
    login(page, "motcua.a", next=f"/mot-cua/ho-so/{dossier_a.code}/")
    dialogs: list[str] = []
    answer = {"accept": False}

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    page.on("dialog", on_dialog)
    form = page.locator("#act-tu-choi")
    # Without the reason and the box the browser itself stops the form: no dialog, no post.
    form.locator("button[type=submit]").click()
    assert dialogs == [] and page.url == url
    form.locator("textarea[name=note]").fill("Hồ sơ không thuộc thẩm quyền của phường")
    form.locator("button[type=submit]").click()
    assert dialogs == [] and page.url == url  # the confirmation box is still empty
    form.locator("input[name=confirm]").check()
    shot(page, "01-tu-choi-xac-nhan")
    # The dialog asks; "Cancel" leaves the dossier as it was.
    form.locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert len(dialogs) == 1 and dossier_a.code in dialogs[0] and "không thể hoàn tác" in dialogs[0]
    assert page.url == url and page.locator("#status").inner_text() == "mới tiếp nhận"
    assert Dossier.objects.get(pk=dossier_a.pk).status == "received"
    # "OK" records it and opens form 03 with the reason.
    answer["accept"] = True
    with page.expect_navigation(url="**/mau-3/"):
        form.locator("button[type=submit]").click()
    assert len(dialogs) == 2
    assert page.locator("#form-note").inner_text() == "Hồ sơ không thuộc thẩm quyền của phường"
    assert page.locator("#form-reference").inner_text() == "Mẫu số 03, Thông tư 01/2018/TT-VPCP"
    assert page.locator("#date-line").inner_text() == "Bồng Sơn, ngày 03 tháng 3 năm 2025"
    assert page.locator("#signatures .signer-name").all_inner_texts() == ["Trần Thị Hoa"]
    shot(page, "02-mau-03")
    page.goto(url)
    assert page.locator("#status").inner_text() == "bị từ chối"
    labels = page.locator("#events tbody tr td.event-label").all_inner_texts()
    assert labels == ["Tiếp nhận hồ sơ", "Từ chối"]


def test_a_citizen_on_a_phone_finds_a_code_typed_in_lower_case(
    live_server: Any, new_page: Any, shot: Any, dossier_a: Dossier
) -> None:
    phone = new_page(phone=True)
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.goto(live_server.url + "/tra-cuu/")
    phone.fill("#id-ma", "bso-250303-0001 ")
    phone.click("#lookup-form button[type=submit]")
    phone.wait_for_selector("#lookup-result")
    assert phone.locator("#r-code").inner_text() == "BSO-250303-0001"
    assert phone.locator("#r-status").inner_text() == "mới tiếp nhận"
    assert phone.locator("#lookup-error").count() == 0
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert errors == []
    shot(phone, "03-tra-cuu-chu-thuong")
