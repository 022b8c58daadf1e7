"""A unit's self-assessment at the desk (issue 14, item 11): evidence removed or replaced
before submission (audited, refused after), submitting asks first, totals per field from the
engine, a printable report (Word and print page), plain counts, the appraiser reading the
drafts, and a refused value shown again as typed."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.web.campaigns import services
from cchc.web.campaigns.frameworks import store_framework
from cchc.web.campaigns.models import Campaign, CriterionScore, Evidence, ScoreChange
from cchc.web.units.models import Unit
from cchc.web.workflow.campaigns import open_campaign

pytestmark = pytest.mark.django_db

# Two fields (lĩnh vực) of two criteria each, and a survey component the organiser enters.
FRAMEWORK = """
code: thu-linh-vuc
name: Bộ chỉ số thử có lĩnh vực
year: 2022
level: district
max: 40
bands:
  - {label: Tốt, min: 80}
  - {label: Yếu, min: 0}
components:
  - code: CD
    name: Công tác chỉ đạo, điều hành
    max: 10
    children:
      - {code: CD1, name: Kế hoạch cải cách hành chính, max: 4}
      - {code: CD2, name: Báo cáo cải cách hành chính, max: 6}
  - code: TC
    name: Cải cách thủ tục hành chính
    max: 20
    children:
      - {code: TC1, name: Công khai thủ tục hành chính, max: 12}
      - {code: TC2, name: Tiếp nhận hồ sơ trực tuyến, max: 8}
  - code: HL
    name: Mức độ hài lòng của người dân
    max: 10
    survey: true
"""

PDF = b"%PDF-1.4\n% minh chung\n"


@pytest.fixture
def campaign(cast) -> Campaign:
    fw = store_framework(FRAMEWORK, "thu-linh-vuc.yaml")
    c = open_campaign(
        fw,
        Unit.objects.filter(code__in=["HNH", "ANH"]),
        user=cast.organiser,
        name="Đánh giá thử có lĩnh vực",
        organisation="Sở Nội vụ",
    )
    c.status = "self_assessment"
    c.save(update_fields=["status"])
    return c


def score(campaign: Campaign, node: str, unit: str = "HNH") -> CriterionScore:
    return CriterionScore.objects.get(
        campaign_unit__campaign=campaign, campaign_unit__unit__code=unit, node_code=node
    )


def url(campaign: Campaign, rest: str = "") -> str:
    return f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/{rest}"


def upload(cast, campaign: Campaign, node: str, name: str = "ke-hoach.pdf") -> Evidence:
    return services.add_evidence(score(campaign, node), SimpleUploadedFile(name, PDF), user=cast.officer_a)


def fill_in(cast, campaign: Campaign) -> None:
    """CD1 = 3, CD2 does not apply, TC1 = 10; TC2 left for later."""
    services.set_self_score(score(campaign, "CD1"), "3", user=cast.officer_a, explanation="Có kế hoạch số 12/KH-UBND")
    services.set_self_score(score(campaign, "CD2"), "KAD", user=cast.officer_a, explanation="Không có nhiệm vụ báo cáo riêng")
    services.set_self_score(score(campaign, "TC1"), "10", user=cast.officer_a, explanation="Công khai đủ 95%")


def cells(doc, field: str) -> dict[str, str]:
    row = doc.cssselect(f"#field-totals tr[data-field={field}]")[0]
    return {td.get("class").split()[-1]: words(td) for td in row.cssselect("td.num")}


def words(element) -> str:
    """The element's text with line breaks and tags read as spaces."""
    return " ".join(" ".join(element.itertext()).split())


# --- a. evidence removed or replaced before submission -------------------------------------


