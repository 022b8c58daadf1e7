"""The workflow pages' behaviour, element by element: Vietnamese numbers and dates, inline
saves, optimistic locking, required reasons, uploads, objections, survey imports, history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.web.campaigns import services
from cchc.web.campaigns.models import Campaign, CriterionScore, Evidence, Framework, ScoreChange
from cchc.web.units.models import Unit
from cchc.web.workflow.campaigns import open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast) -> Campaign:
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    import datetime as dt

    return open_campaign(
        fw,
        Unit.objects.filter(code__in=["HNH", "ANH"]),
        user=cast.organiser,
        name="Đánh giá thử",
        survey=["DT", "HL"],
        dates={"self_assessment_start": dt.date(2023, 1, 5), "self_assessment_end": dt.date(2023, 2, 20)},
    )


def phase(campaign: Campaign, status: str) -> None:
    campaign.status = status
    campaign.save(update_fields=["status"])


def score(campaign: Campaign, unit: str = "HNH", node: str = "KQ") -> CriterionScore:
    return CriterionScore.objects.get(
        campaign_unit__campaign=campaign, campaign_unit__unit__code=unit, node_code=node
    )


def url(campaign: Campaign, rest: str = "") -> str:
    return f"/dot-danh-gia/{campaign.pk}/{rest}"


KQ = "don-vi/HNH/tieu-chi/KQ/"


def test_the_campaign_page_shows_phase_dates_as_dd_mm_yyyy_and_the_current_phase(cast, campaign, html):
    phase(campaign, "self_assessment")
    doc = html(cast.client("organiser").get(url(campaign)).content)
    row = doc.cssselect("#phases tr[data-phase=self_assessment] td")
    assert [td.text_content().strip() for td in row] == ["Đơn vị tự đánh giá (đang diễn ra)", "05/01/2023", "20/02/2023"]
    assert doc.cssselect("#campaign-status")[0].text_content() == "Đơn vị tự đánh giá"
    assert doc.cssselect("#phase-form select option[selected]")[0].get("value") == "appraisal"
    assert doc.cssselect("#set-dates input[name=self_assessment_end]")[0].get("value") == "20/02/2023"
    assert doc.cssselect("#units tr[data-unit=HNH] td")[1].text_content() == "0/3"
    # Officer B sees only its own unit in the list.
    doc = html(cast.client("officer_b").get(url(campaign)).content)
    assert [tr.get("data-unit") for tr in doc.cssselect("#units tbody tr")] == ["ANH"]


def test_creating_with_a_phase_ending_before_it_starts_is_refused_with_the_dates(cast, html):
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    response = cast.client("organiser").post(
        "/dot-danh-gia/tao-moi/",
        {"framework": fw.pk, "units": ["HNH"], "self_assessment_start": "2023-02-20", "self_assessment_end": "05/01/2023"},
    )
    assert response.status_code == 400
    error = html(response.content).cssselect("#form-error")[0].text_content()
    assert "05/01/2023" in error and "20/02/2023" in error
    assert not Campaign.objects.filter(name__contains="cấp huyện năm 2022", status="draft").exists()


@pytest.mark.parametrize("typed", ["55,46", "55.46"])
def test_an_inline_save_accepts_both_decimal_marks_and_answers_with_the_form(cast, campaign, html, typed):
    phase(campaign, "self_assessment")
    s = score(campaign)
    response = cast.client("officer_a").post(
        url(campaign, KQ + "tu-danh-gia/"),
        {"score": typed, "explanation": "Đủ minh chứng", "version": s.version},
        HTTP_HX_REQUEST="true",
    )
    doc = html(response.content)
    assert not doc.cssselect("header, main")  # the fragment only, swapped in place
    assert doc.cssselect("form#self-form #self-saved")
    assert doc.cssselect("#id_self_score")[0].get("value") == "55,46"
    # ... and the summary above the form, out of band.
    summary = doc.cssselect("#self-score")[0]
    assert (summary.get("hx-swap-oob"), summary.text_content()) == ("true", "55,46")
    assert score(campaign).self_score == Decimal("55.46")


def test_an_inline_save_out_of_range_says_why_and_keeps_the_old_score(cast, campaign, html):
    phase(campaign, "self_assessment")
    s = score(campaign)
    response = cast.client("officer_a").post(
        url(campaign, KQ + "tu-danh-gia/"), {"score": "60,5", "version": s.version}, HTTP_HX_REQUEST="true"
    )
    assert "0..60" in html(response.content).cssselect("#self-error")[0].text_content()
    assert score(campaign).self_score is None


def test_a_stale_appraisal_form_does_not_overwrite_and_says_so(cast, campaign):
    phase(campaign, "appraisal")
    services.import_scores(campaign, [{"unit_code": "HNH", "KQ": "55"}], field="self_score")
    opened = score(campaign).version
    services.appraise(score(campaign), "54", user=cast.appraiser, reason="Trừ 1 điểm")
    client = cast.client("appraiser")
    response = client.post(url(campaign, KQ + "tham-dinh/"), {"score": "50", "reason": "Trừ 5 điểm", "version": opened}, follow=True)
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert score(campaign).appraised_score == Decimal("54.00")


def test_an_appraised_score_that_differs_needs_a_reason(cast, campaign):
    phase(campaign, "appraisal")
    services.import_scores(campaign, [{"unit_code": "HNH", "KQ": "55"}], field="self_score")
    client = cast.client("appraiser")
    s = score(campaign)
    response = client.post(url(campaign, KQ + "tham-dinh/"), {"score": "50", "reason": " ", "version": s.version})
    assert response.status_code == 400
    assert "phải ghi lý do" in response.content.decode()
    assert score(campaign).appraised_score is None
    # Confirming the unit's own score needs none.
    client.post(url(campaign, KQ + "tham-dinh/"), {"score": "55,00", "reason": "", "version": s.version})
    assert score(campaign).appraised_score == Decimal("55.00")


def test_an_upload_whose_content_is_not_its_type_is_refused(cast, campaign):
    phase(campaign, "self_assessment")
    response = cast.client("officer_a").post(
        url(campaign, KQ + "minh-chung/"), {"file": SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf")}, follow=True
    )
    assert "không đúng định dạng .pdf" in response.content.decode()
    assert not Evidence.objects.exists()


def test_submitting_before_scoring_names_the_missing_criterion_but_not_the_survey_components(cast, campaign):
    phase(campaign, "self_assessment")
    response = cast.client("officer_a").post(url(campaign, "don-vi/HNH/nop/"), {"confirm": "yes"}, follow=True)
    assert "Chưa chấm điểm tiêu chí: KQ." in response.content.decode()
    services.set_self_score(score(campaign), "50", user=cast.officer_a)
    cast.client("officer_a").post(url(campaign, "don-vi/HNH/nop/"), {"confirm": "yes"})
    assert campaign.units.get(unit__code="HNH").submitted
    assert score(campaign).self_locked


def test_an_answer_may_change_the_score_with_the_answer_as_reason(cast, campaign, html):
    services.import_scores(campaign, [{"unit_code": "HNH", "KQ": "55"}], field="self_score")
    phase(campaign, "appraisal")
    services.appraise(score(campaign), "49", user=cast.appraiser, reason="Thiếu minh chứng")
    phase(campaign, "objections")
    objection = services.raise_objection(score(campaign), "Đã bổ sung minh chứng", user=cast.officer_a)
    s = score(campaign)
    cast.client("appraiser").post(
        url(campaign, KQ + f"kien-nghi/{objection.pk}/tra-loi/"),
        {"answer": "Chấp nhận một phần", "score": "52,5", "version": s.version},
    )
    assert score(campaign).appraised_score == Decimal("52.50")
    doc = html(cast.client("officer_a").get(url(campaign, KQ)).content)
    changes = doc.cssselect("#history tr[data-field=appraised_score]")
    assert [(c.cssselect(".old")[0].text_content(), c.cssselect(".new")[0].text_content(), c.cssselect(".reason")[0].text_content()) for c in changes] == [
        ("", "49,00", "Thiếu minh chứng"),
        ("49,00", "52,50", "Chấp nhận một phần"),
    ]
    assert doc.cssselect("#objections .answer")
    assert doc.cssselect("#final-score")[0].text_content() == "52,50"


def test_a_survey_file_with_a_bad_cell_names_file_row_and_column_and_writes_nothing(cast, campaign):
    content = "unit_code,unit_name,DT,HL\nHNH,Thị xã Hoài Nhơn,6.67,26.28\nANH,Thị xã An Nhơn,12,26.9\n"
    response = cast.client("organiser").post(
        url(campaign, "dieu-tra/"), {"file": SimpleUploadedFile("dieu-tra.csv", content.encode())}, follow=True
    )
    text = response.content.decode()
    assert "dieu-tra.csv, dòng 3, cột DT" in text and "0..10" in text
    assert not CriterionScore.objects.filter(campaign_unit__campaign=campaign, appraised_score__isnull=False).exists()


def test_a_survey_file_may_not_carry_the_units_own_criteria(cast, campaign):
    content = "unit_code,unit_name,KQ,DT\nHNH,Thị xã Hoài Nhơn,60,6.67\n"
    response = cast.client("organiser").post(
        url(campaign, "dieu-tra/"), {"file": SimpleUploadedFile("dieu-tra.csv", content.encode())}, follow=True
    )
    assert "cột KQ: không phải thành phần điều tra" in response.content.decode()
    assert score(campaign).appraised_score is None


def test_survey_scores_typed_in_the_form_are_kept_with_their_history(cast, campaign, html):
    client = cast.client("organiser")
    client.post(url(campaign, "dieu-tra/"), {"HNH:DT": "6,67", "HNH:HL": "26.28", "ANH:DT": "", "ANH:HL": ""})
    assert score(campaign, node="DT").appraised_score == Decimal("6.67")
    assert score(campaign, "ANH", "DT").appraised_score is None
    doc = html(client.get(url(campaign, "dieu-tra/")).content)
    assert doc.cssselect("tr[data-unit=HNH] input")[1].get("value") == "26,28"
    change = ScoreChange.objects.get(criterion_score=score(campaign, node="DT"))
    assert (change.field, change.new) == ("appraised_score", "6,67")


def test_the_unit_page_lists_its_criteria_with_vietnamese_numbers(cast, campaign, html):
    services.import_scores(campaign, [{"unit_code": "HNH", "KQ": "55.46"}], field="self_score")
    services.import_scores(campaign, [{"unit_code": "HNH", "DT": "6.67"}], field="appraised_score")
    doc = html(cast.client("officer_a").get(url(campaign, "don-vi/HNH/")).content)
    rows = {tr.get("data-node"): tr for tr in doc.cssselect("#criteria tbody tr")}
    assert list(rows) == ["KQ", "DT", "HL"]
    assert rows["KQ"].cssselect(".self")[0].text_content() == "55,46"
    assert rows["DT"].cssselect(".final")[0].text_content() == "6,67"
    assert "điều tra xã hội học" in rows["DT"].text_content()


def test_a_survey_xlsx_file_is_read_and_a_renamed_csv_is_refused(cast, campaign, tmp_path):
    import xlsxwriter

    path = tmp_path / "dieu-tra.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate([["unit_code", "unit_name", "DT", "HL"], ["ANH", "Thị xã An Nhơn", 6.12, 26.9]]):
        sheet.write_row(r, 0, row)
    book.close()
    client = cast.client("organiser")
    client.post(url(campaign, "dieu-tra/"), {"file": SimpleUploadedFile("dieu-tra.xlsx", path.read_bytes())})
    assert score(campaign, "ANH", "HL").appraised_score == Decimal("26.90")
    fake = SimpleUploadedFile("khac.xlsx", b"unit_code,unit_name,DT\nHNH,X,5\n")
    response = client.post(url(campaign, "dieu-tra/"), {"file": fake}, follow=True)
    assert "khac.xlsx" in response.content.decode()
    assert score(campaign, "HNH", "DT").appraised_score is None


def test_publishing_with_unscored_criteria_is_refused_with_the_count(cast, campaign):
    phase(campaign, "objections")
    response = cast.client("organiser").post(url(campaign, "cong-bo/"), {"confirm": "yes"}, follow=True)
    assert "Còn 6 tiêu chí chưa có điểm thẩm định" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "objections"


def test_an_officer_without_campaigns_sees_an_empty_list(cast, campaign, html):
    from cchc.web.accounts.models import User

    outside = Unit.objects.filter(campaigns__isnull=True).first()
    other = User.objects.create(username="canbo.c", role="unit_officer", unit=outside)
    from django.test import Client

    client = Client()
    client.force_login(other)
    doc = html(client.get("/dot-danh-gia/").content)
    assert [tr.get("data-campaign") for tr in doc.cssselect("#campaigns tbody tr")] == [None]
    assert doc.cssselect("#campaigns tbody td")[0].text_content() == "Chưa có đợt đánh giá nào."
    assert client.get(url(campaign)).status_code == 404
