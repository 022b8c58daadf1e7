"""The desk's remaining papers: the process-control sheet, the notice of stopping and the
dossier register (page and XLSX), with who may print them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from desk.desk_fixtures import *  # noqa: F403
from desk.desk_fixtures import MONDAY

from cchc.fmt import format_datetime
from cchc.web.desk import register
from cchc.web.desk.clock import TZ, to_local
from cchc.web.desk.models import Dossier
from cchc.web.desk.services import act, receive

pytestmark = pytest.mark.django_db

JULY = dt.datetime(2025, 7, 7, 9, 0, tzinfo=TZ)  # a Monday, still Circular 01/2018's numbers
SEPTEMBER = dt.datetime(2025, 9, 22, 9, 0, tzinfo=TZ)  # a Monday under Circular 03/2025 (15/09/2025)


def _sheet_rows(tree: Any) -> list[list[str]]:
    return [
        [td.text_content().strip() for td in tr.xpath("td")[:7]]
        for tr in tree.xpath("//table[@id='steps']/tbody/tr")
    ]


def test_the_control_sheet_lists_every_hand_over_with_its_result(
    dossier_a: Dossier, desk: Any, clock: Any, html: Any
) -> None:
    clock(MONDAY + dt.timedelta(hours=1))
    d = act(dossier_a, "transferred", user=desk.officer_a, to="Công chức Tư pháp - hộ tịch")
    clock(MONDAY + dt.timedelta(days=1))
    d = act(d, "transferred", user=desk.officer_a, to="Lãnh đạo UBND phường", note="Trình ký")
    clock(MONDAY + dt.timedelta(days=3, hours=9))  # Thursday 18:00, after the 17:00 appointment
    act(d, "finished", user=desk.officer_a)
    page = desk.client("officer_a").get(f"/mot-cua/ho-so/{dossier_a.code}/phieu-kiem-soat/")
    assert page.status_code == 200
    tree = html(page.content)
    assert tree.get_element_by_id("form-reference").text == "Mẫu số 05, Thông tư 01/2018/TT-VPCP"
    assert (
        tree.xpath("//article[@id='control-sheet']//h2")[0].text
        == "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
    )
    motto = tree.xpath("//article//div[@class='motto']")[0].text_content()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto and "Độc lập - Tự do - Hạnh phúc" in motto
    # Decree 30 date line: the ward's name as the place, today's date (the clock's).
    assert tree.get_element_by_id("date-line").text == "Bồng Sơn, ngày 06 tháng 3 năm 2025"
    due = format_datetime(to_local(dossier_a.due_at))  # type: ignore[arg-type]
    assert _sheet_rows(tree) == [
        [
            "1",
            "Bộ phận tiếp nhận và trả kết quả",
            "Công chức Tư pháp - hộ tịch",
            "03/03/2025 10:00",
            due,
            "04/03/2025 09:00cho Lãnh đạo UBND phường",
            "Trước hạn",
        ],
        [
            "2",
            "Công chức Tư pháp - hộ tịch",
            "Lãnh đạo UBND phường",
            "04/03/2025 09:00",
            due,
            "06/03/2025 18:00xử lý xong, về Bộ phận tiếp nhận và trả kết quả",
            "Quá hạn",
        ],
    ]
    assert [tr.get("data-timeliness") for tr in tree.xpath("//table[@id='steps']/tbody/tr")] == [
        "early",
        "overdue",
    ]
    assert "Trình ký" in tree.xpath("//tr[@data-step='2']")[0].text_content()
    assert "không được ghi nhận" in tree.get_element_by_id("step-deadline-note").text
    assert tree.get_element_by_id("overall").get("data-timeliness") == "overdue"
    assert tree.get_element_by_id("ended-at").text == "06/03/2025 18:00"


def test_a_dossier_never_transferred_says_so_instead_of_an_empty_table(
    dossier_a: Dossier, desk: Any, html: Any
) -> None:
    tree = html(
        desk.client("officer_a").get(f"/mot-cua/ho-so/{dossier_a.code}/phieu-kiem-soat/").content
    )
    assert tree.xpath("//table[@id='steps']") == []
    assert "chưa được chuyển xử lý" in tree.get_element_by_id("no-steps").text
    assert tree.get_element_by_id("overall").get("data-timeliness") == "open_within"


def test_from_15_september_2025_the_sheet_is_form_06_of_circular_03_2025_and_linked_from_the_dossier(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    clock(SEPTEMBER)
    d = receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="Phạm Thị Lan")
    client = desk.client("officer_a")
    link = html(client.get(f"/mot-cua/ho-so/{d.code}/").content).get_element_by_id(
        "print-control-sheet"
    )
    assert link.text == "Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ"
    tree = html(client.get(link.get("href")).content)
    assert tree.get_element_by_id("form-reference").text == "Mẫu số 06, Thông tư 03/2025/TT-VPCP"


def test_in_july_2025_before_circular_03_2025_was_signed_the_sheet_is_still_form_05_of_01_2018(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    clock(JULY)
    d = receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="Phạm Thị Lan")
    client = desk.client("officer_a")
    link = html(client.get(f"/mot-cua/ho-so/{d.code}/").content).get_element_by_id(
        "print-control-sheet"
    )
    assert link.text == "Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ"
    tree = html(client.get(link.get("href")).content)
    assert tree.get_element_by_id("form-reference").text == "Mẫu số 05, Thông tư 01/2018/TT-VPCP"


def test_the_notice_of_stopping_carries_the_reason_and_is_linked_once_stopped(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    clock(SEPTEMBER)
    d = receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="Phạm Thị Lan")
    client = desk.client("officer_a")
    assert (
        html(client.get(f"/mot-cua/ho-so/{d.code}/").content).xpath("//a[@id='print-stop-notice']")
        == []
    )
    not_yet = client.get(f"/mot-cua/ho-so/{d.code}/thong-bao-dung/")
    assert not_yet.status_code == 302 and not_yet["Location"] == f"/mot-cua/ho-so/{d.code}/"
    clock(SEPTEMBER + dt.timedelta(days=1))
    act(d, "stopped", user=desk.officer_a, note="Người nộp đề nghị dừng để bổ sung giấy tờ đất đai")
    link = html(client.get(f"/mot-cua/ho-so/{d.code}/").content).get_element_by_id(
        "print-stop-notice"
    )
    assert link.text == "Mẫu 05 — Thông báo dừng giải quyết hồ sơ"
    tree = html(client.get(link.get("href")).content)
    assert tree.get_element_by_id("form-reference").text == "Mẫu số 05, Thông tư 03/2025/TT-VPCP"
    assert (
        tree.get_element_by_id("reason").text == "Người nộp đề nghị dừng để bổ sung giấy tờ đất đai"
    )
    assert tree.get_element_by_id("applicant").text == "Phạm Thị Lan"
    assert tree.get_element_by_id("stopped-at").text == "23/09/2025 09:00"
    assert tree.get_element_by_id("date-line").text == "Bồng Sơn, ngày 23 tháng 9 năm 2025"
    assert (
        "Về việc dừng giải quyết hồ sơ"
        in tree.xpath("//article[@id='stop-notice']//h2")[0].text_content()
    )


def test_a_dossier_stopped_before_july_2025_has_no_notice_circular_01_2018_had_none(
    dossier_a: Dossier, desk: Any, html: Any
) -> None:
    act(dossier_a, "stopped", user=desk.officer_a, note="thử")
    client = desk.client("officer_a")
    assert (
        html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/").content).xpath(
            "//a[@id='print-stop-notice']"
        )
        == []
    )
    response = client.get(f"/mot-cua/ho-so/{dossier_a.code}/thong-bao-dung/", follow=True)
    messages = [
        li.text_content() for li in html(response.content).xpath("//ul[@class='messages']/li")
    ]
    assert any("Thông tư 01/2018/TT-VPCP không có mẫu thông báo dừng" in m for m in messages)


def test_another_wards_officer_the_organiser_and_the_public_cannot_print_a_dossiers_papers(
    dossier_a: Dossier, desk: Any
) -> None:
    act(dossier_a, "stopped", user=desk.officer_a, note="thử")
    for suffix in ("phieu-kiem-soat/", "thong-bao-dung/"):
        url = f"/mot-cua/ho-so/{dossier_a.code}/{suffix}"
        assert desk.client("officer_b").get(url).status_code == 404, url
        assert desk.client("organiser").get(url).status_code == 403, url
        response = desk.client("public").get(url)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"], url
        assert desk.client("officer_a").post(url).status_code == 405, url


def _march(desk: Any, catalogue: Any, clock: Any) -> list[Dossier]:
    """Three dossiers of ward A in March 2025 (one transferred and returned), one of ward B,
    one of ward A in April."""
    made = []
    for day, name in ((3, "Nguyễn Văn Bình"), (10, '=HYPERLINK("http://x")'), (31, "Trần Thị Hoa")):
        clock(dt.datetime(2025, 3, day, 9, 0, tzinfo=TZ))
        made.append(
            receive(
                desk.unit_a,
                catalogue["HT-HN"],
                user=desk.officer_a,
                applicant_name=name,
                applicant_phone="0912345678",
            )
        )
    clock(dt.datetime(2025, 3, 3, 10, 0, tzinfo=TZ))
    d = act(made[0], "transferred", user=desk.officer_a, to="Tư pháp - hộ tịch")
    clock(dt.datetime(2025, 3, 4, 10, 0, tzinfo=TZ))
    act(d, "returned", user=desk.officer_a)
    clock(dt.datetime(2025, 3, 5, 9, 0, tzinfo=TZ))
    receive(desk.unit_b, catalogue["HT-KS"], user=desk.officer_b, applicant_name="Người ở Tam Quan")
    clock(dt.datetime(2025, 4, 1, 9, 0, tzinfo=TZ))
    receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="Tháng tư")
    return made


def test_the_register_lists_the_units_dossiers_received_in_the_range_with_the_applicant(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    made = _march(desk, catalogue, clock)
    page = desk.client("officer_a").get(
        "/mot-cua/so-theo-doi/", {"tu": "2025-03-01", "den": "31/03/2025"}
    )
    assert page.status_code == 200
    tree = html(page.content)
    rows = tree.xpath("//table[@id='register-rows']/tbody/tr[@data-code]")
    assert [tr.get("data-code") for tr in rows] == [d.code for d in made]
    assert [tr.xpath("td[@class='applicant']")[0].text for tr in rows] == [
        d.applicant_name for d in made
    ]
    first = rows[0]
    assert first.xpath("td[@class='transferred']")[0].text == "03/03/2025 10:00"
    assert first.xpath("td[@class='returned']")[0].text == "04/03/2025 10:00"
    assert first.xpath("td[@class='result']")[0].text == "Trước hạn"
    assert tree.get_element_by_id("register-total").text == "3"
    assert tree.get_element_by_id("form-reference").text == "Mẫu số 06, Thông tư 01/2018/TT-VPCP"
    assert tree.xpath("//article[@id='register']//h2")[0].text == "SỔ THEO DÕI HỒ SƠ"
    assert "Người ở Tam Quan" not in page.content.decode()
    assert (
        tree.get_element_by_id("register-xlsx").get("href")
        == "/mot-cua/so-theo-doi.xlsx?tu=2025-03-01&den=2025-03-31"
    )


def test_the_register_refuses_a_bad_range_naming_the_field(desk: Any, html: Any) -> None:
    client = desk.client("officer_a")
    cases = {
        ("31/02/2025", "2025-03-31"): "Từ ngày",
        ("2025-03-31", "2025-03-01"): "Đến ngày phải sau",
        ("2024-01-01", "2025-03-01"): "tối đa 366 ngày",
    }
    for (start, end), words in cases.items():
        response = client.get("/mot-cua/so-theo-doi/", {"tu": start, "den": end})
        assert response.status_code == 400
        assert words in html(response.content).get_element_by_id("register-error").text
        assert client.get("/mot-cua/so-theo-doi.xlsx", {"tu": start, "den": end}).status_code == 400


def test_a_long_register_is_paged_numbered_across_pages_and_points_to_the_xlsx(
    desk: Any, catalogue: Any, clock: Any, html: Any, monkeypatch: Any
) -> None:
    made = _march(desk, catalogue, clock)
    monkeypatch.setattr(register, "PAGE_SIZE", 2)
    client = desk.client("officer_a")
    tree = html(
        client.get(
            "/mot-cua/so-theo-doi/", {"tu": "2025-03-01", "den": "2025-03-31", "trang": 2}
        ).content
    )
    rows = tree.xpath("//table[@id='register-rows']/tbody/tr[@data-code]")
    assert [(tr.get("data-code"), tr.xpath("td")[0].text) for tr in rows] == [(made[2].code, "3")]
    summary = tree.get_element_by_id("register-summary").text_content()
    assert "Trang này hiện các dòng 3–3" in summary and "Tải tệp Excel để có đủ 3 hồ sơ" in summary


def test_the_register_xlsx_has_every_row_dates_as_dates_and_no_formula(
    desk: Any, catalogue: Any, clock: Any
) -> None:
    made = _march(desk, catalogue, clock)
    response = desk.client("officer_a").get(
        "/mot-cua/so-theo-doi.xlsx", {"tu": "2025-03-01", "den": "2025-03-31"}
    )
    assert response.status_code == 200
    assert 'filename="so-theo-doi-BSO-20250301-20250331.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert "Mẫu số 06, Thông tư 01/2018/TT-VPCP" in sheet["A2"].value
    header = [c.value for c in sheet[5]]
    assert header == list(register.COLUMNS)
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    assert [r[1] for r in body] == [d.code for d in made]
    assert [r[0] for r in body] == [1, 2, 3]
    assert body[0][6] == dt.datetime(2025, 3, 3, 9, 0) and body[0][8] == dt.datetime(
        2025, 3, 3, 10, 0
    )
    assert body[0][4] == "0912345678"
    # The applicant typed a formula: it is stored as text, neutralised, never as a formula.
    assert body[1][3] == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_only_the_units_one_stop_officers_open_the_register(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    _march(desk, catalogue, clock)
    query = {"tu": "2025-03-01", "den": "2025-03-31"}
    tree = html(desk.client("officer_b").get("/mot-cua/so-theo-doi/", query).content)
    assert [
        tr.xpath("td[@class='applicant']")[0].text
        for tr in tree.xpath("//table[@id='register-rows']/tbody/tr[@data-code]")
    ] == ["Người ở Tam Quan"]
    for url in ("/mot-cua/so-theo-doi/", "/mot-cua/so-theo-doi.xlsx"):
        assert desk.client("organiser").get(url, query).status_code == 403, url
        response = desk.client("public").get(url, query)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"], url
    nav = html(desk.client("officer_a").get("/mot-cua/").content).xpath(
        "//nav[@class='site-nav']/a/@href"
    )
    assert "/mot-cua/so-theo-doi/" in nav
    assert "/mot-cua/so-theo-doi/" not in html(desk.client("organiser").get("/").content).xpath(
        "//nav[@class='site-nav']/a/@href"
    )
