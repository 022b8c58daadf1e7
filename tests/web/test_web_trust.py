"""Results people can trust: a missing score is never "does not apply", one score reader
with half-up rounding, reasons that can be seen, and deliberate, versioned publishing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.par.values import NOT_APPLICABLE
from cchc.web.campaigns import approval, services
from cchc.web.campaigns.models import Campaign, CriterionScore, Framework
from cchc.web.campaigns.results import campaign_results
from cchc.web.ops.models import AuditEntry
from cchc.web.units.models import Unit
from cchc.web.workflow import objections
from cchc.web.workflow.campaigns import open_campaign
from cchc.web.workflow.surveys import enter_survey_scores, import_survey_file

pytestmark = pytest.mark.django_db

INVISIBLE = "\u2060\u200b\ufeff  \u00a0"


@pytest.fixture
def campaign(cast) -> Campaign:
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    return open_campaign(
        fw,
        Unit.objects.filter(code__in=["HNH", "ANH"]),
        user=cast.organiser,
        name="Đánh giá thử",
        survey=["DT", "HL"],
        dates={"self_assessment_start": dt.date(2023, 1, 5)},
    )


def phase(campaign: Campaign, status: str) -> None:
    campaign.status = status
    campaign.save(update_fields=["status"])


def score(campaign: Campaign, unit: str = "HNH", node: str = "KQ") -> CriterionScore:
    return CriterionScore.objects.get(
        campaign_unit__campaign=campaign, campaign_unit__unit__code=unit, node_code=node
    )


def fill(campaign: Campaign, field: str, rows=None) -> None:
    rows = rows or [
        {"unit_code": "HNH", "KQ": "55,46", "DT": "6,67", "HL": "26,28"},
        {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "26,9"},
    ]
    services.import_scores(campaign, rows, field=field, source="diem.csv")


# --- three states ----------------------------------------------------------------------


def test_a_criterion_has_three_states_and_missing_is_not_not_applicable(cast, campaign):
    phase(campaign, "self_assessment")
    kq = score(campaign)
    assert (kq.state, kq.final_score) == ("missing", None)
    services.set_self_score(kq, "KAD", user=cast.officer_a, explanation="Không có nhiệm vụ này")
    kq.refresh_from_db()
    assert (kq.state, kq.final_score, kq.final_not_applicable_reason) == (
        "not_applicable", NOT_APPLICABLE, "Không có nhiệm vụ này",
    )  # fmt: skip
    services.set_self_score(kq, "55,46", user=cast.officer_a)
    kq.refresh_from_db()
    assert (kq.state, kq.final_score, kq.not_applicable) == ("scored", Decimal("55.46"), False)


def test_not_applicable_needs_a_visible_reason(cast, campaign):
    phase(campaign, "self_assessment")
    for explanation in ("", INVISIBLE):
        with pytest.raises(services.CampaignError, match="phải ghi lý do"):
            services.set_self_score(score(campaign), "không áp dụng", user=cast.officer_a, explanation=explanation)
    assert score(campaign).state == "missing"


def test_provisional_results_refuse_a_unit_with_one_component_scored(cast, campaign, html):
    # Before: HNH with only KQ (55,46 of 60 → 92,4 %) ranked first, above ANH fully scored.
    fill(campaign, "self_score", [
        {"unit_code": "HNH", "KQ": "55,46"},
        {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "26,9"},
    ])  # fmt: skip
    with pytest.raises(services.ScoresError):
        campaign_results(campaign)
    url = f"/dot-danh-gia/{campaign.pk}/ket-qua/"
    page = cast.client("organiser").get(url)
    assert page.status_code == 409
    items = [li.text_content() for li in html(page.content).xpath("//ul[@class='problems']/li")]
    assert items == [
        f"campaign-{campaign.pk}, cột DT: Thị xã Hoài Nhơn (HNH): chưa có điểm",
        f"campaign-{campaign.pk}, cột HL: Thị xã Hoài Nhơn (HNH): chưa có điểm",
    ]
    download = cast.client("organiser").get(url + "tai-ve.json")
    assert download.status_code == 409
    assert download.json()["missing"] == [
        {"row": None, "column": "DT", "message": "Thị xã Hoài Nhơn (HNH): chưa có điểm"},
        {"row": None, "column": "HL", "message": "Thị xã Hoài Nhơn (HNH): chưa có điểm"},
    ]
    assert cast.client("organiser").get(url + "tai-ve.csv").status_code == 409


def test_kad_ranks_with_the_applicable_maximum(cast, campaign):
    fill(campaign, "self_score", [
        {"unit_code": "HNH", "KQ": "55,46", "DT": "KAD", "HL": "26,28"},
        {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "26,9"},
    ])  # fmt: skip
    results = campaign_results(campaign)
    hnh = results.unit("HNH")
    assert (round(hnh.score, 2), hnh.max, round(hnh.index, 2)) == (81.74, 90.0, 90.82)
    assert [u.unit_code for u in results.units] == ["HNH", "ANH"]  # ranked by index
    assert score(campaign, node="DT").not_applicable_reason == "diem.csv"


def test_a_blank_cell_in_a_survey_file_is_an_error_with_row_and_column(cast, campaign):
    upload = SimpleUploadedFile("dieu-tra.csv", b"unit_code,unit_name,DT,HL\nHNH,Hoai Nhon,\"6,67\",\nANH,An Nhon,KAD,26.9\n")
    with pytest.raises(services.CampaignError) as info:
        import_survey_file(campaign, upload, user=cast.organiser)
    assert str(info.value) == "dieu-tra.csv, dòng 2, cột HL: ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng"
    assert score(campaign, node="DT").appraised_score is None  # nothing written


def test_the_survey_form_leaves_blank_cells_alone_and_reads_kad(cast, campaign):
    enter_survey_scores(campaign, {"HNH": {"DT": "6,67", "HL": ""}, "ANH": {"DT": "kad", "HL": "26,9"}}, user=cast.organiser)
    assert score(campaign, node="DT").appraised_value == Decimal("6.67")
    assert score(campaign, node="HL").appraised_value is None
    assert score(campaign, "ANH", "DT").appraised_value is NOT_APPLICABLE


# --- one reader, half-up -----------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("1,005", "1.01"), ("55.46", "55.46"), ("55,465", "55.47"), ("0,125", "0.13")])
def test_every_form_rounds_half_up(cast, campaign, typed, stored):
    # The web rounded half-to-even: "1,005" became 1,00 and "0,125" 0,12.
    phase(campaign, "self_assessment")
    services.set_self_score(score(campaign), typed, user=cast.officer_a)
    assert score(campaign).self_score == Decimal(stored)
    phase(campaign, "appraisal")
    services.appraise(score(campaign, "ANH"), typed, user=cast.appraiser, reason="Theo minh chứng")
    assert score(campaign, "ANH").appraised_score == Decimal(stored)


def test_form_values_are_checked_against_the_node(cast, campaign):
    phase(campaign, "self_assessment")
    with pytest.raises(services.CampaignError, match=re.escape("điểm 1.234,5 nằm ngoài khoảng 0..60 của KQ")):
        services.set_self_score(score(campaign), "1.234,5", user=cast.officer_a)
    with pytest.raises(services.CampaignError, match=re.escape("điểm 60,01 nằm ngoài khoảng 0..60 của KQ")):
        services.set_self_score(score(campaign), "60,005", user=cast.officer_a)
    with pytest.raises(services.CampaignError, match="'năm mươi' không phải là số"):
        services.set_self_score(score(campaign), "năm mươi", user=cast.officer_a)


# --- reasons that can be seen ----------------------------------------------------------


def test_an_invisible_appraisal_reason_is_refused(cast, campaign):
    fill(campaign, "self_score")
    phase(campaign, "appraisal")
    with pytest.raises(services.CampaignError, match="phải ghi lý do điều chỉnh"):
        services.appraise(score(campaign), "50", user=cast.appraiser, reason=INVISIBLE)
    assert score(campaign).appraised_score is None
    services.appraise(score(campaign), "50", user=cast.appraiser, reason=" Thiếu minh chứng\u200b")
    assert score(campaign).appraisal_reason == "Thiếu minh chứng"


def test_invisible_objections_and_answers_are_refused(cast, campaign):
    fill(campaign, "self_score")
    phase(campaign, "objections")
    with pytest.raises(services.CampaignError, match="không được để trống"):
        services.raise_objection(score(campaign), INVISIBLE, user=cast.officer_a)
    objection = services.raise_objection(score(campaign), "Đề nghị xem xét", user=cast.officer_a)
    with pytest.raises(services.CampaignError, match="không được để trống"):
        objections.answer(objection, INVISIBLE, user=cast.appraiser, new_score="50")
    assert score(campaign).appraised_score is None


def test_the_appraiser_may_say_a_criterion_does_not_apply_with_a_reason(cast, campaign):
    fill(campaign, "self_score")
    phase(campaign, "appraisal")
    with pytest.raises(services.CampaignError, match="phải ghi lý do"):
        services.appraise(score(campaign), "KAD", user=cast.appraiser, reason="")
    services.appraise(score(campaign), "KAD", user=cast.appraiser, reason="Đơn vị không có nhiệm vụ")
    kq = score(campaign)
    assert (kq.state, kq.final_not_applicable_reason) == ("not_applicable", "Đơn vị không có nhiệm vụ")
    assert kq.history.last().new == "KAD"


# --- publishing ----------------------------------------------------------------------------


def test_publishing_is_refused_while_any_appraisal_is_missing(cast, campaign):
    fill(campaign, "self_score")
    phase(campaign, "objections")
    # Only HNH/KQ has been appraised; five criteria still have self scores only.
    CriterionScore.objects.filter(pk=score(campaign).pk).update(appraised_score=Decimal("50"))
    with pytest.raises(services.CampaignError, match="Còn 5 tiêu chí chưa có điểm thẩm định"):
        services.publish(campaign, user=cast.organiser, reason="Đính chính")
    campaign.refresh_from_db()
    assert not campaign.is_published


def test_publish_asks_for_confirmation_and_shows_what_changes(cast, campaign, html):
    fill(campaign, "self_score")
    fill(campaign, "appraised_score", [
        {"unit_code": "HNH", "KQ": "50", "DT": "6,67", "HL": "26,28"},
        {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "26,9"},
    ])  # fmt: skip
    phase(campaign, "objections")
    approval.propose(campaign, user=cast.organiser)
    approval.approve(campaign, user=cast.leader)
    client = cast.client("organiser")
    url = f"/dot-danh-gia/{campaign.pk}/cong-bo/"
    page = client.get(url)
    assert page.status_code == 200
    doc = html(page.content)
    assert doc.xpath("//*[@id='publish-correction']")  # district 2022 is published (demo)
    rows = {tr.get("data-unit"): [td.text_content() for td in tr.xpath("td")] for tr in doc.xpath("//table[@id='publish-changes']/tbody/tr")}
    assert rows["HNH"] == ["Thị xã Hoài Nhơn", "88,41 → 82,95", "1 → 2", "Tốt"]
    assert rows["ANH"][2] == "3 → 1"
    # Nine units of the published ranking are not in this campaign: listed as leaving it.
    assert len(rows) == 11
    # A post without the confirmation, or without a reason for a correction, publishes nothing.
    assert client.post(url, {}).status_code == 200
    refused = client.post(url, {"confirm": "yes", "reason": INVISIBLE}, follow=True)
    assert "phải ghi lý do đính chính" in refused.content.decode()
    campaign.refresh_from_db()
    assert not campaign.is_published
    client.post(url, {"confirm": "yes", "reason": "Đính chính điểm KQ của Hoài Nhơn"})
    campaign.refresh_from_db()
    assert campaign.is_published and campaign.version == 2
    assert campaign.correction_reason == "Đính chính điểm KQ của Hoài Nhơn"
    entry = AuditEntry.objects.filter(action="campaign.publish").order_by("-seq").first()
    assert entry is not None and entry.actor == "noivu"
    assert entry.new == f"đợt {campaign.pk}, phiên bản 2" and entry.old.endswith("phiên bản 1")
    assert entry.reason == "Đính chính điểm KQ của Hoài Nhơn"


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(cast, campaign, html, client):
    old = Campaign.objects.get(level="district", year=2022, status="published")
    fill(campaign, "self_score")
    fill(campaign, "appraised_score", [
        {"unit_code": "HNH", "KQ": "50", "DT": "6,67", "HL": "26,28"},
        {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "26,9"},
    ])  # fmt: skip
    phase(campaign, "objections")
    campaign.illustrative = True  # as the demo's workflow campaign is
    campaign.save(update_fields=["illustrative"])
    assert client.get("/ket-qua/district/2022/").status_code == 200  # version 1's table cached
    approval.propose(campaign, user=cast.organiser)
    approval.approve(campaign, user=cast.leader)
    services.publish(campaign, user=cast.organiser, reason="Đính chính điểm KQ")
    # The page shows version 2 and links version 1, which stays readable by everyone.
    page = html(client.get("/ket-qua/district/2022/").content)
    banner = page.xpath("//*[@id='publication-version']")[0]
    assert banner.get("data-version") == "2" and "Đính chính điểm KQ" in banner.text_content()
    old_url = page.xpath("//a[@data-version-link='1']/@href")[0]
    assert old_url == f"/dot-danh-gia/{old.pk}/ket-qua/"
    old_page = client.get(old_url)
    assert old_page.status_code == 200
    old_doc = html(old_page.content)
    assert "Phiên bản này đã được thay thế" in old_doc.xpath("//*[@id='publication-version']")[0].text_content()
    assert old_doc.xpath("//table[contains(@class,'ranking')]/tbody/tr[1]/@data-unit") == ["HNH"]
    # Its links (units, downloads) stay on version 1, not on the public address now showing 2.
    assert old_doc.xpath("//tr[@data-unit='HNH']//a/@href") == [f"/dot-danh-gia/{old.pk}/ket-qua/don-vi/HNH/"]
    assert f"/dot-danh-gia/{old.pk}/ket-qua/tai-ve.json" in old_doc.xpath("//p[@class='downloads']/a/@href")
    assert client.get(f"/dot-danh-gia/{old.pk}/ket-qua/don-vi/HNH/").status_code == 200
    # Illustrative figures: the corrected demo version says every figure is illustrative.
    assert "Mọi số liệu của phiên bản này là giả định" in page.xpath("//p[@class='illustrative']")[0].text_content()
    # The API: the version in force by default, any version by number, all of them listed.
    now = client.get("/api/v1/par/results?level=district&year=2022").json()
    v1 = client.get("/api/v1/par/results?level=district&year=2022&version=1").json()
    assert now["units"][0]["unit_code"] == "ANH" and v1["units"][0]["unit_code"] == "HNH"
    assert client.get("/api/v1/par/results?level=district&year=2022&version=3").status_code == 404
    listed = [c for c in client.get("/api/v1/par/campaigns").json() if (c["level"], c["year"]) == ("district", 2022)]
    assert [(c["version"], c["current"], c["correction_reason"]) for c in listed] == [
        (2, True, "Đính chính điểm KQ"), (1, False, ""),
    ]  # fmt: skip
    assert listed[1]["results_url"] == "/api/v1/par/results?level=district&year=2022&version=1"


def test_the_migration_numbers_existing_publications_in_order(cast, campaign):
    # Before versions, a second publication of district 2022 silently replaced the first.
    import importlib

    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module(
        "cchc.web.campaigns.migrations.0003_publication_versions_and_not_applicable"
    )
    Campaign.objects.update(version=None)
    Campaign.objects.filter(pk=campaign.pk).update(status="published", published_at=timezone.now())
    migration.number_publications(apps, None)
    versions = {
        (c.level, c.year, c.pk == campaign.pk): c.version
        for c in Campaign.objects.filter(status="published")
    }
    assert versions == {
        ("district", 2021, False): 1, ("district", 2022, False): 1, ("commune", 2022, False): 1,
        ("district", 2022, True): 2,
    }  # fmt: skip


def test_the_officer_marks_kad_in_the_form_and_the_pages_show_the_three_states(cast, campaign, html):
    phase(campaign, "self_assessment")
    client = cast.client("officer_a")
    base = f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/"
    refused = client.post(base + "tieu-chi/KQ/tu-danh-gia/", {"score": "kad", "explanation": "\u200b", "version": score(campaign).version}, follow=True)
    assert "Tiêu chí không áp dụng: phải ghi lý do" in refused.content.decode()
    client.post(base + "tieu-chi/KQ/tu-danh-gia/", {"score": "kad", "explanation": "Không có nhiệm vụ", "version": score(campaign).version})
    page = html(client.get(base + "tieu-chi/KQ/").content)
    assert page.xpath("string(//*[@id='self-score'])") == "không áp dụng"
    assert "Không có nhiệm vụ" in page.xpath("string(//*[@id='not-applicable-reason'])")
    unit = html(client.get(base).content)
    finals = {tr.get("data-node"): tr.xpath("string(td[contains(@class,'final')])") for tr in unit.xpath("//table[@id='criteria']/tbody/tr")}
    assert finals == {"KQ": "không áp dụng", "DT": "chưa chấm", "HL": "chưa chấm"}
