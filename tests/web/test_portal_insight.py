"""Results pages: how sure a rank is, the points within reach, the simulation (read as a
person would: specific elements of the page)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    from cchc.web.campaigns.models import Campaign, Status

    return Campaign.objects.get(status=Status.PUBLISHED, level="district", year=2022)


@pytest.fixture
def surveyed(district):
    """A SIPAS survey published into the campaign's HL: 60 people in each unit, each
    answering the 15 questions; An Nhơn and Phù Cát as satisfied as each other."""
    from django.utils import timezone

    from cchc.surveys import load_questionnaire
    from cchc.web.portal import insight, pages
    from cchc.web.surveys.models import Answer, Survey, SurveyStatus

    survey = Survey.objects.create(
        name="SIPAS 2022", campaign=district, component_code="HL", kind="sipas",
        questionnaire_version=2024, max_points=30, period="2022", seed=1,
        status=SurveyStatus.PUBLISHED, published_at=timezone.now(),
    )
    form = load_questionnaire("sipas", 2024)
    questions = [(f.key, q.id) for f in form.factors for q in f.questions]
    satisfied = {"HNH": 52, "QNH": 52, "ANH": 54, "PCA": 54, "TSO": 53, "TPH": 53, "PMY": 51,
                 "HAN": 52, "VCA": 50, "VTH": 50, "ALA": 49}
    rows = []
    for unit, happy in satisfied.items():
        for person in range(60):
            for factor, question in questions:
                rows.append(Answer(survey=survey, respondent_key=f"{unit}-{person}", unit_code=unit,
                                   factor=factor, question=question, value=5 if person < happy else 2))
    Answer.objects.bulk_create(rows)
    insight._published_report.cache_clear()
    pages._results.cache_clear()
    cache.clear()
    yield survey
    insight._published_report.cache_clear()
    cache.clear()


def test_without_a_survey_the_pages_show_no_robustness(client: Client, html):
    doc = html(client.get("/ket-qua/district/2022/").content)
    assert not doc.xpath("//section[@id='robustness']")
    unit = html(client.get("/ket-qua/district/2022/don-vi/HNH/").content)
    assert unit.xpath("//dd[@id='unit-rank']")[0].text_content() == "1/11"
    answer = client.get("/api/v1/par/robustness?level=district&year=2022")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Chưa có số liệu sai số khảo sát cho kết quả này."


def test_ranking_page_shows_rank_intervals_and_unsettled_pairs(client: Client, html, surveyed):
    doc = html(client.get("/ket-qua/district/2022/").content)
    section = doc.xpath("//section[@id='robustness']")[0]
    rows = {
        tr.get("data-unit"): [td.text_content().strip() for td in tr.xpath("./td")]
        for tr in section.xpath(".//table[contains(@class,'robustness')]/tbody/tr")
    }
    assert len(rows) == 11
    assert rows["HNH"][0] == "1" and rows["HNH"][3] == "88,41"
    # 60 people a unit: An Nhơn (86,22) and Phù Cát (85,65) cannot be told apart
    assert rows["ANH"][1] != "3" and "–" in rows["ANH"][1]
    assert rows["ANH"][7] == "không khác biệt có ý nghĩa thống kê với đơn vị liền kề"
    pairs = [li.text_content() for li in section.xpath(".//ul[@class='unsettled']/li")]
    assert any(p.startswith("Thị xã An Nhơn và Huyện Phù Cát: không khác biệt có ý nghĩa thống kê") for p in pairs)
    assert section.xpath(".//figure[contains(@class,'robustness-chart')]/*[local-name()='svg']")


def test_unit_page_shows_the_interval_beside_the_rank_and_says_it(client: Client, html, surveyed):
    doc = html(client.get("/ket-qua/district/2022/don-vi/ANH/").content)
    rank = doc.xpath("//dd[@id='unit-rank']")[0].text_content()
    assert rank.startswith("3/11 (khoảng 2–") or rank.startswith("3/11 (khoảng 3–")
    assert "độ tin cậy 90%" in rank
    paragraph = doc.xpath("//p[contains(@class,'robustness')]")[0].text_content()
    assert paragraph.startswith("Tính đến sai số chọn mẫu của khảo sát, tổng điểm của Thị xã An Nhơn nằm trong khoảng")
    assert "Huyện Phù Cát" in paragraph and "không khác biệt có ý nghĩa thống kê" in paragraph


def test_a_unit_page_builds_its_own_line_the_same_as_the_rankings(district, surveyed):
    from django.http import Http404

    from cchc.web.portal.insight import robustness_context

    ranking = robustness_context(district)
    assert len(ranking["robustness_rows"]) == 11
    for row in ranking["robustness_rows"]:
        code = row["unit"].unit_code
        page = robustness_context(district, code)
        assert page["robustness_unit"] == row
        assert {k: page[k] for k in ("robustness", "robustness_share", "robustness_chart")} == {
            k: ranking[k] for k in ("robustness", "robustness_share", "robustness_chart")
        }
        assert "robustness_rows" not in page  # only the ranking shows every unit's line
    with pytest.raises(Http404):
        robustness_context(district, "XXX")


def test_the_api_twin_matches_the_cli_contract(client: Client, surveyed):
    first = client.get("/api/v1/par/robustness?level=district&year=2022")
    assert first.status_code == 200
    data = first.json()
    assert data["draws"] == 10_000 and data["seed"] == 0 and data["level"] == 0.9
    anh = next(u for u in data["units"] if u["unit_code"] == "ANH")
    assert anh["method"] == "monte-carlo" and anh["rank"] == 3
    assert {"higher": "ANH", "lower": "PCA"}.items() <= next(
        p for p in data["unsettled_pairs"] if p["higher"] == "ANH"
    ).items()
    assert client.get("/api/v1/par/robustness?level=district&year=2022").json() == data
    assert client.get("/api/v1/par/robustness?level=district&year=2019").status_code == 404


def _gaps_url(campaign, code="HNH", suffix="/"):
    return f"/dot-danh-gia/{campaign.pk}/ket-qua/don-vi/{code}/diem-con-thieu{suffix}"


def test_gaps_page_for_the_units_officer(cast, district, html):
    doc = html(cast.client("officer_a").get(_gaps_url(district)).content)
    assert doc.xpath("//h1")[0].text_content() == "Điểm còn thiếu: Thị xã Hoài Nhơn"
    assert doc.xpath("//dd[@id='gaps-lost']")[0].text_content() == "11,59"
    hl = doc.xpath("//table[contains(@class,'gaps')]//tr[@data-node='HL']")[0]
    cells = [td.text_content().strip() for td in hl.xpath("./td")]
    assert cells == ["HL ★", "Mức độ hài lòng của người dân, tổ chức", "26,28", "30", "3,72",
                     "27,10", "Huyện Phù Cát", "0,82", "-2,46"]
    assert hl.get("class") == "within-reach"
    paragraph = doc.xpath("//p[@id='gaps-paragraph']")[0].text_content()
    assert paragraph.startswith("Năm 2022, Thị xã Hoài Nhơn còn thiếu 11,59/100 điểm")


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 200), ("leader", 200), ("organiser", 200), ("officer_b", 404),
     ("appraiser", 403), ("onestop", 403), ("public", 302)],
)
def test_gaps_page_permissions(cast, district, who, status):
    assert cast.client(who).get(_gaps_url(district)).status_code == status
    assert cast.client(who).get(_gaps_url(district, suffix=".xlsx")).status_code == status


def test_gaps_xlsx(cast, district):
    answer = cast.client("leader").get(_gaps_url(district, suffix=".xlsx"))
    rows = list(openpyxl.load_workbook(io.BytesIO(answer.content)).active.values)
    assert rows[1][0] == "Số liệu minh họa"
    assert rows[3][:7] == ("HNH", "Thị xã Hoài Nhơn", "KQ", "Kết quả thực hiện công tác cải cách hành chính", 55.46, 60, 4.54)


def test_unit_page_links_the_gaps_only_for_those_who_may_see_them(cast, html):
    url = "/ket-qua/district/2022/don-vi/HNH/"
    own = html(cast.client("officer_a").get(url).content)
    assert own.xpath("//p[@class='insight-links']/a[contains(@href,'diem-con-thieu')]")
    other = html(cast.client("officer_b").get(url).content)
    assert not other.xpath("//p[@class='insight-links']/a[contains(@href,'diem-con-thieu')]")
    assert other.xpath("//p[@class='insight-links']/a[contains(@href,'mo-phong')]")


def test_whatif_page_recomputes_every_unit(client: Client, district, html):
    url = f"/dot-danh-gia/{district.pk}/ket-qua/mo-phong/"
    empty = html(client.get(url).content)
    assert empty.xpath("//form[@class='whatif']") and not empty.xpath("//table")
    doc = html(client.get(url, {"set": "HNH:HL=24"}).content)
    rows = {
        tr.get("data-unit"): [td.text_content().strip() for td in tr.xpath("./td")]
        for tr in doc.xpath("//table[contains(@class,'whatif')]/tbody/tr")
    }
    assert rows["HNH"][:5] == ["3", "1", "Thị xã Hoài Nhơn", "86,13/100", "88,41/100"]
    assert rows["QNH"][:2] == ["1", "2"]
    weighted = html(client.get(url, {"weight": "HL=33"}).content)
    hnh = weighted.xpath("//table[contains(@class,'whatif')]/tbody/tr[@data-unit='HNH']/td")
    assert hnh[3].text_content() == "91,04/103"


def test_whatif_page_refuses_bad_changes_in_vietnamese(client: Client, district, html):
    url = f"/dot-danh-gia/{district.pk}/ket-qua/mo-phong/"
    answer = client.get(url, {"set": "HNH:HL=31\nXXX:KQ=1"})
    assert answer.status_code == 400
    problems = [li.text_content() for li in html(answer.content).xpath("//div[@class='errors']//li")]
    assert problems == [
        "Đổi điểm HNH:HL: điểm 31 nằm ngoài khoảng 0..30 của HL",
        "Đổi điểm XXX:KQ: đơn vị 'XXX' không có trong tệp điểm",
    ]
    many = client.get(url, {"weight": "\n".join(f"HL={i}" for i in range(1, 60))})
    assert many.status_code == 400


def test_robustness_json_is_stable_text(client: Client, surveyed):
    body = client.get("/api/v1/par/robustness?level=district&year=2022").content.decode("utf-8")
    assert json.loads(body)["framework"] == "binh-dinh-huyen"
    assert "Thị xã Hoài Nhơn" in body  # UTF-8, not \\u escapes


def test_the_whatif_api_twin_gives_the_pages_numbers(client: Client, district):
    """GET /api/v1/par/whatif: the page's simulation as ``cchc par whatif --format json``."""
    url, year = "/api/v1/par/whatif", {"level": "district", "year": 2022}
    answer = client.get(url, {**year, "set": "HNH:HL=24"})
    assert answer.status_code == 200
    units = {u["unit_code"]: u for u in answer.json()["units"]}
    assert units["HNH"]["rank"] == 3 and units["HNH"]["published"]["rank"] == 1
    assert units["HNH"]["index"] == 86.13 and units["QNH"]["rank"] == 1
    weighted = {u["unit_code"]: u for u in client.get(url, {**year, "weight": "HL=33"}).json()["units"]}
    assert (weighted["HNH"]["score"], weighted["HNH"]["max"]) == (91.04, 103)
    bad = client.get(url, {**year, "set": "HNH:HL=31;XXX:KQ=1"})
    assert bad.status_code == 400 and bad.json()["problems"] == [
        "Đổi điểm HNH:HL: điểm 31 nằm ngoài khoảng 0..30 của HL",
        "Đổi điểm XXX:KQ: đơn vị 'XXX' không có trong tệp điểm",
    ]
    assert client.get(url, year).status_code == 400  # no change asked for
    assert client.get("/api/v1/par/whatif?level=district&year=2019&set=HNH:HL=1").status_code == 404