def test_the_officer_removes_an_evidence_file_before_submitting_and_the_history_says_who_and_which(
    cast, campaign, html, django_capture_on_commit_callbacks
):
    evidence = upload(cast, campaign, "CD1")
    stored = evidence.file.name
    storage = evidence.file.storage
    client = cast.client("officer_a")
    doc = html(client.get(url(campaign, "tieu-chi/CD1/")).content)
    assert doc.cssselect(f"#evidence li[data-evidence='{evidence.pk}'] form.evidence-delete button")
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row has
        response = client.post(url(campaign, f"tieu-chi/CD1/minh-chung/{evidence.pk}/go/"))
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not storage.exists(stored)
    change = ScoreChange.objects.get(criterion_score=score(campaign, "CD1"), field="evidence_removed")
    assert change.user == cast.officer_a and change.at is not None
    assert change.old.startswith("ke-hoach.pdf (")
    doc = html(client.get(url(campaign, "tieu-chi/CD1/")).content)
    row = doc.cssselect("#history tr[data-field=evidence_removed] td")
    assert row[1].text_content() == "canbo.a"
    assert row[2].text_content() == "Gỡ tài liệu kiểm chứng"
    assert row[3].text_content().startswith("ke-hoach.pdf")


def test_an_evidence_file_is_replaced_by_another_in_one_step(cast, campaign):
    old = upload(cast, campaign, "CD1", "ban-cu.pdf")
    response = cast.client("officer_a").post(
        url(campaign, f"tieu-chi/CD1/minh-chung/{old.pk}/thay/"), {"file": SimpleUploadedFile("ban-moi.pdf", PDF)}
    )
    assert response.status_code == 302
    assert [e.original_name for e in score(campaign, "CD1").evidence.all()] == ["ban-moi.pdf"]
    removed = ScoreChange.objects.get(field="evidence_removed")
    assert removed.old.startswith("ban-cu.pdf") and removed.reason == "Thay bằng ban-moi.pdf"


def test_a_refused_replacement_keeps_the_old_file(cast, campaign):
    old = upload(cast, campaign, "CD1", "ban-cu.pdf")
    response = cast.client("officer_a").post(
        url(campaign, f"tieu-chi/CD1/minh-chung/{old.pk}/thay/"),
        {"file": SimpleUploadedFile("gia.pdf", b"MZ not a pdf")},
        follow=True,
    )
    assert "không đúng định dạng .pdf" in response.content.decode()  # back on the criterion page
    assert [e.original_name for e in score(campaign, "CD1").evidence.all()] == ["ban-cu.pdf"]
    assert not ScoreChange.objects.filter(field="evidence_removed").exists()


def test_after_submission_evidence_cannot_be_removed_even_by_a_handmade_request(cast, campaign, html):
    fill_in(cast, campaign)
    services.set_self_score(score(campaign, "TC2"), "8", user=cast.officer_a)
    evidence = upload(cast, campaign, "CD1")
    client = cast.client("officer_a")
    assert client.post(url(campaign, "nop/"), {"confirm": "yes"}).status_code == 302
    doc = html(client.get(url(campaign, "tieu-chi/CD1/")).content)
    assert not doc.cssselect("form.evidence-delete, details.evidence-replace")
    response = client.post(url(campaign, f"tieu-chi/CD1/minh-chung/{evidence.pk}/go/"))
    assert response.status_code == 403
    response = client.post(
        url(campaign, f"tieu-chi/CD1/minh-chung/{evidence.pk}/thay/"), {"file": SimpleUploadedFile("moi.pdf", PDF)}
    )
    assert response.status_code == 403
    assert list(score(campaign, "CD1").evidence.values_list("original_name", flat=True)) == ["ke-hoach.pdf"]
    assert evidence.file.storage.exists(evidence.file.name)


@pytest.mark.parametrize("who", ["officer_b", "appraiser", "organiser", "leader"])
def test_nobody_else_removes_a_units_evidence(cast, campaign, who):
    evidence = upload(cast, campaign, "CD1")
    response = cast.client(who).post(url(campaign, f"tieu-chi/CD1/minh-chung/{evidence.pk}/go/"))
    assert response.status_code == (404 if who == "officer_b" else 403)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    # ... while the unit's own officer may.
    assert cast.client("officer_a").post(url(campaign, f"tieu-chi/CD1/minh-chung/{evidence.pk}/go/")).status_code == 302


