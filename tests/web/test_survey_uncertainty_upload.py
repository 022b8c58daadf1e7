"""Surveys run outside cchc: the organiser uploads their sampling error (the uncertainty
file of ``cchc par robustness --uncertainty``) and the results pages show how sure each
rank is, exactly as for a survey run in cchc (issue 13, item 1 on the web)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.demo import data_path

pytestmark = pytest.mark.django_db

DEMO_FILE = data_path("district_2022_uncertainty.csv")
HEADER = "unit_code,component,factor,respondents,satisfied,se\n"


@pytest.fixture
def district():
    from cchc.web.campaigns.models import Campaign, Status
    from cchc.web.portal import insight, pages

    campaign = Campaign.objects.get(status=Status.PUBLISHED, level="district", year=2022)
    insight._published_report.cache_clear()
    pages._results.cache_clear()
    cache.clear()
    yield campaign
    insight._published_report.cache_clear()
    cache.clear()


def _url(campaign, suffix=""):
    return f"/dot-danh-gia/{campaign.pk}/sai-so-khao-sat/{suffix}"


def _file(name, content, kind="text/csv"):
    return SimpleUploadedFile(name, content.encode("utf-8") if isinstance(content, str) else content, kind)


def _upload(client, campaign, name, content):
    return client.post(_url(campaign), {"file": _file(name, content)})


def _demo_text():
    return DEMO_FILE.read_text(encoding="utf-8")


def _stored(campaign):
    from cchc.web.workflow.models import SurveyUncertainty

    return SurveyUncertainty.objects.filter(campaign=campaign).first()


def test_the_uploaded_file_gives_the_cli_figures_on_the_results_pages(cast, district, html):
    from cchc.par.insight_export import robustness_to_json
    from cchc.par.robustness import robustness
    from cchc.par.uncertainty import load_uncertainty
    from cchc.web.portal import pages

    organiser = cast.client("organiser")
    answer = _upload(organiser, district, "sai-so-khao-sat.csv", _demo_text())
    assert answer.status_code == 302 and answer["Location"] == _url(district)
    page = html(organiser.get(_url(district)).content)
    assert page.xpath("//strong[@id='uncertainty-file']")[0].text_content() == "sai-so-khao-sat.csv"
    assert "Đã lưu sai số khảo sát: 11 đơn vị, thành phần DT, HL (đơn vị–thành phần: 11 theo số người trả lời, 11 theo sai số chuẩn)." in page.xpath("//ul[contains(@class,'messages')]")[0].text_content()

    # The same figures as `cchc par robustness --uncertainty` on the same file (10.000 draws,
    # seed 0), through the API twin of the results pages.
    results = pages.results_for(district)
    expected = robustness_to_json(
        robustness(results, load_uncertainty(DEMO_FILE, results), draws=10_000, seed=0)
    )
    api = cast.client("public").get("/api/v1/par/robustness?level=district&year=2022")
    assert api.status_code == 200 and api.json() == expected

    doc = html(cast.client("public").get("/ket-qua/district/2022/").content)
    section = doc.xpath("//section[@id='robustness']")[0]
    rows = {
        tr.get("data-unit"): [td.text_content().strip() for td in tr.xpath("./td")]
        for tr in section.xpath(".//table[contains(@class,'robustness')]/tbody/tr")
    }
    assert len(rows) == 11
    # About 400 respondents a unit: Tây Sơn and Tuy Phước cannot be told apart (docs/par.md).
    assert rows["TSO"][7] == "không khác biệt có ý nghĩa thống kê với đơn vị liền kề"
    pairs = [li.text_content() for li in section.xpath(".//ul[@class='unsettled']/li")]
    assert any("Huyện Tây Sơn" in p and "Huyện Tuy Phước" in p for p in pairs)
    assert section.xpath(".//figure[contains(@class,'robustness-chart')]/*[local-name()='svg']")
    source = section.xpath(".//p[@id='robustness-source']")[0].text_content()
    assert source.startswith("Sai số khảo sát theo tệp sai-so-khao-sat.csv do cơ quan tổ chức đánh giá tải lên lúc")

    unit = html(cast.client("public").get("/ket-qua/district/2022/don-vi/TSO/").content)
    assert "độ tin cậy 90%" in unit.xpath("//dd[@id='unit-rank']")[0].text_content()
    paragraph = unit.xpath("//p[contains(@class,'robustness')]")[0].text_content()
    assert paragraph.startswith("Tính đến sai số chọn mẫu của khảo sát, tổng điểm của Huyện Tây Sơn")
    assert "không khác biệt có ý nghĩa thống kê" in paragraph


def test_a_standard_error_per_unit_and_component_is_accepted_too(cast, district):
    from cchc.web.campaigns.models import CampaignUnit

    codes = CampaignUnit.objects.filter(campaign=district).values_list("unit__code", flat=True)
    text = "unit_code;component;se\n" + "".join(f"{c};HL;0,4\n" for c in codes)
    answer = _upload(cast.client("organiser"), district, "se.csv", text)
    assert answer.status_code == 302
    assert {r["se"] for r in _stored(district).rows} == {0.4}
    data = cast.client("public").get("/api/v1/par/robustness?level=district&year=2022").json()
    assert {u["method"] for u in data["units"]} == {"exact"}


def test_a_bad_file_names_every_row_and_column_and_keeps_nothing(cast, district, html):
    lines = _demo_text().splitlines(keepends=True)
    bad = lines[0] + lines[1] + "QNH,HL,thu_tuc,389,400,\n" + "XXX,HL,tiep_can,10,5,\n" + "".join(lines[3:])
    organiser = cast.client("organiser")
    answer = _upload(organiser, district, "sai-so.csv", bad)
    assert answer.status_code == 422
    box = html(answer.content).xpath("//div[@id='uncertainty-errors']")[0]
    assert box.xpath("./p")[0].text_content() == (
        "Tệp không được lưu (không dòng nào được lưu khi còn lỗi):"
    )
    assert [li.text_content() for li in box.xpath(".//li")] == [
        "sai-so.csv, dòng 3, cột satisfied: số hài lòng 400 lớn hơn số người trả lời 389",
        "sai-so.csv, dòng 4, cột unit_code: đơn vị 'XXX' không có trong tệp điểm",
    ]
    assert _stored(district) is None
    assert cast.client("public").get("/api/v1/par/robustness?level=district&year=2022").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sai-so.pdf", b"%PDF-1.4 ...", "Tệp 'sai-so.pdf': loại tệp không được chấp nhận (chỉ nhận csv, xlsx)."),
        ("sai-so.xlsx", HEADER.encode(), "Tệp 'sai-so.xlsx': nội dung không đúng định dạng .xlsx."),
        ("sai-so.csv", b"", "Tệp 'sai-so.csv' rỗng."),
    ],
)
def test_uploads_are_checked_by_the_one_receiver(cast, district, html, name, content, message):
    answer = cast.client("organiser").post(_url(district), {"file": _file(name, content)})
    assert answer.status_code == 422
    assert html(answer.content).xpath("//div[@id='uncertainty-errors']/p")[0].text_content() == message
    assert _stored(district) is None


def test_an_oversized_file_is_refused_before_it_is_read(cast, district, html, settings):
    big = HEADER + "QNH,HL,tiep_can,400,339,\n" * 300_000  # about 7,5 MB, over the 5 MB of this page
    answer = _upload(cast.client("organiser"), district, "to.csv", big)
    assert answer.status_code == 422
    assert "vượt giới hạn 5 MB" in html(answer.content).xpath("//div[@id='uncertainty-errors']/p")[0].text_content()


def test_upload_replacement_and_removal_are_audited(cast, district):
    from cchc.web.ops.models import AuditEntry

    organiser = cast.client("organiser")
    _upload(organiser, district, "lan-1.csv", _demo_text())
    short = "".join(_demo_text().splitlines(keepends=True)[:5])
    _upload(organiser, district, "lan-2.csv", short)
    assert _stored(district).file_name == "lan-2.csv" and len(_stored(district).rows) == 4
    organiser.post(_url(district), {"action": "remove"})
    assert _stored(district) is None
    entries = list(
        AuditEntry.objects.filter(action="campaign.survey_uncertainty").order_by("seq")
    )
    assert [(e.actor, e.object_id, e.old, e.reason) for e in entries] == [
        ("noivu", str(district.pk), None, "Tải tệp sai số khảo sát lan-1.csv"),
        ("noivu", str(district.pk), "lan-1.csv: 66 dòng", "Tải tệp sai số khảo sát lan-2.csv"),
        ("noivu", str(district.pk), "lan-2.csv: 4 dòng", "Gỡ tệp sai số khảo sát"),
    ]
    assert entries[0].new == (
        "lan-1.csv: 66 dòng (11 đơn vị, thành phần DT, HL "
        "(đơn vị–thành phần: 11 theo số người trả lời, 11 theo sai số chuẩn))"
    )
    assert entries[2].new is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("organiser", 200), ("leader", 403), ("appraiser", 403), ("officer_a", 403),
     ("onestop", 403), ("public", 302)],
)
def test_only_the_organiser_may_upload(cast, district, who, status):
    client = cast.client(who)
    assert client.get(_url(district)).status_code == status
    answer = _upload(client, district, "sai-so.csv", _demo_text())
    assert answer.status_code == (302 if who == "organiser" else status)
    assert (_stored(district) is not None) == (who == "organiser")
    removal = client.post(_url(district), {"action": "remove"})
    assert removal.status_code == (302 if who == "organiser" else status)


def test_an_unknown_campaign_is_not_found(cast):
    assert cast.client("organiser").get("/dot-danh-gia/999999/sai-so-khao-sat/").status_code == 404


def test_the_upload_stands_for_the_survey_run_in_cchc_on_the_components_it_names(
    cast, district
):
    """A SIPAS survey published into HL, then a file for HL: the file's figures are used."""
    from django.utils import timezone

    from cchc.web.surveys.models import Answer, Survey, SurveyStatus

    survey = Survey.objects.create(
        name="SIPAS 2022", campaign=district, component_code="HL", kind="sipas",
        questionnaire_version=2024, max_points=30, period="2022", seed=1,
        status=SurveyStatus.PUBLISHED, published_at=timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(survey=survey, respondent_key=f"{u}-{p}", unit_code=u, factor="tiep_can",
               question="tc1", value=5 if p % 2 else 2)
        for u in ("HNH", "QNH") for p in range(10)
    )
    public = cast.client("public")
    from_survey = public.get("/api/v1/par/robustness?level=district&year=2022").json()
    _upload(cast.client("organiser"), district, "sai-so.csv", _demo_text())
    from_file = public.get("/api/v1/par/robustness?level=district&year=2022").json()
    assert from_file != from_survey
    varying = {u["unit_code"] for u in from_file["units"] if u["method"] != "none"}
    assert len(varying) == 11  # the file covers every unit; the survey only two


