"""The 766 dashboard and the desk's dates as an office reads them (issue 14 item 10): points
with their maximum, the period picked in words (the code still works in a URL), the Excel
download reachable from the top, dates dd/mm/yyyy whatever the browser's locale."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from openpyxl import load_workbook
from test_desk_portal766 import import_portal, load_ledger

from cchc.fmt import ParseDateError, parse_date
from cchc.service.period_parts import PARTS, compose, part_of
from cchc.web.desk import dashboard
from cchc.web.desk.clock import to_local
from cchc.web.desk.models import Dossier

pytestmark = pytest.mark.django_db

Q3 = {"ky": "2026-Q3", "don-vi": "BSO"}


# --- the core: one parser of typed dates, periods in words -----------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12/01/2026", dt.date(2026, 1, 12)),  # 12 January, never 1 December
        ("1/3/2025", dt.date(2025, 3, 1)),
        (" 31.03.2025 ", dt.date(2025, 3, 31)),
        ("2025-03-31", dt.date(2025, 3, 31)),  # older links and the browser's date picker
    ],
)
def test_a_typed_date_is_read_day_first(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2025", "03/31/2025", "2025/03/31", "hôm nay", ""])
def test_what_is_not_a_day_is_refused_with_the_form_to_use(text: str) -> None:
    with pytest.raises(ParseDateError, match="dd/mm/yyyy"):
        parse_date(text)


def test_a_period_in_words_composes_to_its_code_and_back() -> None:
    assert [group for group, _ in PARTS] == ["Năm", "6 tháng", "Quý", "Tháng"]
    for _group, items in PARTS:
        for part, _words in items:
            assert part_of(compose(2026, part)) == (2026, part)


# --- the dashboard -----------------------------------------------------------------------------


def test_every_point_on_the_dashboard_shows_its_maximum(desk: Any, html: Any) -> None:
    load_ledger(desk)
    import_portal(desk)
    tree = html(desk.client("officer_a").get("/mot-cua/chi-so-766/", Q3).content)
    result = dashboard.compute(_period("2026-Q3"), ["BSO"]).units[0]
    total = tree.get_element_by_id("total-points").text_content()
    assert total == f"{_vn(result.points)}/{_vn(dashboard.max_points(), trim=True)} điểm"
    for line in dashboard.lines(result):
        cell = tree.cssselect(f"#indicators tr[data-indicator='{line.id}'] td.points")[0]
        assert cell.text_content() == f"{_vn(line.result.points)}/{_vn(line.max_points, trim=True)}"
    # The six groups: each group's and each indicator's points out of its maximum.
    group_cells = [td.text_content() for td in tree.cssselect("#board td.group-points")]
    assert len(group_cells) == 6 and all("/" in c for c in group_cells)
    on_time = tree.cssselect("#board tr[data-indicator='2.1'] td.points")[0].text_content()
    assert on_time == "13,33/20"
    assert "Tối đa" not in [th.text_content() for th in tree.cssselect("#indicators thead th")]


def _period(code: str) -> Any:
    from cchc.service.period import parse_period

    return parse_period(code)


def _vn(value: Decimal, trim: bool = False) -> str:
    from cchc.fmt import format_number

    return format_number(float(value), 2, trim=trim)


def test_the_period_is_picked_in_words_and_the_code_still_works_in_a_url(
    desk: Any, html: Any
) -> None:
    load_ledger(desk)
    client = desk.client("officer_a")
    by_words = html(client.get("/mot-cua/chi-so-766/", {"nam": "2026", "phan": "Q3", "don-vi": "BSO"}).content)
    by_code = html(client.get("/mot-cua/chi-so-766/", Q3).content)
    for tree in (by_words, by_code):
        form = tree.get_element_by_id("dashboard-filter")
        assert not form.cssselect("input[name=ky]")  # no code to type
        assert [g.get("label") for g in form.cssselect("select[name=phan] optgroup")] == [
            "Năm", "6 tháng", "Quý", "Tháng",
        ]
        assert form.cssselect("select[name=phan] option[selected]")[0].text_content() == "Quý III"
        assert form.cssselect("select[name=nam] option[selected]")[0].get("value") == "2026"
        assert tree.get_element_by_id("period-words").text_content() == "Quý III/2026"
    assert by_words.get_element_by_id("total-points").text_content() == by_code.get_element_by_id(
        "total-points"
    ).text_content()
    month = html(client.get("/mot-cua/chi-so-766/", {"ky": "2026-08", "don-vi": "BSO"}).content)
    assert month.cssselect("select[name=phan] option[selected]")[0].get("value") == "08"
    assert month.get_element_by_id("period-words").text_content() == "Tháng 08/2026"
    # The integrity and reconciliation pages take the same picker.
    for url in ("/mot-cua/kiem-tra-so/", "/mot-cua/doi-soat/"):
        page = client.get(url, {"nam": "2026", "phan": "H2", "don-vi": "BSO"})
        assert page.status_code == 200
        assert html(page.content).cssselect("select[name=phan] option[selected]")[0].get("value") == "H2"


def test_the_dashboards_excel_is_reachable_from_its_top_and_says_the_period_in_words(
    desk: Any, html: Any
) -> None:
    load_ledger(desk)
    import_portal(desk)
    client = desk.client("officer_a")
    tree = html(client.get("/mot-cua/chi-so-766/", {"nam": "2026", "phan": "Q3"}).content)
    link = tree.get_element_by_id("dashboard-xlsx").get("href")
    assert link.startswith("/mot-cua/chi-so-766.xlsx?") and "ky=2026-Q3" in link
    response = client.get(link)
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0].endswith("kỳ Quý III/2026")
    on_time = next(r for r in rows if r[1] == "2.1")
    assert (on_time[3], on_time[4], on_time[6], on_time[7]) == (2, 3, 13.33, 20)
    total = next(r for r in rows if r[0] == "Tổng")
    assert total[7] == 100


# --- dates -------------------------------------------------------------------------------------


def test_the_register_takes_and_shows_dates_dd_mm_yyyy_in_text_fields(
    dossier_a: Dossier, desk: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    tree = html(client.get("/mot-cua/so-theo-doi/", {"tu": "01/03/2025", "den": "31/03/2025"}).content)
    fields = {i.get("name"): i for i in tree.cssselect("#register-filter input")}
    for name, value in (("tu", "01/03/2025"), ("den", "31/03/2025")):
        assert fields[name].get("type") == "text"  # not type=date: no browser locale
        assert fields[name].get("value") == value
        assert fields[name].get("placeholder") == "dd/mm/yyyy" and fields[name].get("pattern")
    assert tree.get_element_by_id("register-total").text_content() == "1"
    old_link = html(client.get("/mot-cua/so-theo-doi/", {"tu": "2025-03-01", "den": "2025-03-31"}).content)
    assert {i.get("name"): i.get("value") for i in old_link.cssselect("#register-filter input")} == {
        "tu": "01/03/2025",
        "den": "31/03/2025",
    }
    bad = client.get("/mot-cua/so-theo-doi/", {"tu": "03/31/2025"})
    assert bad.status_code == 400
    assert "Từ ngày" in html(bad.content).get_element_by_id("register-error").text_content()


def test_the_new_appointment_is_typed_dd_mm_yyyy(
    dossier_a: Dossier, desk: Any, html: Any, clock: Any
) -> None:
    client = desk.client("officer_a")
    page = html(client.get(f"/mot-cua/ho-so/{dossier_a.code}/").content)
    field = page.cssselect("#act-xin-loi input[name=new_due]")[0]
    assert field.get("type") == "text" and field.get("placeholder") == "dd/mm/yyyy"
    response = client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/xin-loi/",
        {"version": dossier_a.version, "new_due": "12/03/2025", "note": "cần xác minh"},
    )
    assert response.status_code == 302
    dossier_a.refresh_from_db()
    assert to_local(dossier_a.due_at).date() == dt.date(2025, 3, 12)