# --- b. submitting asks first ---------------------------------------------------------------


def test_submitting_asks_for_confirmation_and_says_nothing_can_be_changed_afterwards(cast, campaign, html):
    fill_in(cast, campaign)
    services.set_self_score(score(campaign, "TC2"), "8", user=cast.officer_a)
    client = cast.client("officer_a")
    form = html(client.get(url(campaign)).content).cssselect("#submit-form")[0]
    assert form.get("method") == "get"  # the button opens the confirmation, it does not submit
    doc = html(client.get(url(campaign, "nop/")).content)
    assert "không sửa được nữa" in doc.cssselect("#submit-meaning")[0].text_content()
    assert doc.cssselect("#submit-confirm input#id_confirm[required]")
    # Without the tick (a browser without the "required" check, a handmade request): refused.
    response = client.post(url(campaign, "nop/"))
    assert response.status_code == 400
    assert "xác nhận" in html(response.content).cssselect("#confirm-error")[0].text_content()
    assert not campaign.units.get(unit__code="HNH").submitted
    response = client.post(url(campaign, "nop/"), {"confirm": "yes"})
    assert response.status_code == 302
    assert campaign.units.get(unit__code="HNH").submitted


def test_the_confirmation_page_names_what_is_still_missing(cast, campaign, html):
    fill_in(cast, campaign)
    doc = html(cast.client("officer_a").get(url(campaign, "nop/")).content)
    assert "TC2" in doc.cssselect("#missing")[0].text_content()


# --- c. totals per field --------------------------------------------------------------------


def test_the_unit_page_totals_each_field_and_the_whole_by_the_engine(cast, campaign, html):
    fill_in(cast, campaign)
    doc = html(cast.client("officer_a").get(url(campaign)).content)
    cd = cells(doc, "CD")
    assert cd["max"] == "10"
    assert cd["own"] == "3,00/10 (áp dụng 4)"  # CD2 does not apply: its 6 points leave the maximum
    assert cells(doc, "TC")["own"] == "10,00/20 còn 1 tiêu chí chưa chấm"
    assert cells(doc, "HL")["own"] == "điều tra xã hội học"
    total = cells(doc, "total")
    assert total["max"] == "40"
    assert total["own"] == "13,00/30 (áp dụng 24) còn 1 tiêu chí chưa chấm"
    assert not doc.cssselect("#field-totals td.appraised")  # nothing appraised yet


def test_appraised_totals_appear_once_the_council_has_scored(cast, campaign, html):
    fill_in(cast, campaign)
    services.import_scores(
        campaign, [{"unit_code": "HNH", "CD1": "2", "CD2": "KAD", "TC1": "9,5", "TC2": "8", "HL": "7.25"}],
        field="appraised_score",
    )
    doc = html(cast.client("appraiser").get(url(campaign)).content)
    assert cells(doc, "CD")["appraised"] == "2,00/4"
    assert cells(doc, "HL")["appraised"] == "7,25/10"
    assert cells(doc, "total")["appraised"] == "26,75/34"


# --- d. the printable self-assessment -------------------------------------------------------


