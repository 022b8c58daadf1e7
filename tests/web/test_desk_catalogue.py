"""The public procedure catalogue, parsed: search without diacritics, fields, a page per procedure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.test import Client

from cchc.textio import fold
from cchc.web.desk.catalogue import NO_FIELD
from cchc.web.desk.models import Procedure

pytestmark = pytest.mark.django_db


def codes(tree: Any) -> list[str]:
    return [tr.get("data-code") for tr in tree.xpath("//table[contains(@class, 'catalogue')]/tbody/tr")]


def test_folding_ignores_case_tone_and_vowel_marks_and_d_bar() -> None:
    assert fold("Chứng  THỰC bản sao") == "chung thuc ban sao"
    assert fold("Đăng ký") == fold("dang ky") == "dang ky"


def test_the_search_is_a_get_form_that_works_without_javascript(catalogue: Any, html: Any) -> None:
    tree = html(Client().get("/thu-tuc-hanh-chinh/").content)
    form = tree.get_element_by_id("catalogue-search")
    assert form.get("method") == "get"
    assert form.xpath(".//input[@type='search']/@name") == ["q"]
    assert form.xpath(".//button[@type='submit']")
    assert not tree.xpath("//script[contains(., 'catalogue')]")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("chung thuc", {"CT-BS", "CT-CK", "CT-HD"}),  # no diacritics
        ("CHỨNG THỰC chữ ký", {"CT-CK"}),  # the whole phrase, any case
        ("ho kinh doanh", {"KD-HK", "KD-TD"}),
        ("ht-hn", {"HT-HN"}),  # the code, in lower case
        ("dat dai", {"DD-CN", "DD-BD", "DD-TT"}),  # the field's name
        ("khai sinh", {"HT-KS"}),
    ],
)
def test_search_by_name_or_code_without_diacritics(
    catalogue: Any, html: Any, typed: str, expected: set[str]
) -> None:
    tree = html(Client().get("/thu-tuc-hanh-chinh/", {"q": typed}).content)
    assert set(codes(tree)) == expected
    assert tree.get_element_by_id("id-q").get("value") == typed
    assert f"{len(expected)} thủ tục khớp" in tree.get_element_by_id("catalogue-count").text_content()


def test_a_search_that_finds_nothing_says_so_in_vietnamese(catalogue: Any, html: Any) -> None:
    response = Client().get("/thu-tuc-hanh-chinh/", {"q": "xyz không có"})
    assert response.status_code == 200
    tree = html(response.content)
    assert codes(tree) == []
    assert "Không tìm thấy thủ tục nào" in tree.get_element_by_id("catalogue-empty").text_content()


def test_procedures_are_grouped_by_field_with_those_without_a_field_last(catalogue: Any, html: Any) -> None:
    Procedure.objects.create(code="1.000001", name="Thủ tục chưa phân lĩnh vực", time_limit=5)
    tree = html(Client().get("/thu-tuc-hanh-chinh/").content)
    sections = tree.xpath("//section[contains(@class, 'field-group')]")
    headings = [s.xpath("string(h2)") for s in sections]
    assert headings[-1] == NO_FIELD
    assert headings[:-1] == sorted(headings[:-1], key=fold)
    assert "Hộ tịch" in headings and "Chứng thực" in headings
    civil = sections[headings.index("Hộ tịch")]
    assert {tr.get("data-code") for tr in civil.xpath(".//tbody/tr")} == {
        "HT-KS", "HT-KT", "HT-KH", "HT-TL", "HT-HN", "HT-CC", "HT-CM",
    }
    # The index of fields links to each group.
    assert tree.xpath("//nav[contains(@class, 'field-index')]/a/@href")[0] == "#" + sections[0].get("id")


def test_each_procedure_has_its_page_with_what_the_catalogue_holds(catalogue: Any, html: Any) -> None:
    tree = html(Client().get("/thu-tuc-hanh-chinh/").content)
    link = tree.xpath("//tr[@data-code='DD-CN']//a/@href")[0]
    assert link == "/thu-tuc-hanh-chinh/DD-CN/"
    page = html(Client().get(link).content)
    text = {dd.get("id"): dd.text_content().strip() for dd in page.xpath("//dl[@id='procedure-facts']/dd")}
    assert page.get_element_by_id("procedure-name").text_content() == catalogue["DD-CN"].name
    assert text["procedure-code"] == "DD-CN"
    assert text["procedure-field"] == "Đất đai"
    assert text["procedure-time-limit"] == "20 ngày làm việc"
    assert text["procedure-fee"] == "20.000 đồng"
    assert text["procedure-online"].startswith("Có")
    # What the catalogue does not hold is said, not guessed.
    assert text["procedure-documents"] == "Chưa có thông tin"
    assert text["procedure-place"] == "Chưa có thông tin"


def test_a_procedure_without_field_or_fee_says_so(db: None, html: Any) -> None:
    Procedure.objects.create(code="2.002", name="Cấp bản sao", time_limit=0, fee=Decimal(0))
    page = html(Client().get("/thu-tuc-hanh-chinh/2.002/").content)
    assert page.get_element_by_id("procedure-field").text_content() == "Chưa có thông tin"
    assert page.get_element_by_id("procedure-time-limit").text_content().strip() == "Trong ngày"
    assert page.get_element_by_id("procedure-fee").text_content() == "Không thu phí, lệ phí"


def test_an_unknown_procedure_is_a_vietnamese_404(db: None) -> None:
    response = Client().get("/thu-tuc-hanh-chinh/KHONG-CO/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
