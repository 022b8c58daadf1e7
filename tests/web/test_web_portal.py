"""The public portal and the results pages, read as a person would: specific cells."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def ranking_rows(doc):
    return doc.xpath('//table[contains(@class, "ranking")]/tbody/tr')


def cells(row) -> list[str]:
    return [td.text_content().strip() for td in row.xpath("./td")]


def test_home_shows_the_2022_district_ranking_with_hoai_nhon_first_at_88_41(client: Client, html):
    doc = html(client.get("/").content)
    assert doc.xpath("//h2[@id='ranking-title']")[0].text_content().strip() == (
        "Bảng xếp hạng Chỉ số cải cách hành chính cấp huyện năm 2022"
    )
    first = cells(ranking_rows(doc)[0])
    header = [th.text_content().strip() for th in doc.xpath("//table[contains(@class,'ranking')]/thead//th")]
    row = dict(zip(header, first, strict=True))
    assert row["STT"] == "1"
    assert row["Đơn vị"] == "Thị xã Hoài Nhơn"
    assert row["Tổng điểm (100)"] == "88,41"
    assert row["Chỉ số (%)"] == "88,41"
    assert row["Xếp hạng"] == "1"
    # The components as the seed reports them: 55,46 + 6,67 + 26,28.
    assert first[2:5] == ["55,46", "6,67", "26,28"]
    assert len(ranking_rows(doc)) == 11


def test_demo_pages_say_the_figures_are_illustrative(client: Client, html):
    for url in ("/", "/ket-qua/commune/2022/", "/ket-qua/district/2022/don-vi/HNH/"):
        note = html(client.get(url).content).xpath("//p[contains(@class,'illustrative')]")
        assert note and "Số liệu minh họa" in note[0].text_content(), url


def test_every_published_edition_is_linked_from_the_portal(client: Client, html):
    doc = html(client.get("/").content)
    tabs = {a.text_content(): a.get("href") for a in doc.xpath("//nav[@class='tabs']/a")}
    assert tabs == {
        "Cấp huyện năm 2022": "/ket-qua/district/2022/",
        "Cấp xã năm 2022": "/ket-qua/commune/2022/",
        "Cấp huyện năm 2021": "/ket-qua/district/2021/",
    }


def test_commune_ranking_has_17_units_and_exactly_two_excellent(client: Client, html):
    doc = html(client.get("/ket-qua/commune/2022/").content)
    rows = [cells(r) for r in ranking_rows(doc)]
    assert len(rows) == 17
    assert [r[-1] for r in rows].count("Xuất sắc") == 2
    summary = doc.xpath("//p[contains(., 'Chỉ số trung bình')]")[0].text_content()
    assert "91,4" in summary  # seed: average 91.4 %


def test_unit_page_shows_components_last_year_and_the_narrative(client: Client, html):
    doc = html(client.get("/ket-qua/district/2022/don-vi/HNH/").content)
    assert doc.xpath("//h1")[0].text_content() == "Thị xã Hoài Nhơn"
    assert doc.xpath("//dd[@id='unit-score']")[0].text_content() == "88,41/100"
    assert doc.xpath("//dd[@id='unit-rank']")[0].text_content() == "1/11"
    hl = doc.xpath("//table[contains(@class,'components')]//tr[@data-node='HL']")[0]
    # 26,28/30, rank 5; in 2021 23,82 and rank 6 (seed).
    assert [c.strip() for c in cells(hl)] == ["Mức độ hài lòng của người dân, tổ chức", "26,28", "30", "87,60", "5", "23,82", "6"]
    lost = doc.xpath("//table[contains(@class,'lost')]//tr[@data-node='KQ']/td")
    assert lost[-1].text_content() == "4,54"  # 60 − 55,46
    narrative = " ".join(p.text_content() for p in doc.xpath("//p[@class='narrative']"))
    assert "thứ nhất" in narrative and "88,41" in narrative


def test_unknown_edition_or_unit_is_404(client: Client):
    assert client.get("/ket-qua/district/2019/").status_code == 404
    assert client.get("/ket-qua/district/2022/don-vi/NOPE/").status_code == 404
    assert client.get("/ket-qua/district/2022/tai-ve.exe").status_code == 404


def test_xlsx_download_is_the_ranking_as_offices_lay_it_out(client: Client):
    response = client.get("/ket-qua/district/2022/tai-ve.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book["Xếp hạng"]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    first = next(r for r in values if "Thị xã Hoài Nhơn" in r)
    assert 88.41 in first


@pytest.mark.slow
def test_word_and_pdf_reports_download(client: Client):
    docx = client.get("/ket-qua/district/2022/bao-cao.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get("/ket-qua/district/2022/don-vi/HNH/bao-cao.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_charts_are_served_as_svg_with_vietnamese_numbers(client: Client):
    response = client.get("/ket-qua/district/2022/bieu-do/xep-hang.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content[:500]
    assert b"88,41" in response.content
    trend = client.get("/ket-qua/district/2022/don-vi/HNH/bieu-do/xu-huong.svg")
    assert trend.status_code == 200


def test_unpublished_campaign_is_not_public(cast, html):
    from cchc.web.campaigns import services
    from cchc.web.campaigns.models import Framework
    from cchc.web.units.models import Unit

    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    draft = services.create_campaign(fw, Unit.objects.filter(level="district"), user=cast.organiser)
    url = f"/dot-danh-gia/{draft.pk}/ket-qua/"
    anonymous = cast.client("public").get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/tai-khoan/dang-nhap/")
    assert cast.client("officer_a").get(url).status_code == 403
    assert cast.client("officer_a").get(url + "tai-ve.json").status_code == 403
    empty = cast.client("appraiser").get(url)
    assert empty.status_code == 409  # nothing scored yet: says so instead of ranking
    assert "Huyện An Lão (ALA): chưa có điểm" in html(empty.content).xpath("//ul[@class='problems']/li")[0].text_content()
    services.import_scores(
        draft,
        [{"unit_code": u.code, "KQ": "50", "DT": "5", "HL": "20"} for u in Unit.objects.filter(level="district")],
        field="self_score",
    )
    page = cast.client("appraiser").get(url)
    assert page.status_code == 200
    assert "chưa công bố" in html(page.content).xpath("//p[contains(., 'tạm tính')]")[0].text_content()
    # The public ranking of that level and year is still the published one.
    assert [c.text_content() for c in html(cast.client("public").get("/").content).xpath(
        "//table[contains(@class,'ranking')]/tbody/tr[1]/td[2]")] == ["Thị xã Hoài Nhơn"]


def test_an_htmx_tab_click_gets_only_the_results_section(client: Client, html):
    full = client.get("/ket-qua/commune/2022/")
    part = client.get("/ket-qua/commune/2022/", HTTP_HX_REQUEST="true")
    assert b"<html" in full.content and b"<html" not in part.content
    section = html(part.content)
    assert section.tag == "section" and section.get("id") == "results"
    assert len(section.xpath('.//table[contains(@class,"ranking")]/tbody/tr')) == 17
    current = section.xpath(".//nav[@class='tabs']/a[@aria-current='page']")[0]
    assert current.text_content() == "Cấp xã năm 2022"