def test_the_print_page_has_the_unit_campaign_each_criterion_evidence_explanation_and_signature(cast, campaign, html):
    fill_in(cast, campaign)
    upload(cast, campaign, "CD1", "ke-hoach-12.pdf")
    doc = html(cast.client("officer_a").get(url(campaign, "bao-cao/")).content)
    report = doc.cssselect("#self-report")[0]
    assert doc.cssselect("#report-organisation")[0].text_content() == "UBND THỊ XÃ HOÀI NHƠN"
    assert doc.cssselect("#report-subject")[0].text_content().endswith("năm 2022 của thị xã Hoài Nhơn")
    text = " ".join(report.text_content().split())
    assert "Thực hiện đợt “Đánh giá thử có lĩnh vực”, thị xã Hoài Nhơn báo cáo" in text
    rows = {tr[1].text_content(): [td.text_content() for td in tr] for tr in doc.cssselect("#report-table tbody tr")}
    assert list(rows) == ["CD1", "CD2", "TC1", "TC2"]  # the survey component is the organiser's
    assert rows["CD1"][3:] == ["4", "3,00", "ke-hoach-12.pdf"]
    assert rows["CD2"][4] == "Không áp dụng"
    assert rows["TC2"][4:] == ["Chưa chấm", "Không có"]
    assert "CD1 — Kế hoạch cải cách hành chính: Có kế hoạch số 12/KH-UBND" in text
    assert "Tổng điểm tự đánh giá: 13,00/30 điểm (điểm tối đa áp dụng 24)" in text
    assert "bản nháp, đơn vị chưa nộp" in text
    signature = words(doc.cssselect("#report-signature")[0])
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in signature
    assert "Sở Nội vụ (để thẩm định);" in signature


