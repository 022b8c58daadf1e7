"""The published ranking is rendered once and cached under the campaign's stamp; a new
publication is shown at once (issue 6, load goal)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def first_unit(client: Client, html, url: str) -> str:
    doc = html(client.get(url).content)
    return doc.xpath("//table[contains(@class,'ranking')]/tbody/tr[1]/td[2]")[0].text_content().strip()


def test_the_ranking_fragment_is_rendered_once_then_served_from_the_cache(client: Client, html):
    from cchc.web.portal import pages, views

    first = client.get("/ket-qua/district/2022/").content
    campaign = pages.edition("district", 2022).campaign
    key = views._ranking_fragment_key(pages.campaign_stamp(campaign))
    cached = cache.get(key)
    assert cached is not None and "Thị xã Hoài Nhơn" in cached
    # Put a marker in the cached fragment: the next page must be built from it.
    cache.set(key, cached.replace("Thị xã Hoài Nhơn", "Thị xã Hoài Nhơn (bản lưu)"))
    second = client.get("/ket-qua/district/2022/").content.decode()
    assert "(bản lưu)" in second and "(bản lưu)" not in first.decode()
    # The home page shows the same (newest) edition from the same cache entry.
    assert "(bản lưu)" in client.get("/").content.decode()


def test_publishing_a_new_edition_shows_the_new_ranking_immediately(cast, html):
    from cchc.web.campaigns import approval, services
    from cchc.web.campaigns.models import Framework
    from cchc.web.units.models import Unit

    public = cast.client("public")
    url = "/ket-qua/district/2022/"
    assert first_unit(public, html, url) == "Thị xã Hoài Nhơn"  # seed; now cached
    districts = list(Unit.objects.filter(level="district").order_by("code"))
    # A re-run of 2022 in which a different district scores highest.
    winner = next(u for u in districts if u.code != "HNH")
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    rerun = services.create_campaign(fw, districts, user=cast.organiser)
    rows = [
        {"unit_code": u.code, "KQ": "59" if u == winner else "40", "DT": "5", "HL": "20"}
        for u in districts
    ]
    services.import_scores(rerun, rows, field="self_score")
    services.import_scores(rerun, rows, field="appraised_score")
    assert first_unit(public, html, url) == "Thị xã Hoài Nhơn"  # not published yet
    approval.propose(rerun, user=None)
    approval.approve(rerun, user=None)
    services.publish(rerun, user=None, reason="Đính chính số liệu")
    assert first_unit(public, html, url) == winner.name
    assert first_unit(public, html, "/") == winner.name
