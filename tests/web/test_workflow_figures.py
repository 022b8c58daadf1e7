"""Formula criteria on the forms: the unit types the raw figures the rule is written in
(a count; the two counts of a rate, or the rate), the core computes the points, both are
stored and audited; a figure out of the rule's domain is refused beside its field and kept
as typed; the figures are shown beside the points wherever the points are."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from cchc.web.campaigns import services
from cchc.web.campaigns.frameworks import store_framework
from cchc.web.campaigns.models import Campaign, CriterionScore, ScoreChange
from cchc.web.units.models import Unit
from cchc.web.workflow.campaigns import open_campaign

pytestmark = pytest.mark.django_db

FRAMEWORK = """\
code: so-lieu-huyen
name: Bộ chỉ số thử có công thức
year: 2026
level: district
components:
  - code: KQ
    name: Kết quả
    max: 5
    children:
      - code: KQ1
        name: Sáng kiến cải cách hành chính được công nhận
        max: 2
        rule: {kind: per_item, points: 0.5, item: sáng kiến}
      - code: KQ2
        name: Tỷ lệ hồ sơ giải quyết đúng hạn
        max: 1
        rule:
          kind: bands
          item: hồ sơ giải quyết đúng hạn
          total: hồ sơ tiếp nhận
          bands:
            - {from: 100, points: 1}
            - {from: 80, to: 100, points: 0.5}
            - {from: 0, to: 80, points: 0}
      - {code: KQ3, name: Công tác tuyên truyền, max: 2}
