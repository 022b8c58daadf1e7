"""The work-list search and its Excel download (issue 14 item 4), pages parsed.

The search reacts to any change of the text (typing, pasting, autofill) and works as a
plain GET form; it matches the code in any case or the applicant's name without marks, in
every list of the unit by default; the list shows the applicant's name; the list or search
on screen downloads as XLSX, the officer's own unit only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.web.desk.models import Dossier
from cchc.web.desk.services import act, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(desk: Any, catalogue: Any, clock: Any) -> dict[str, Dossier]:
    """Ward A: Bình (returned, so off the open list), Đặng Thu (open); ward B: another Bình."""
    binh = receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="Nguyễn Văn Bình")
    thu = receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="Đặng Thị Thu")
    other = receive(desk.unit_b, catalogue["HT-HN"], user=desk.officer_b, applicant_name="Trần Bình")
    binh = act(binh, "returned", user=desk.officer_a)
    return {"binh": binh, "thu": thu, "other": other}


def codes(client: Any, html: Any, **params: str) -> list[str]:
    tree = html(client.get("/mot-cua/", params).content)
    return [tr.get("data-code") for tr in tree.cssselect("#dossiers tbody tr[data-code]")]


def test_the_search_is_a_get_form_that_reacts_to_input_not_only_to_key_presses(
    desk: Any, html: Any
) -> None:
    tree = html(desk.client("officer_a").get("/mot-cua/").content)
    form = tree.get_element_by_id("worklist-filter")
    assert form.get("method") == "get" and form.get("action") == "/mot-cua/"
    assert "input" in form.get("hx-trigger").replace(",", " ").split()
    assert "keyup" not in form.get("hx-trigger")
    # Its button is there without JavaScript (not inside <noscript>).
    assert form.xpath(".//button[@type='submit'][not(ancestor::noscript)]")
    assert form.cssselect("input#id-moi[type=checkbox][checked]")  # every list, by default


def test_a_pasted_code_in_any_case_finds_the_dossier_in_whichever_list_it_is(
    people: Any, desk: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    code = people["binh"].code  # returned: not on the default "open" list
    assert codes(client, html) == [people["thu"].code]
    assert codes(client, html, ma=f"  {code.lower()} ", moi="1") == [code]
    # A part of a code matches too, in every list.
    assert set(codes(client, html, ma=code[:3].lower(), moi="1")) == {code, people["thu"].code}
    # Limited to the list chosen when the box is unticked.
    assert codes(client, html, ma=code, loc="open") == []
    assert codes(client, html, ma=code, loc="all") == [code]


@pytest.mark.parametrize(
    ("text", "in_ward_b"),
    [("binh", True), ("BÌNH", True), ("nguyen van", False), ("Nguyễn  Văn Bình", False), ("văn b", False)],
)
def test_the_applicants_name_is_found_without_marks_within_the_own_unit(
    people: Any, desk: Any, html: Any, text: str, in_ward_b: bool
) -> None:
    assert codes(desk.client("officer_a"), html, ma=text, moi="1") == [people["binh"].code]
    # Ward B's officer sees ward B's Bình only, never ward A's.
    expected = [people["other"].code] if in_ward_b else []
    assert codes(desk.client("officer_b"), html, ma=text, moi="1") == expected


def test_d_with_stroke_folds_to_d_and_the_name_is_a_column_of_the_list(
    people: Any, desk: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    tree = html(client.get("/mot-cua/", {"ma": "dang thi", "moi": "1"}).content)
    row = tree.cssselect(f"#dossiers tr[data-code='{people['thu'].code}']")[0]
    assert row.cssselect("td.applicant")[0].text_content() == "Đặng Thị Thu"
    assert [th.text_content() for th in tree.cssselect("#dossiers thead th")][:2] == [
        "Mã hồ sơ",
        "Người nộp",
    ]
    assert tree.get_element_by_id("worklist-total").text_content() == "1"
    assert tree.get_element_by_id("search-text").text_content() == "dang thi"


def test_nothing_found_says_what_was_searched(people: Any, desk: Any, html: Any) -> None:
    tree = html(desk.client("officer_a").get("/mot-cua/", {"ma": "Lê Lợi", "moi": "1"}).content)
    assert "Lê Lợi" in tree.get_element_by_id("worklist-empty").text_content()


def test_a_whole_code_is_looked_up_by_the_code_alone(people: Any, desk: Any) -> None:
    """The pasted code, the common case, is one probe of the code's unique index: the
    query that fetches the rows compares the code for equality, no LIKE."""
    code = people["binh"].code
    with CaptureQueriesContext(connection) as queries:
        desk.client("officer_a").get("/mot-cua/", {"ma": code.lower(), "moi": "1"})
    listing = [q["sql"] for q in queries.captured_queries if "procedure_code" in q["sql"]]
    assert listing and all("LIKE" not in sql.upper() for sql in listing)


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    content = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(content))
    return list(book.active.iter_rows(values_only=True))


def test_the_list_on_screen_downloads_as_xlsx_with_every_row(
    people: Any, desk: Any, html: Any
) -> None:
    client = desk.client("officer_a")
    tree = html(client.get("/mot-cua/", {"ma": "binh", "moi": "1"}).content)
    link = tree.get_element_by_id("worklist-xlsx").get("href")
    assert link.startswith("/mot-cua/danh-sach.xlsx?") and "ma=binh" in link
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = _sheet(response)
    assert rows[0][0] == f"Danh sách hồ sơ — {desk.unit_a.name}"
    assert rows[1][0].startswith("Tìm “binh” trong mọi danh sách")
    assert rows[3][:3] == ("STT", "Mã hồ sơ", "Người nộp")
    binh = people["binh"]
    assert rows[4][:3] == (1, binh.code, "Nguyễn Văn Bình")
    assert rows[4][5].strftime("%d/%m/%Y %H:%M") == "03/03/2025 09:00"  # a date, local time
    assert rows[4][7] == binh.status_label
    assert len(rows) == 5
    # The whole open list of ward A, not ward B's.
    everything = _sheet(client.get("/mot-cua/danh-sach.xlsx", {"loc": "all"}))
    assert {r[1] for r in everything[4:]} == {binh.code, people["thu"].code}


def test_the_xlsx_is_the_own_units_only(people: Any, desk: Any, cast: Any) -> None:
    other = _sheet(desk.client("officer_b").get("/mot-cua/danh-sach.xlsx", {"ma": "binh", "moi": "1"}))
    assert [r[1] for r in other[4:]] == [people["other"].code]
    assert desk.client("organiser").get("/mot-cua/danh-sach.xlsx").status_code == 403
    assert desk.client("public").get("/mot-cua/danh-sach.xlsx").status_code == 302


def test_a_formula_in_a_name_is_written_as_text(desk: Any, catalogue: Any, clock: Any) -> None:
    receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="=HYPERLINK(1)")
    rows = _sheet(desk.client("officer_a").get("/mot-cua/danh-sach.xlsx"))
    assert rows[4][2] == "'=HYPERLINK(1)"
