"""A long ranking is read a page at a time and searched by name or code (issue 12, scale).

A country's 3 321 communes do not fit one page; here the page size is set to 5 so the
seed's 17 Hoài Nhơn communes span four pages. Rows keep their place in the whole ranking
(STT), and a search matches names typed without diacritics.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/ket-qua/commune/2022/"


@pytest.fixture(autouse=True)
def five_a_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from cchc.web.portal import views

    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 5)
    cache.clear()
    yield
    cache.clear()


def rows(doc) -> list[list[str]]:
    return [
        [td.text_content().strip() for td in tr.xpath("./td")]
        for tr in doc.xpath('//table[contains(@class, "ranking")]/tbody/tr')
    ]


def pager(doc) -> dict[str, str]:
    nav = doc.xpath("//nav[@class='pager']")
    if not nav:
        return {}
    links = {a.get("rel"): a.get("href") for a in nav[0].xpath("./a")}
    return {"text": nav[0].xpath("./span")[0].text_content().strip(), **links}


def test_the_first_page_shows_the_first_five_and_links_to_the_next(client: Client, html):
    doc = html(client.get(URL).content)
    assert [r[0] for r in rows(doc)] == ["1", "2", "3", "4", "5"]
    assert rows(doc)[0][1] == "Phường Bồng Sơn"
    assert pager(doc) == {"text": "Trang 1/4", "next": URL + "?trang=2"}


def test_later_pages_keep_each_units_place_in_the_whole_ranking(client: Client, html):
    second = html(client.get(URL + "?trang=2").content)
    assert [r[0] for r in rows(second)] == ["6", "7", "8", "9", "10"]
    assert pager(second) == {"text": "Trang 2/4", "prev": URL, "next": URL + "?trang=3"}
    last = html(client.get(URL + "?trang=4").content)
    assert [r[0] for r in rows(last)] == ["16", "17"]
    assert "next" not in pager(last)


def test_a_page_past_the_end_shows_the_last_and_a_bad_page_number_the_first(client: Client, html):
    assert [r[0] for r in rows(html(client.get(URL + "?trang=99").content))] == ["16", "17"]
    assert [r[0] for r in rows(html(client.get(URL + "?trang=mot").content))][:2] == ["1", "2"]


def test_a_search_without_diacritics_finds_the_unit_at_its_place(client: Client, html):
    doc = html(client.get(URL + "?q=tam quan").content)
    found = rows(doc)
    assert {r[1] for r in found} == {"Phường Tam Quan", "Phường Tam Quan Bắc", "Phường Tam Quan Nam"}
    assert doc.xpath("//p[@id='ranking-matches']")[0].text_content().strip() == (
        "3 đơn vị khớp với “tam quan”."
    )
    # Bồng Sơn is first in the whole ranking; found by search it still says 1.
    assert rows(html(client.get(URL + "?q=BONG SON").content)) [0][:2] == ["1", "Phường Bồng Sơn"]
    assert doc.xpath("//input[@name='q']")[0].get("value") == "tam quan"


def test_a_search_by_code_and_a_search_that_finds_nothing(client: Client, html):
    assert [r[1] for r in rows(html(client.get(URL + "?q=hsO").content))] == ["Xã Hoài Sơn"]
    doc = html(client.get(URL + "?q=không có").content)
    assert rows(doc) == []
    assert doc.xpath("//p[@id='ranking-matches']")[0].text_content().strip() == (
        "Không có đơn vị nào khớp với “không có”."
    )


def test_search_results_page_on_with_the_search_kept(client: Client, html):
    doc = html(client.get(URL + "?q=phuong").content)  # 11 wards: 3 pages of 5
    assert len(rows(doc)) == 5
    assert pager(doc) == {"text": "Trang 1/3", "next": URL + "?q=phuong&trang=2"}


def test_each_page_is_cached_on_its_own_and_a_search_text_is_escaped(client: Client, html):
    from cchc.web.portal import pages, views

    client.get(URL + "?trang=2")
    stamp = pages.campaign_stamp(pages.edition("commune", 2022).campaign)
    assert cache.get(views._ranking_fragment_key(stamp, 2)) is not None
    assert cache.get(views._ranking_fragment_key(stamp, 1)) is None
    body = client.get(URL + "?q=<script>x</script>").content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;x&lt;/script&gt;" in body


def test_a_ranking_that_fits_one_page_has_no_search_form_or_pager(client: Client, html):
    from cchc.web.portal import views

    views.RANKING_PAGE_SIZE = 100  # restored by the fixture's monkeypatch
    doc = html(client.get(URL).content)
    assert len(rows(doc)) == 17
    assert not doc.xpath("//form[contains(@class,'ranking-search')]") and pager(doc) == {}


def test_a_published_units_tables_are_rendered_once_then_served_from_the_cache(client: Client, html):
    import hashlib

    from cchc.web.portal import pages

    url = URL + "don-vi/BSO/"
    first = html(client.get(url).content)
    assert first.xpath("//table[contains(@class,'components')]//tr[@data-node='KQ']/td[2]")[0].text_content() == "67,76"
    stamp = pages.campaign_stamp(pages.edition("commune", 2022).campaign)
    key = "portal:unit-tables:" + hashlib.sha256(f"{stamp}|BSO".encode()).hexdigest()
    cached = cache.get(key)
    assert cached is not None and "67,76" in cached
    cache.set(key, cached.replace("67,76", "67,76 (bản lưu)"))
    again = html(client.get(url).content)
    cell = again.xpath("//table[contains(@class,'components')]//tr[@data-node='KQ']/td[2]")[0]
    assert cell.text_content() == "67,76 (bản lưu)"
    # Another unit has its own entry.
    assert "(bản lưu)" not in client.get(URL + "don-vi/TQU/").content.decode()