"""


@pytest.fixture
def campaign(cast) -> Campaign:
    fw = store_framework(FRAMEWORK, "so_lieu.yaml")
    c = open_campaign(
        fw, Unit.objects.filter(code__in=["HNH"]), user=cast.organiser, name="Thử số liệu"
    )
    c.status = "self_assessment"
    c.save(update_fields=["status"])
    return c


def score(campaign: Campaign, node: str) -> CriterionScore:
    return CriterionScore.objects.get(
        campaign_unit__campaign=campaign, campaign_unit__unit__code="HNH", node_code=node
    )


def url(campaign: Campaign, node: str, rest: str = "") -> str:
    return f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/{node}/{rest}"


def changes(s: CriterionScore) -> list[tuple[str, str, str]]:
    return [(c.field, c.old, c.new) for c in ScoreChange.objects.filter(criterion_score=s)]


def labels(doc, form: str) -> dict[str, str]:
    return {
        lab.get("for"): lab.text_content() for lab in doc.cssselect(f"{form} .figure-field label")
    }


def phase(campaign: Campaign, status: str) -> None:
    campaign.status = status
    campaign.save(update_fields=["status"])


def test_the_form_asks_for_the_rules_figures_in_the_frameworks_words(cast, campaign, html):
    client = cast.client("officer_a")
    doc = html(client.get(url(campaign, "KQ1")).content)
    assert labels(doc, "#self-form") == {"id_self_count": "Số sáng kiến"}
    assert doc.cssselect("#id_self_score") == []  # the points are not typed
    doc = html(client.get(url(campaign, "KQ2")).content)
    assert labels(doc, "#self-form") == {
        "id_self_numerator": "Số hồ sơ giải quyết đúng hạn",
        "id_self_denominator": "Tổng số hồ sơ tiếp nhận",
        "id_self_rate": "hoặc: tỷ lệ hồ sơ giải quyết đúng hạn (%), khi chỉ có tỷ lệ",
    }
    # A criterion without a formula keeps the points input.
    doc = html(client.get(url(campaign, "KQ3")).content)
    assert doc.cssselect("#id_self_score") and not doc.cssselect("#self-figures")


def test_the_points_are_the_formulas_and_both_are_stored_and_audited(cast, campaign, html):
    client = cast.client("officer_a")
    s = score(campaign, "KQ2")
    response = client.post(
        url(campaign, "KQ2", "tu-danh-gia/"),
        {"version": s.version, "fig_numerator": "45", "fig_denominator": "50", "explanation": ""},
    )
    assert response.status_code == 302
    s = score(campaign, "KQ2")
    assert (s.self_score, s.self_figures) == (Decimal("0.50"), {"numerator": 45, "denominator": 50})
    assert changes(s) == [("self_figures", "", "45/50 = 90%"), ("self_score", "", "0,50")]
    # A corrected figure corrects the points; the change is audited, old and new.
    client.post(
        url(campaign, "KQ2", "tu-danh-gia/"),
        {"version": s.version, "fig_rate": "100", "fig_numerator": "", "fig_denominator": ""},
    )
    s = score(campaign, "KQ2")
    assert (s.self_score, s.self_figures) == (Decimal("1.00"), {"rate": 100.0})
    assert changes(s)[2:] == [("self_figures", "45/50 = 90%", "100%"), ("self_score", "0,50", "1,00")]
    assert all(c.user == cast.officer_a for c in ScoreChange.objects.filter(criterion_score=s))
    doc = html(client.get(url(campaign, "KQ2")).content)
    assert doc.cssselect("#self-score")[0].text_content() == "1,00"
    assert doc.cssselect("#self-figures-text")[0].text_content() == "(số liệu: 100%)"
    assert doc.cssselect("#id_self_rate")[0].get("value") == "100"
    history = doc.cssselect("#history tr[data-field=self_figures] td")
    assert [td.text_content() for td in history[2:5]] == ["Số liệu tự đánh giá", "", "45/50 = 90%"]


@pytest.mark.parametrize(
    ("node", "typed", "field", "words"),
    [
        ("KQ1", {"fig_count": "-1"}, "count", "số lượng phải là số nguyên không âm"),
        ("KQ1", {"fig_count": "2,5"}, "count", "số lượng phải là số nguyên không âm"),
        ("KQ1", {"fig_count": "năm"}, "count", "không phải là số"),
        ("KQ2", {"fig_numerator": "51", "fig_denominator": "50"}, "numerator", "lớn hơn mẫu số"),
        ("KQ2", {"fig_numerator": "0", "fig_denominator": "0"}, "denominator", "lớn hơn 0"),
        ("KQ2", {"fig_numerator": "45", "fig_denominator": ""}, "denominator", "thiếu mẫu số"),
        ("KQ2", {"fig_rate": "101"}, "rate", "0..100"),
        ("KQ2", {"fig_numerator": "4", "fig_denominator": "5", "fig_rate": "80"}, "rate", "để trống"),
    ],
)
def test_a_figure_outside_the_rule_is_refused_beside_its_field_and_kept(
    cast, campaign, html, node, typed, field, words
):
    s = score(campaign, node)
    before, audited = s.version, ScoreChange.objects.count()
    response = cast.client("officer_a").post(
        url(campaign, node, "tu-danh-gia/"),
        {"version": s.version, "explanation": "Theo báo cáo năm", **typed},
    )
    assert response.status_code == 400
    doc = html(response.content)
    error = doc.cssselect(f"#id_self_{field}-error")
    assert len(error) == 1 and words in error[0].text_content()
    assert doc.cssselect(f"#id_self_{field}")[0].get("aria-invalid") == "true"
    for name, value in typed.items():
        assert doc.cssselect(f"#id_self_{name[4:]}")[0].get("value") == value
    assert doc.cssselect("#id_explanation")[0].text_content() == "Theo báo cáo năm"
    assert doc.cssselect("#self-not-saved")
    s = score(campaign, node)
    assert (s.version, s.self_score, s.self_figures, s.explanation) == (before, None, None, "")
    assert ScoreChange.objects.count() == audited


def test_computing_the_points_first_stores_nothing(cast, campaign, html):
    s = score(campaign, "KQ1")
    response = cast.client("officer_a").post(
        url(campaign, "KQ1", "tu-danh-gia/"), {"version": s.version, "fig_count": "3", "preview": "1"}
    )
    doc = html(response.content)
    assert doc.cssselect("#self-computed")[0].text_content() == "1,50"
    assert doc.cssselect("#id_self_count")[0].get("value") == "3"
    assert score(campaign, "KQ1").self_score is None and not changes(score(campaign, "KQ1"))
    # Seven initiatives are 3,5 points by the rule, capped at the criterion's maximum.
    response = cast.client("officer_a").post(
        url(campaign, "KQ1", "tu-danh-gia/"),
        {"version": s.version, "fig_count": "7"},
        HTTP_HX_REQUEST="true",
    )
    doc = html(response.content)
    assert doc.cssselect("#self-computed")[0].text_content() == "2,00"
    assert score(campaign, "KQ1").self_figures == {"count": 7}


def test_does_not_apply_is_a_box_with_its_reason(cast, campaign):
    s = score(campaign, "KQ1")
    client = cast.client("officer_a")
    response = client.post(url(campaign, "KQ1", "tu-danh-gia/"), {"version": s.version, "kad": "yes"})
    assert response.status_code == 400
    client.post(
        url(campaign, "KQ1", "tu-danh-gia/"),
        {"version": s.version, "kad": "yes", "fig_count": "", "explanation": "Không có đề án"},
    )
    s = score(campaign, "KQ1")
    assert (s.not_applicable, s.self_score, s.self_figures) == (True, None, None)


def test_the_appraiser_corrects_a_figure_with_a_reason(cast, campaign, html):
    services.set_self_score(
        score(campaign, "KQ2"), "", user=cast.officer_a,
        figures={"numerator": "45", "denominator": "50"},
    )
    phase(campaign, "appraisal")
    client = cast.client("appraiser")
    doc = html(client.get(url(campaign, "KQ2")).content)
    # The form opens on the unit's figures.
    assert doc.cssselect("#id_appraise_numerator")[0].get("value") == "45"
    assert doc.cssselect("#id_appraise_denominator")[0].get("value") == "50"
    s = score(campaign, "KQ2")
    typed = {"version": s.version, "fig_numerator": "39", "fig_denominator": "50", "reason": ""}
    response = client.post(url(campaign, "KQ2", "tham-dinh/"), typed)
    assert response.status_code == 400
    doc = html(response.content)
    assert "phải ghi lý do" in doc.cssselect("#appraise-error")[0].text_content()
    assert doc.cssselect("#id_appraise_numerator")[0].get("value") == "39"
    assert score(campaign, "KQ2").appraised_figures is None
    # A figure that changes nothing of the points still needs its reason.
    response = client.post(
        url(campaign, "KQ2", "tham-dinh/"), {**typed, "fig_numerator": "44"}
    )
    assert response.status_code == 400
    assert score(campaign, "KQ2").appraised_score is None
    client.post(url(campaign, "KQ2", "tham-dinh/"), {**typed, "reason": "6 hồ sơ trễ hạn"})
    s = score(campaign, "KQ2")
    assert (s.appraised_score, s.appraised_figures) == (Decimal("0.00"), {"numerator": 39, "denominator": 50})
    assert changes(s)[-2:] == [
        ("appraised_figures", "", "39/50 = 78%"),
        ("appraised_score", "", "0,00"),
    ]
    assert ScoreChange.objects.filter(field="appraised_figures").get().user == cast.appraiser
    doc = html(client.get(url(campaign, "KQ2")).content)
    assert doc.cssselect("#appraised-figures-text")[0].text_content() == "(số liệu: 39/50 = 78%)"
    row = doc.cssselect("#history tr[data-field=appraised_figures] td.reason")
    assert row[0].text_content() == "6 hồ sơ trễ hạn"
    unit = html(client.get(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/").content)
    cells = unit.cssselect("#criteria tr[data-node=KQ2] td")
    assert cells[3].text_content() == "0,50 (số liệu: 45/50 = 90%)"
    assert cells[4].text_content() == "0,00 (số liệu: 39/50 = 78%)"


def test_the_same_figures_as_the_units_need_no_reason(cast, campaign):
    services.set_self_score(score(campaign, "KQ1"), "", user=cast.officer_a, figures={"count": "3"})
    phase(campaign, "appraisal")
    services.appraise(score(campaign, "KQ1"), "", user=cast.appraiser, figures={"count": "3"})
    s = score(campaign, "KQ1")
    assert (s.appraised_score, s.appraised_figures) == (Decimal("1.50"), {"count": 3})
    with pytest.raises(services.CampaignError, match="chưa nhập số liệu"):
        services.appraise(s, "", user=cast.appraiser, figures={"count": ""})


def test_an_objection_answer_corrects_the_figure(cast, campaign, html):
    services.set_self_score(score(campaign, "KQ1"), "", user=cast.officer_a, figures={"count": "4"})
    phase(campaign, "appraisal")
    services.appraise(
        score(campaign, "KQ1"), "", user=cast.appraiser, figures={"count": "2"},
        reason="Hai sáng kiến chưa có quyết định công nhận",
    )
    phase(campaign, "objections")
    objection = services.raise_objection(
        score(campaign, "KQ1"), "Đã có quyết định công nhận sáng kiến thứ ba", user=cast.officer_a
    )
    s = score(campaign, "KQ1")
    answer = f"kien-nghi/{objection.pk}/tra-loi/"
    bad = cast.client("appraiser").post(
        url(campaign, "KQ1", answer), {"answer": "Chấp nhận", "score": "-3", "version": s.version},
        follow=True,
    )
    assert "Số liệu sau trả lời kiến nghị" in bad.content.decode()
    assert score(campaign, "KQ1").appraised_figures == {"count": 2}
    cast.client("appraiser").post(
        url(campaign, "KQ1", answer), {"answer": "Chấp nhận", "score": "3", "version": s.version}
    )
    s = score(campaign, "KQ1")
    assert (s.appraised_score, s.appraised_figures) == (Decimal("1.50"), {"count": 3})
    assert changes(s)[-3:-1] == [("appraised_figures", "2", "3"), ("appraised_score", "1,00", "1,50")]


def test_the_report_shows_the_figure_beside_the_points(cast, campaign, html):
    services.set_self_score(
        score(campaign, "KQ2"), "", user=cast.officer_a, figures={"numerator": "45", "denominator": "50"}
    )
    client = cast.client("officer_a")
    doc = html(client.get(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/bao-cao/").content)
    assert "0,50 (số liệu: 45/50 = 90%)" in doc.text_content()
    docx = client.get(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/bao-cao.docx").content
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert "0,50 (số liệu: 45/50 = 90%)" in z.read("word/document.xml").decode()


def test_points_imported_as_such_drop_the_figures_they_replace(cast, campaign):
    services.set_self_score(score(campaign, "KQ1"), "", user=cast.officer_a, figures={"count": "3"})
    services.import_scores(campaign, [{"unit_code": "HNH", "KQ1": "1,5"}], field="self_score", source="s.csv")
    s = score(campaign, "KQ1")
    assert (s.self_score, s.self_figures) == (Decimal("1.50"), None)
    assert changes(s)[-1] == ("self_figures", "3", "")


def test_the_admin_cannot_change_a_figure_behind_the_history():
    from django.contrib import admin

    editable = {f.name for f in CriterionScore._meta.fields if f.editable and not f.primary_key}
    assert editable <= set(admin.site._registry[CriterionScore].readonly_fields)
