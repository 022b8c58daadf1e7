"""Desk and public pages, parsed: work-list warnings, forms 01–04, import errors, dashboard, rating."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from desk.desk_fixtures import MONDAY
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.fmt import format_datetime, format_number
from cchc.service.generator import generate_ledger
from cchc.service.importer import write_ledger
from cchc.service.period import parse_period
from cchc.web.desk import dashboard
from cchc.web.desk.clock import to_local
from cchc.web.desk.models import Dossier, Rating
from cchc.web.desk.services import act, receive

pytestmark = pytest.mark.django_db


def test_receiving_at_the_counter_issues_the_code_and_form_01(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    form = html(client.get("/mot-cua/tiep-nhan/").content)
    assert form.xpath("//form[@id='receive-form']//select[@name='procedure']/option[@value!='']")
    response = client.post(
        "/mot-cua/tiep-nhan/",
        {
            "procedure": catalogue["HT-HN"].pk,
            "applicant_name": "Trần Thị Hoa",
            "applicant_phone": "0987000111",
            "channel": "counter",
            "note": "Tờ khai; CCCD",
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mot-cua/ho-so/{dossier.code}/"
    assert dossier.code == "BSO-250303-0001"
    receipt = html(client.get(f"/mot-cua/ho-so/{dossier.code}/mau-1/").content)
    assert receipt.get_element_by_id("form-code").text == dossier.code
    assert receipt.get_element_by_id("form-due").text == format_datetime(to_local(dossier.due_at))
    assert (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
        in receipt.xpath("//article[contains(@class, 'print')]//h2")[0].text
    )
    assert "Trần Thị Hoa" in receipt.text_content()


def test_a_missing_name_is_refused_with_the_field_named(
    desk: Any, catalogue: Any, html: Any
) -> None:
    response = desk.client("officer_a").post(
        "/mot-cua/tiep-nhan/", {"procedure": catalogue["HT-KS"].pk, "channel": "counter"}
    )
    assert response.status_code == 200
    assert html(response.content).xpath(
        "//form[@id='receive-form']//ul[contains(@class, 'errorlist')]"
    )
    assert not Dossier.objects.exists()


def test_the_work_list_warns_of_dossiers_due_today_and_overdue(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    same_day = receive(
        desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="A"
    )  # due today 17:00
    later = receive(
        desk.unit_a, catalogue["DD-CN"], user=desk.officer_a, applicant_name="B"
    )  # 20 working days
    clock(MONDAY - dt.timedelta(days=3))  # the Friday before
    old = receive(
        desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="C"
    )  # due that Friday
    waiting = receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="D")
    act(
        waiting, "supplement_requested", user=desk.officer_a, note="thiếu tờ khai"
    )  # the citizen's turn
    clock(MONDAY.replace(hour=11))
    client = desk.client("officer_a")
    tree = html(client.get("/mot-cua/").content)
    marks = {
        tr.get("data-code"): tr.get("class")
        for tr in tree.xpath("//table[@id='dossiers']/tbody/tr[@data-code]")
    }
    assert marks == {
        same_day.code: "warn-today",
        later.code: "",
        old.code: "warn-overdue",
        waiting.code: "",
    }
    assert tree.get_element_by_id("count-today").text == "1"
    assert tree.get_element_by_id("count-overdue").text == "1"
    partial = client.get("/mot-cua/", {"loc": "overdue"}, HTTP_HX_REQUEST="true")
    fragment = html(partial.content)
    # Only the table and its summary line, for HTMX to swap in (no counts, no form).
    assert fragment.cssselect("table#dossiers") and not fragment.cssselect("#count-open, form")
    assert [tr.get("data-code") for tr in fragment.xpath("//tbody/tr[@data-code]")] == [old.code]


def test_a_work_list_row_reads_code_procedure_channel_dates_and_status_and_links_to_the_dossier(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    dossier = receive(
        desk.unit_a, catalogue["DD-CN"], user=desk.officer_a, applicant_name="Lê Văn Bình"
    )
    client = desk.client("officer_a")
    row = html(client.get("/mot-cua/").content).xpath(f"//tr[@data-code='{dossier.code}']")[0]
    cells = [td.text_content().strip() for td in row.xpath("td")]
    assert cells == [
        dossier.code,
        "Lê Văn Bình",
        catalogue["DD-CN"].name,
        "Trực tiếp",
        format_datetime(to_local(dossier.received_at)),
        format_datetime(to_local(dossier.due_at)),
        dossier.status_label,
        "",
    ]
    assert row.xpath("td/a/@href") == [f"/mot-cua/ho-so/{dossier.code}/"]
    assert client.get(row.xpath("td/a/@href")[0]).status_code == 200
    # The applicant's name is on the list (issue 14: officers find a dossier by the person
    # in front of them), and it is the officer's own unit's list only (access.desk_unit).
    assert "Lê Văn Bình" not in html(desk.client("officer_b").get("/mot-cua/").content).text_content()


def test_the_work_list_costs_the_same_few_queries_whatever_its_length(
    desk: Any, catalogue: Any, clock: Any, html: Any, django_assert_max_num_queries: Any
) -> None:
    # Session, user, their unit, the three counts in one query, one page of rows with their procedures
    # (the pager reuses the open count): no query per row, no second COUNT (issue 6, load).
    client = desk.client("officer_a")
    client.get("/mot-cua/")  # the session is warm, as in use
    procedures = [catalogue["HT-KS"], catalogue["DD-CN"], catalogue["HT-HN"]]
    for i in range(3):
        receive(desk.unit_a, procedures[i], user=desk.officer_a, applicant_name=f"A{i}")
    with django_assert_max_num_queries(5) as short:
        client.get("/mot-cua/")
    for i in range(55):
        receive(desk.unit_a, procedures[i % 3], user=desk.officer_a, applicant_name=f"B{i}")
    with django_assert_max_num_queries(5) as long:
        page = html(client.get("/mot-cua/").content)
    assert len(long.captured_queries) == len(short.captured_queries)
    assert len(page.xpath("//table[@id='dossiers']/tbody/tr[@data-code]")) == 50
    assert page.get_element_by_id("count-open").text == "58"
    assert "Trang 1/2" in page.xpath("//p[@class='pages']")[0].text_content()


def test_apology_page_flow_prints_form_04_with_old_and_new_dates(
    dossier_a: Dossier, desk: Any, clock: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    clock(MONDAY + dt.timedelta(days=1))
    response = client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/xin-loi/",
        {"version": 1, "new_due": "12/03/2025", "note": "chờ xác minh"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/mau-4/")
    letter = html(client.get(response["Location"]).content)
    assert letter.get_element_by_id("form-old-due").text == format_datetime(
        to_local(dossier_a.due_at)
    )
    assert letter.get_element_by_id("form-new-due").text == "12/03/2025 17:00"
    again = client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/xin-loi/",
        {"version": 2, "new_due": "2025-03-14"},
        follow=True,
    )
    errors = [
        li.text_content()
        for li in html(again.content).xpath("//ul[@class='messages']/li[contains(@class, 'error')]")
    ]
    assert errors and "một lần" in errors[0]
    assert to_local(Dossier.objects.get(pk=dossier_a.pk).due_at) == dt.datetime(2025, 3, 12, 17, 0)


def test_a_stale_page_cannot_overwrite_a_newer_action(
    dossier_a: Dossier, desk: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    client.post(f"/mot-cua/ho-so/{dossier_a.code}/chuyen-xu-ly/", {"version": 1, "to": "Địa chính"})
    stale = client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/tu-choi/",
        {"version": 1, "note": "thiếu tờ khai", "confirm": "on"},
        follow=True,
    )
    assert (
        "người khác cập nhật"
        in html(stale.content)
        .xpath("//ul[@class='messages']/li[contains(@class, 'error')]")[0]
        .text_content()
    )
    assert Dossier.objects.get(pk=dossier_a.pk).status == "processing"


def test_import_page_lists_row_errors_and_stores_nothing(desk: Any, html: Any) -> None:
    csv = (
        b"dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"
        b"BSO-250303-0001,BSO,HT-KS,2025-03-03 09:00,2025-03-03 17:00,received,counter\n"
        b"BSO-250303-0002,TQU,HT-KS,2025-03-03 09:10,2025-03-03 17:00,received,counter\n"
    )
    client = desk.client("officer_a")
    response = client.post(
        "/mot-cua/nhap-so/", {"file": SimpleUploadedFile("so.csv", csv, "text/csv")}
    )
    assert response.status_code == 422
    items = [li.text for li in html(response.content).xpath("//div[@id='import-errors']//li")]
    assert items == [
        "so.csv, dòng 3, cột unit_code: hồ sơ của đơn vị 'TQU', không phải của Phường Bồng Sơn"
    ]
    assert not Dossier.objects.exists()
    ok = client.post(
        "/mot-cua/nhap-so/",
        {"file": SimpleUploadedFile("so.csv", csv.replace(b",TQU,", b",BSO,"), "text/csv")},
    )
    assert ok.status_code == 302 and Dossier.objects.count() == 2


def test_dashboard_shows_every_rate_with_numerator_and_denominator(
    desk: Any, tmp_path: Path, html: Any
) -> None:
    from cchc.web.desk.ledger import import_ledger

    path = tmp_path / "so.parquet"
    write_ledger(generate_ledger(300, 5, dt.date(2025, 1, 1), dt.date(2025, 3, 31), ("BSO",)), path)
    import_ledger(path, user=None)
    tree = html(desk.client("officer_a").get("/mot-cua/chi-so-766/", {"ky": "2025-Q1"}).content)
    expected = dashboard.compute(parse_period("2025-Q1"), ["BSO"]).units[0]
    rows = tree.xpath("//table[@id='indicators']/tbody/tr")
    assert [r.get("data-indicator") for r in rows] == [
        "2.1",
        "3.3",
        "3.6",
        "4.1",
        "4.2",
        "4.3",
        "5.4",
    ]
    for row in rows:
        result = expected.indicators[row.get("data-indicator")]
        assert row.xpath("td[contains(@class, 'numerator')]")[
            0
        ].text == f"{result.numerator:,}".replace(",", ".")
        assert row.xpath("td[contains(@class, 'denominator')]")[
            0
        ].text == f"{result.denominator:,}".replace(",", ".")
    on_time = expected.indicators["2.1"]
    assert 0 < on_time.numerator <= on_time.denominator
    assert tree.get_element_by_id("total-points").text == (
        f"{expected.points:.2f}".replace(".", ",")
        + f"/{format_number(float(dashboard.max_points()), trim=True)} điểm"
    )


def test_lookup_rating_once_and_the_rate_limit_message(
    dossier_a: Dossier, desk: Any, html: Any, settings: Any
) -> None:
    public = desk.client("public")
    assert not html(public.get("/tra-cuu/", {"ma": dossier_a.code}).content).xpath(
        "//form[@id='rating-form']"
    )
    act(dossier_a, "returned", user=desk.officer_a)
    key = dossier_a.rating_key  # type: ignore[attr-defined]  # printed on form 01
    tree = html(public.get("/tra-cuu/", {"ma": dossier_a.code, "k": key}).content)
    assert tree.get_element_by_id("r-status").text == "đã trả kết quả"
    assert tree.xpath("//form[@id='rating-form']//input[@name='value']")
    public.post(f"/tra-cuu/{dossier_a.code}/danh-gia/", {"value": "like", "c_attitude": "3", "k": key})
    public.post(f"/tra-cuu/{dossier_a.code}/danh-gia/", {"value": "dislike", "k": key})
    rating = Rating.objects.get(dossier=dossier_a)
    assert (rating.value, rating.criteria) == ("like", {"attitude": 3})
    settings.CCHC_LOOKUP_PER_MINUTE = 1
    limited = public.get("/tra-cuu/", {"ma": dossier_a.code})
    assert limited.status_code == 429
    assert "quá nhiều lần" in html(limited.content).get_element_by_id("lookup-error").text
    unknown = desk.client("officer_b").get(
        "/tra-cuu/", {"ma": "BSO-250101-0001"}, REMOTE_ADDR="10.1.1.1"
    )
    assert unknown.status_code == 404


def test_catalogue_lists_time_limits_fees_and_online_service(catalogue: Any, html: Any) -> None:
    from django.test import Client

    tree = html(Client().get("/thu-tuc-hanh-chinh/").content)
    rows = {
        tr.get("data-code"): [td.text_content().strip() for td in tr.xpath("td")]
        for tr in tree.xpath("//table[contains(@class, 'catalogue')]/tbody/tr")
    }
    assert set(rows) == set(catalogue)
    assert rows["HT-KS"][2] == "Trong ngày"
    assert rows["DD-CN"][2] == "20 ngày làm việc"
    assert rows["DD-CN"][3] == "20.000"
    assert tree.xpath("//p[contains(@class, 'illustrative')]")


def test_a_work_list_row_escapes_what_it_prints(html: Any) -> None:
    from cchc.web.desk.worklist import Row

    row = Row(
        code='X-1"><script>',
        href="/mot-cua/ho-so/X-1/",
        applicant="<i>Lê</i>",
        procedure="<b>Đăng ký</b> & cấp",
        channel="Trực tiếp",
        received="03/03/2025 09:00",
        due="06/03/2025 17:00",
        status="Đang giải quyết",
        warning="overdue",
    )
    tr = html(f"<table>{row.html}</table>".encode()).xpath("//tr")[0]
    assert tr.get("data-code") == 'X-1"><script>' and tr.get("class") == "warn-overdue"
    assert [td.text_content() for td in tr.xpath("td")][1:3] == ["<i>Lê</i>", "<b>Đăng ký</b> & cấp"]
    assert "<script>" not in row.html and "Quá hạn" in row.html


def test_the_work_list_counts_agree_with_its_lists_whatever_the_dossiers(
    desk: Any, catalogue: Any, clock: Any
) -> None:
    from cchc.web.desk import worklist

    procedures = [catalogue["HT-KS"], catalogue["HT-HN"], catalogue["DD-CN"]]
    made = []
    for day in range(6):  # Monday 03/03 to Saturday 08/03, three a day at 09:00, 14:00, 16:00
        for i, hour in enumerate((9, 14, 16)):
            clock(MONDAY.replace(day=3 + day, hour=hour))
            made.append(
                receive(desk.unit_a, procedures[i], user=desk.officer_a, applicant_name=f"N{day}{i}")
            )
    clock(MONDAY.replace(day=7, hour=10))  # Friday
    act(made[0], "finished", user=desk.officer_a)
    act(made[3], "supplement_requested", user=desk.officer_a)  # Tuesday's: in time, clock stops
    late = act(made[1], "supplement_requested", user=desk.officer_a, accept_late=True)
    assert late.supplement_late  # Monday's: past 3 working days, its clock runs on
    receive(desk.unit_b, procedures[0], user=desk.officer_b, applicant_name="other unit")
    seen = []
    for moment in (MONDAY.replace(day=7, hour=11), MONDAY.replace(day=7, hour=16, minute=59),
                   MONDAY.replace(day=10, hour=8), MONDAY.replace(day=20, hour=12)):  # fmt: skip
        clock(moment)
        expected = worklist.Counts(
            worklist.open_dossiers(desk.unit_a).count(),
            worklist.due_today(desk.unit_a).count(),
            worklist.overdue(desk.unit_a).count(),
        )
        assert worklist.counts(desk.unit_a) == expected, moment
        seen.append(expected)
    assert any(c.today for c in seen) and any(c.overdue for c in seen)
    assert seen[0].open == len(made) - 1
