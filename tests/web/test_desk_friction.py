"""Issue 14 at the desk: confirmation before irreversible actions and a required refusal
reason (item 1), the history in Vietnamese (item 2), printed forms 01–04 numbered by their
day's circular with the date line, signatures, full names and the full look-up address
(item 7), and a look-up that reads a code in any case and with stray spaces (item 8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from desk.desk_fixtures import MONDAY
from django.test import Client

from cchc.web.accounts.models import User
from cchc.web.desk.clock import TZ
from cchc.web.desk.models import Dossier, DossierEvent
from cchc.web.desk.services import DeskError, act, receive

pytestmark = pytest.mark.django_db

SEPTEMBER = dt.datetime(2025, 9, 22, 9, 0, tzinfo=TZ)  # a Monday under Circular 03/2025


def errors(tree: Any) -> list[str]:
    return [
        li.text_content()
        for li in tree.xpath("//ul[@class='messages']/li[contains(@class, 'error')]")
    ]


def named(desk: Any) -> Any:
    """Officer A with a full name in the account (Django: first name, then last name)."""
    desk.officer_a.last_name, desk.officer_a.first_name = "Trần Thị", "Hoa"
    desk.officer_a.save()
    return desk


# --- Item 1: confirmation and the refusal's reason ---------------------------------------------


def test_irreversible_actions_ask_for_confirmation_and_a_refusal_or_stop_for_a_reason(
    dossier_a: Dossier, desk: Any, html: Any
) -> None:
    tree = html(desk.client("officer_a").get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    for slug in ("tu-choi", "dung-xu-ly", "rut-ho-so"):
        form = tree.get_element_by_id(f"act-{slug}")
        assert dossier_a.code in form.get("data-confirm"), slug
        assert "không thể hoàn tác" in form.get("data-confirm")
        box = form.xpath(".//input[@type='checkbox'][@name='confirm']")
        assert len(box) == 1 and box[0].get("required") is not None, slug
    for slug in ("tu-choi", "dung-xu-ly"):
        reason = tree.get_element_by_id(f"act-{slug}").xpath(".//textarea[@name='note']")
        assert len(reason) == 1 and reason[0].get("required") is not None
    for slug in ("chuyen-xu-ly", "yeu-cau-bo-sung", "xu-ly-xong", "tra-ket-qua"):
        form = tree.get_element_by_id(f"act-{slug}")
        assert form.get("data-confirm") is None
        assert form.xpath(".//input[@name='confirm']") == []
    assert tree.xpath("//script[contains(@src, 'desk/confirm.js')]")


@pytest.mark.parametrize("slug", ["tu-choi", "dung-xu-ly", "rut-ho-so"])
def test_an_irreversible_action_posted_without_the_confirmation_changes_nothing(
    dossier_a: Dossier, desk: Any, html: Any, slug: str
) -> None:
    client = desk.client("officer_a")
    page = client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/{slug}/",
        {"version": 1, "note": "Thiếu tờ khai"},
        follow=True,
    )
    assert "Hãy đánh dấu ô xác nhận" in errors(html(page.content))[0]
    dossier = Dossier.objects.get(pk=dossier_a.pk)
    assert (dossier.status, dossier.version) == ("received", 1)
    assert list(dossier.events.values_list("event", flat=True)) == ["received"]


@pytest.mark.parametrize("blank", ["", "   ", "\u200b\u2060 \ufeff"])
@pytest.mark.parametrize("slug", ["tu-choi", "dung-xu-ly"])
def test_a_refusal_or_stop_with_a_blank_reason_is_refused_even_when_confirmed(
    dossier_a: Dossier, desk: Any, html: Any, slug: str, blank: str
) -> None:
    client = desk.client("officer_a")
    page = client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/{slug}/",
        {"version": 1, "note": blank, "confirm": "on"},
        follow=True,
    )
    assert "phải ghi rõ lý do" in errors(html(page.content))[0]
    assert Dossier.objects.get(pk=dossier_a.pk).status == "received"
    assert client.get(f"/mot-cua/ho-so/{dossier_a.code}/mau-3/").status_code == 404


def test_the_service_refuses_a_blank_reason_for_every_caller(dossier_a: Dossier, desk: Any) -> None:
    with pytest.raises(DeskError, match="phải ghi rõ lý do từ chối"):
        act(dossier_a, "refused", user=desk.officer_a, note=" \u200b ")
    assert Dossier.objects.get(pk=dossier_a.pk).status == "received"


def test_a_confirmed_refusal_prints_form_03_with_its_reason(
    dossier_a: Dossier, desk: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    page = client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/tu-choi/",
        {"version": 1, "note": "  Thiếu giấy xác nhận cư trú\u200b ", "confirm": "on"},
        follow=True,
    )
    tree = html(page.content)
    assert tree.get_element_by_id("form-note").text_content() == "Thiếu giấy xác nhận cư trú"
    assert Dossier.objects.get(pk=dossier_a.pk).status == "refused"


def test_form_03_of_an_old_refusal_recorded_without_reason_leaves_a_line_to_write_it(
    dossier_a: Dossier, desk: Any, html: Any
) -> None:
    DossierEvent.objects.create(
        dossier=dossier_a, event="refused", at=dossier_a.received_at, actor=desk.officer_a,
        from_status="received", to_status="refused", note="",
    )
    tree = html(desk.client("officer_a").get(f"/mot-cua/ho-so/{dossier_a.code}/mau-3/").content)
    assert tree.get_element_by_id("form-note").text_content().strip().startswith("....")


# --- Item 2: the history in Vietnamese -----------------------------------------------------------


def test_the_history_reads_in_vietnamese_with_the_officers_name(
    dossier_a: Dossier, desk: Any, clock: Any, html: Any
) -> None:
    named(desk)
    clock(MONDAY + dt.timedelta(hours=1))
    d = act(dossier_a, "transferred", user=desk.officer_a, to="Công chức Tư pháp - hộ tịch")
    clock(MONDAY + dt.timedelta(hours=2))
    d = act(d, "supplement_requested", user=desk.officer_a, note="Thiếu tờ khai")
    clock(MONDAY + dt.timedelta(hours=3))
    act(d, "withdrawn", user=desk.officer_a)
    tree = html(desk.client("officer_a").get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    rows = [
        [td.text_content().strip() for td in tr.xpath("td")[1:5]]
        for tr in tree.xpath("//table[@id='events']/tbody/tr")
    ]
    assert rows == [
        ["Tiếp nhận hồ sơ", "Trần Thị Hoa", "", "mới tiếp nhận"],
        ["Chuyển xử lý", "Trần Thị Hoa", "mới tiếp nhận", "đang xử lý"],
        ["Yêu cầu bổ sung", "Trần Thị Hoa", "đang xử lý", "chờ bổ sung"],
        ["Rút hồ sơ", "Trần Thị Hoa", "chờ bổ sung", "công dân đã rút"],
    ]
    text = tree.get_element_by_id("events").text_content()
    for code in ("received", "transferred", "supplement_requested", "processing", "withdrawn"):
        assert code not in text


# --- Item 7: the printed forms -------------------------------------------------------------------


def _signatures(tree: Any) -> list[tuple[str, str]]:
    return [
        (
            block.xpath("strong")[0].text_content(),
            block.xpath(".//span[@class='signer-name']")[0].text_content(),
        )
        for block in tree.xpath("//div[@id='signatures']/div[@class='signature-block']")
    ]


def test_form_01_before_15_09_2025_cites_circular_01_2018_with_date_line_signatures_and_address(
    dossier_a: Dossier, desk: Any, html: Any
) -> None:
    named(desk)
    tree = html(desk.client("officer_a").get(f"/mot-cua/ho-so/{dossier_a.code}/mau-1/").content)
    assert tree.get_element_by_id("form-reference").text == "Mẫu số 01, Thông tư 01/2018/TT-VPCP"
    assert tree.get_element_by_id("date-line").text == "Bồng Sơn, ngày 03 tháng 3 năm 2025"
    assert _signatures(tree) == [
        ("NGƯỜI NỘP HỒ SƠ", "Nguyễn Văn Bình"),
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Thị Hoa"),
    ]
    lookup = tree.get_element_by_id("form-lookup").xpath(".//*[@class='lookup-url']")[0]
    assert lookup.text == "http://testserver/tra-cuu/"


def test_forms_01_to_03_from_15_09_2025_cite_circular_03_2025(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    named(desk)
    clock(SEPTEMBER)
    d = receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="Phạm Thị Lan")
    clock(SEPTEMBER + dt.timedelta(hours=1))
    d = act(d, "supplement_requested", user=desk.officer_a, note="Thiếu tờ khai")
    clock(SEPTEMBER + dt.timedelta(hours=2))
    act(d, "refused", user=desk.officer_a, note="Hồ sơ không thuộc thẩm quyền")
    client = desk.client("officer_a")
    links = html(client.get(f"/mot-cua/ho-so/{d.code}/").content)
    assert links.get_element_by_id("print-3").text == "Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    expected = {
        1: [("NGƯỜI NỘP HỒ SƠ", "Phạm Thị Lan"), ("NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Thị Hoa")],
        2: [("NGƯỜI HƯỚNG DẪN", "Trần Thị Hoa")],
        3: [("NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Thị Hoa")],
    }
    for number, signatures in expected.items():
        tree = html(client.get(f"/mot-cua/ho-so/{d.code}/mau-{number}/").content)
        assert (
            tree.get_element_by_id("form-reference").text
            == f"Mẫu số 0{number}, Thông tư 03/2025/TT-VPCP"
        )
        assert tree.get_element_by_id("date-line").text == "Bồng Sơn, ngày 22 tháng 9 năm 2025"
        assert _signatures(tree) == signatures, number


def test_an_account_without_a_full_name_prints_no_log_in_name(
    desk: Any, catalogue: Any, password_hash: str, html: Any, clock: Any
) -> None:
    nameless = User(username="motcua.bongson2", role="onestop_officer", unit=desk.unit_a)
    nameless.password = password_hash
    nameless.save()
    d = receive(desk.unit_a, catalogue["HT-HN"], user=nameless, applicant_name="Phạm Thị Lan")
    client = Client()
    client.force_login(nameless)
    page = client.get(f"/mot-cua/ho-so/{d.code}/mau-1/")
    tree = html(page.content)
    assert _signatures(tree) == [("NGƯỜI NỘP HỒ SƠ", "Phạm Thị Lan"), ("NGƯỜI TIẾP NHẬN HỒ SƠ", "")]
    assert "motcua.bongson2" not in tree.get_element_by_id("form-1").text_content()


def test_the_configured_public_address_is_printed_and_in_the_rating_qr_link(
    desk: Any, catalogue: Any, html: Any, settings: Any, clock: Any
) -> None:
    settings.CCHC_PUBLIC_URL = "https://motcua.example.vn"
    client = desk.client("officer_a")
    page = client.post(
        "/mot-cua/tiep-nhan/",
        {"procedure": catalogue["HT-HN"].pk, "applicant_name": "Lê Thị Mai", "channel": "counter"},
        follow=True,
    )
    code = html(page.content).get_element_by_id("dossier-code").text
    form = client.get(f"/mot-cua/ho-so/{code}/mau-1/")
    tree = html(form.content)
    lookup = tree.get_element_by_id("form-lookup").xpath(".//*[@class='lookup-url']")[0]
    assert lookup.text == "https://motcua.example.vn/tra-cuu/"
    # The QR code on the receipt encodes the same public address (with code and key).
    assert form.context["rating_link"].startswith(f"https://motcua.example.vn/tra-cuu/?ma={code}&k=")
    assert tree.xpath("//div[@id='form-rating-qr']/svg")


def test_the_notice_of_stopping_prints_the_full_address_and_the_officers_name(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    named(desk)
    clock(SEPTEMBER)
    d = receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="Phạm Thị Lan")
    act(d, "stopped", user=desk.officer_a, note="Người nộp đề nghị dừng")
    tree = html(desk.client("officer_a").get(f"/mot-cua/ho-so/{d.code}/thong-bao-dung/").content)
    assert tree.get_element_by_id("form-lookup-url").text == "http://testserver/tra-cuu/"
    assert tree.xpath("//span[@class='signer-name']")[0].text == "Trần Thị Hoa"


# --- Item 8: the look-up in any case -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["bso-250303-0001", "  Bso - 250303 - 0001 ", "BSO–250303–0001"])
def test_the_look_up_finds_a_code_typed_in_lower_case_or_with_spaces(
    dossier_a: Dossier, html: Any, typed: str
) -> None:
    page = Client().get("/tra-cuu/", {"ma": typed})
    assert page.status_code == 200
    tree = html(page.content)
    assert tree.get_element_by_id("r-code").text == "BSO-250303-0001"
    assert tree.get_element_by_id("id-ma").get("value") == "BSO-250303-0001"
    api = Client().get("/api/v1/dossiers/" + typed.strip().replace(" ", "%20"))
    assert api.status_code == 200 and api.json()["code"] == "BSO-250303-0001"


def test_the_lower_case_look_up_keeps_the_rate_limit_and_the_rating_key(
    dossier_a: Dossier, desk: Any, html: Any, settings: Any
) -> None:
    act(dossier_a, "returned", user=desk.officer_a)
    settings.CCHC_LOOKUP_PER_MINUTE = 2
    client = Client()
    first = html(client.get("/tra-cuu/", {"ma": "bso-250303-0001"}).content)
    # Found, but rating still needs the key printed on the receipt.
    assert first.xpath("//*[@id='ask-key']") and not first.xpath("//form[@id='rating-form']")
    assert client.get("/tra-cuu/", {"ma": "BSO-250303-0001"}).status_code == 200
    assert client.get("/tra-cuu/", {"ma": "bso-250303-0001"}).status_code == 429
    assert client.get("/api/v1/dossiers/bso-250303-0002").status_code == 429