def test_a_file_that_no_longer_fits_the_scores_is_not_used_and_the_organiser_is_told(
    cast, district, html
):
    from cchc.web.workflow.models import SurveyUncertainty

    _upload(cast.client("organiser"), district, "sai-so.csv", _demo_text())
    stored = _stored(district)
    stored.rows = [{**stored.rows[0], "unit_code": "XXX"}, *stored.rows[1:]]
    SurveyUncertainty.objects.filter(pk=stored.pk).update(rows=stored.rows)
    cache.clear()
    from cchc.web.portal import insight

    insight._published_report.cache_clear()
    assert cast.client("public").get("/api/v1/par/robustness?level=district&year=2022").status_code == 404
    page = html(cast.client("organiser").get(_url(district)).content)
    stale = [li.text_content() for li in page.xpath("//div[@id='uncertainty-stale']//li")]
    assert stale == ["sai-so.csv, dòng 2, cột unit_code: đơn vị 'XXX' không có trong tệp điểm"]


def test_the_campaign_page_links_the_upload_for_the_organiser_only(cast, district, html):
    own = html(cast.client("organiser").get(f"/dot-danh-gia/{district.pk}/").content)
    assert own.xpath("//a[@id='uncertainty-link']/@href") == [_url(district)]
    leader = html(cast.client("leader").get(f"/dot-danh-gia/{district.pk}/").content)
    assert not leader.xpath("//a[@id='uncertainty-link']")


def test_a_refused_file_leaves_the_previous_one_in_use(cast, district):
    organiser = cast.client("organiser")
    _upload(organiser, district, "dung.csv", _demo_text())
    before = cast.client("public").get("/api/v1/par/robustness?level=district&year=2022").json()
    answer = _upload(organiser, district, "sai.csv", HEADER + "QNH,HL,tiep_can,0,0,\n")
    assert answer.status_code == 422
    assert _stored(district).file_name == "dung.csv" and len(_stored(district).rows) == 66
    after = cast.client("public").get("/api/v1/par/robustness?level=district&year=2022").json()
    assert after == before