def test_the_word_report_says_the_same_in_the_decree_30_layout(cast, campaign):
    from docx import Document

    fill_in(cast, campaign)
    upload(cast, campaign, "TC1", "cong-khai.pdf")
    response = cast.client("officer_a").get(url(campaign, "bao-cao.docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tu-danh-gia-2022-HNH.docx"'
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert any(p.startswith("Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2022 của thị xã Hoài Nhơn") for p in paragraphs)
    assert "2. Cải cách thủ tục hành chính (TC): 10,00/20 điểm; còn 1 tiêu chí chưa chấm (TC2)." in paragraphs
    assert "TC1 — Công khai thủ tục hành chính: Công khai đủ 95%" in paragraphs
    header, table, closing = document.tables
    assert header.cell(0, 0).text.strip().endswith("UBND THỊ XÃ HOÀI NHƠN")
    assert "Hoài Nhơn, ngày" in header.cell(1, 1).text
    assert [c.text for c in table.rows[0].cells] == ["STT", "Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Tài liệu kiểm chứng"]
    assert [c.text for c in table.rows[3].cells] == ["3", "TC1", "Công khai thủ tục hành chính", "12", "10,00", "cong-khai.pdf"]
    assert "TM. ỦY BAN NHÂN DÂN" in closing.cell(0, 1).text and "CHỦ TỊCH" in closing.cell(0, 1).text
    assert "Nơi nhận:" in closing.cell(0, 0).text


@pytest.mark.parametrize("who", ["officer_b", "onestop", "public"])
def test_the_report_is_not_for_other_units_or_the_public(cast, campaign, who):
    for rest in ("bao-cao/", "bao-cao.docx"):
        response = cast.client(who).get(url(campaign, rest))
        assert response.status_code in (302, 403, 404)
        assert response.status_code != 200
        assert cast.client("officer_a").get(url(campaign, rest)).status_code == 200  # its own unit's


# --- e. counts as plain numbers -------------------------------------------------------------


def test_document_counts_are_plain_numbers(cast, campaign, html):
    upload(cast, campaign, "CD1", "a.pdf")
    upload(cast, campaign, "CD1", "b.pdf")
    doc = html(cast.client("officer_a").get(url(campaign)).content)
    row = doc.cssselect("#criteria tr[data-node=CD1]")[0]
    assert row.cssselect(".evidence-count")[0].text_content() == "2"
    assert row.cssselect(".objection-count")[0].text_content() == "0"
    listing = html(cast.client("organiser").get("/dot-danh-gia/").content)
    cell = listing.cssselect(f"#campaigns tr[data-campaign='{campaign.pk}'] td")[-1]
    assert cell.text_content() == "2"


# --- f. the appraiser reads the drafts ------------------------------------------------------


def test_the_appraiser_reads_the_units_draft_and_reason_during_self_assessment(cast, campaign, html):
    fill_in(cast, campaign)
    upload(cast, campaign, "CD1")
    client = cast.client("appraiser")
    doc = html(client.get(url(campaign, "tieu-chi/CD1/")).content)
    assert doc.cssselect("#self-score")[0].text_content() == "3,00"
    assert "Có kế hoạch số 12/KH-UBND" in doc.cssselect("#explanation-text")[0].text_content()
    assert "chưa nộp" in doc.cssselect("#draft-note")[0].text_content()
    assert doc.cssselect("#evidence li a")[0].text_content() == "ke-hoach.pdf"
    preview = doc.cssselect("#appraise-preview")[0]
    assert preview.cssselect("fieldset[disabled]") and not preview.get("action")
    assert "giai đoạn thẩm định" in preview.text_content()
    assert not doc.cssselect("#self-form, #appraise-form, form.evidence-delete")
    s = score(campaign, "CD1")
    response = client.post(url(campaign, "tieu-chi/CD1/tham-dinh/"), {"score": "2", "reason": "Sớm", "version": s.version})
    assert response.status_code == 403
    assert score(campaign, "CD1").appraised_score is None


def test_an_unscored_criterion_says_it_has_no_explanation_yet(cast, campaign, html):
    doc = html(cast.client("appraiser").get(url(campaign, "tieu-chi/TC2/")).content)
    assert " ".join(doc.cssselect("#explanation-text")[0].text_content().split()) == "Giải trình: chưa có"


# --- g. a refused value is shown again --------------------------------------------------------


def test_a_refused_value_comes_back_as_typed_with_the_reason_next_to_the_field(cast, campaign, html):
    s = score(campaign, "CD1")
    response = cast.client("officer_a").post(
        url(campaign, "tieu-chi/CD1/tu-danh-gia/"), {"score": "4,5", "explanation": "Vượt kế hoạch", "version": s.version}
    )
    assert response.status_code == 400
    doc = html(response.content)
    field = doc.cssselect("#id_self_score")[0]
    assert field.get("value") == "4,5" and field.get("aria-invalid") == "true"
    assert doc.cssselect("#id_explanation")[0].text_content() == "Vượt kế hoạch"
    error = field.getnext()
    assert error.get("id") == "self-error" and "0..4" in error.text_content()
    assert score(campaign, "CD1").self_score is None


def test_with_htmx_a_refused_value_comes_back_as_typed_too(cast, campaign, html):
    services.set_self_score(score(campaign, "CD1"), "3", user=cast.officer_a)
    s = score(campaign, "CD1")
    response = cast.client("officer_a").post(
        url(campaign, "tieu-chi/CD1/tu-danh-gia/"),
        {"score": "KAD", "explanation": "", "version": s.version},
        HTTP_HX_REQUEST="true",
    )
    doc = html(response.content)
    assert doc.cssselect("#id_self_score")[0].get("value") == "KAD"
    assert "lý do" in doc.cssselect("#self-error")[0].text_content()
    assert score(campaign, "CD1").self_score == Decimal("3.00")


def test_a_refused_appraisal_comes_back_as_typed_with_the_reason_next_to_the_field(cast, campaign, html):
    fill_in(cast, campaign)
    campaign.status = "appraisal"
    campaign.save(update_fields=["status"])
    s = score(campaign, "TC1")
    response = cast.client("appraiser").post(
        url(campaign, "tieu-chi/TC1/tham-dinh/"), {"score": "13", "reason": "Thiếu minh chứng", "version": s.version}
    )
    assert response.status_code == 400
    doc = html(response.content)
    field = doc.cssselect("#id_appraised_score")[0]
    assert field.get("value") == "13" and field.get("aria-invalid") == "true"
    assert doc.cssselect("#id_reason")[0].text_content() == "Thiếu minh chứng"
    assert "0..12" in doc.cssselect("#appraise-error")[0].text_content()
    assert score(campaign, "TC1").appraised_score is None
