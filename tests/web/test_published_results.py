"""A published campaign's results are stored at publication and read, never recomputed,
by the pages and the API; what is stored is what computing gives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from cchc.par import stored
from cchc.par.export import results_json_text
from cchc.web.campaigns import approval, results, services
from cchc.web.campaigns.models import Campaign, Framework, PublishedResults, Status
from cchc.web.portal import pages
from cchc.web.units.models import Unit, UnitAlias

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process() -> Iterator[None]:
    """As in a process just started: nothing computed or rendered is remembered."""

    def forget() -> None:
        cache.clear()
        pages._results.cache_clear()
        pages._cached_ranking_rows.cache_clear()
        pages._cached_level_paragraphs.cache_clear()

    forget()
    yield
    forget()


def published() -> list[Campaign]:
    return list(
        Campaign.objects.filter(status=Status.PUBLISHED).select_related("framework").order_by("pk")
    )


def never_compute(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("published results were computed from the scores")

    monkeypatch.setattr(results, "campaign_results", refuse)
    monkeypatch.setattr(results, "compute_results", refuse)  # whoever calls it
    monkeypatch.setattr(results, "final_score_rows", refuse)


def test_the_demos_publications_stored_their_results_equal_to_computing_them():
    campaigns = published()
    assert len(campaigns) >= 3
    for campaign in campaigns:
        row = PublishedResults.objects.get(campaign=campaign)
        assert row.key == results.results_key(campaign)
        computed = results.campaign_results(campaign)
        got = stored.unpack(computed.framework, bytes(row.data))
        assert got == computed
        assert results_json_text(got) == results_json_text(computed)
        previous = results.previous_published(campaign)
        if previous is not None:  # 2022's districts against 2021's
            with_last_year = results.published_results(campaign, previous)
            assert with_last_year.previous_year == 2021
            assert results_json_text(with_last_year) == results_json_text(
                results.campaign_results(campaign, previous)
            )


def test_pages_and_api_read_the_stored_results(client, html, monkeypatch):
    expected = client.get("/api/v1/par/results?level=district&year=2022").content
    pages._results.cache_clear()
    cache.clear()
    never_compute(monkeypatch)
    assert client.get("/api/v1/par/results?level=district&year=2022").content == expected
    ranking = html(client.get("/ket-qua/district/2022/").content)
    first = ranking.xpath("//table[contains(@class,'ranking')]/tbody/tr[1]/td[2]")[0]
    assert first.text_content().strip() == "Thị xã Hoài Nhơn"
    code = Unit.objects.get(name="Thị xã Hoài Nhơn").code
    unit = client.get(f"/ket-qua/district/2022/don-vi/{code}/")
    assert unit.status_code == 200
    assert html(unit.content).xpath("//h1")[0].text_content().strip().startswith("Thị xã Hoài Nhơn")


def test_a_campaign_published_before_results_were_stored_is_computed_once_then_stored(
    client, monkeypatch
):
    campaign = Campaign.objects.get(level="district", year=2022, status=Status.PUBLISHED)
    expected = client.get("/api/v1/par/results?level=district&year=2022").content
    PublishedResults.objects.filter(campaign__level="district").delete()
    pages._results.cache_clear()
    assert client.get("/api/v1/par/results?level=district&year=2022").content == expected
    row = PublishedResults.objects.get(campaign=campaign)
    assert row.key == results.results_key(campaign)
    assert PublishedResults.objects.filter(campaign__level="district").count() == 2  # and 2021
    pages._results.cache_clear()
    never_compute(monkeypatch)
    assert client.get("/api/v1/par/results?level=district&year=2022").content == expected


def test_stored_results_of_other_unit_codes_or_another_format_are_computed_again(monkeypatch):
    campaign = Campaign.objects.select_related("framework").get(
        level="commune", year=2022, status=Status.PUBLISHED
    )
    before = PublishedResults.objects.get(campaign=campaign).key
    UnitAlias.objects.create(unit=Unit.objects.order_by("pk").first(), alias="BI-DANH-THU")
    assert results.results_key(campaign) != before  # units moved: codes may differ
    got = results.own_results(campaign)
    assert PublishedResults.objects.get(campaign=campaign).key == results.results_key(campaign)
    assert got == results.campaign_results(campaign)
    monkeypatch.setattr(stored, "FORMAT", stored.FORMAT + 1)
    assert results.results_key(campaign).startswith(f"f{stored.FORMAT}|")
    assert results.own_results(campaign) == got
    assert PublishedResults.objects.get(campaign=campaign).key.startswith(f"f{stored.FORMAT}|")


def _rerun(cast, rows: list[dict[str, str]]) -> Campaign:
    districts = list(Unit.objects.filter(level="district").order_by("code"))
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    rerun = services.create_campaign(fw, districts, user=cast.organiser)
    services.import_scores(rerun, rows, field="self_score")
    services.import_scores(rerun, rows, field="appraised_score")
    approval.propose(rerun, user=None)
    approval.approve(rerun, user=None)
    return rerun


def test_a_correction_stores_its_own_results_and_the_earlier_version_keeps_its_own(cast):
    districts = list(Unit.objects.filter(level="district").order_by("code"))
    # Ties (every district but one scores the same) and survey components that do not
    # apply to one district.
    rows = [
        {"unit_code": u.code, "KQ": "40", "DT": "KAD" if i == 1 else "5", "HL": "20"}
        for i, u in enumerate(districts)
    ]
    rows[0]["KQ"] = "59"
    old = Campaign.objects.get(level="district", year=2022, status=Status.PUBLISHED)
    old_data = bytes(PublishedResults.objects.get(campaign=old).data)
    rerun = _rerun(cast, rows)
    assert not PublishedResults.objects.filter(campaign=rerun).exists()
    services.publish(rerun, user=None, reason="Đính chính số liệu")
    rerun.refresh_from_db()
    assert rerun.version == 2
    got = results.own_results(rerun)
    computed = results.campaign_results(rerun)
    assert got == computed and results_json_text(got) == results_json_text(computed)
    assert max(got.tied(u.rank) for u in got.units) == len(districts) - 2
    assert got.unit(districts[1].code).components["DT"].score is None
    assert bytes(PublishedResults.objects.get(campaign=old).data) == old_data


def test_publication_is_all_or_nothing_with_its_stored_results(cast, monkeypatch):
    districts = list(Unit.objects.filter(level="district").order_by("code"))
    rerun = _rerun(cast, [{"unit_code": u.code, "KQ": "41", "DT": "5", "HL": "20"} for u in districts])

    def broken(_: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(stored, "pack", broken)
    with pytest.raises(RuntimeError):
        services.publish(rerun, user=None, reason="Đính chính")
    rerun.refresh_from_db()
    assert rerun.status != Status.PUBLISHED and rerun.version is None
    assert not PublishedResults.objects.filter(campaign=rerun).exists()


def test_a_publication_refused_for_missing_scores_stores_nothing(cast):
    districts = list(Unit.objects.filter(level="district").order_by("code"))
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    rerun = services.create_campaign(fw, districts, user=cast.organiser)
    rows = [{"unit_code": u.code, "KQ": "41", "DT": "5", "HL": "20"} for u in districts[1:]]
    services.import_scores(rerun, rows, field="appraised_score")
    with pytest.raises(services.CampaignError):
        services.publish(rerun, user=None, reason="Đính chính")
    assert not PublishedResults.objects.filter(campaign=rerun).exists()


def test_a_published_units_page_reads_the_published_campaigns_once(client, html):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    codes = [u.code for u in Unit.objects.filter(level="district").order_by("code")[:2]]
    client.get(f"/ket-qua/district/2022/don-vi/{codes[0]}/")  # results read, process warm
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/ket-qua/district/2022/don-vi/{codes[1]}/")
    assert page.status_code == 200
    campaigns = [q["sql"] for q in queries.captured_queries if 'FROM "campaigns_campaign"' in q["sql"]]
    assert len(campaigns) == 1, campaigns
    assert not [q for q in queries.captured_queries if "campaigns_campaignunit" in q["sql"]]
    assert not [q for q in queries.captured_queries if "campaigns_criterionscore" in q["sql"]]
    # The published campaigns, the unit aliases (the stamp), the published surveys and the
    # uploaded survey errors in one union (the robustness stamp).
    assert len(queries.captured_queries) <= 3
    doc = html(page.content)
    assert "<figure" not in doc.xpath("//title")[0].text_content()
