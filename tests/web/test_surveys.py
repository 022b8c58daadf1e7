"""Survey pages (cchc.web.surveys): sampling, one-time links, paper forms, imports, results,
publication into the campaign. Pages are parsed and specific elements checked; figures are
compared with what the core (cchc.surveys) computes from the same answers."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from django.test import Client
from django.urls import reverse
from test_surveys_support import *  # noqa: F403
from test_surveys_support import POPULATION, UNITS, full_answers, make_dossiers

from cchc import fmt
from cchc.surveys import load_questionnaire, sample_size, token_digest
from cchc.web.surveys.models import Answer, Respondent, Survey

pytestmark = pytest.mark.django_db

SIPAS = load_questionnaire("sipas", 2024)
QUESTIONS = [q.id for f in SIPAS.factors for q in f.questions]


def issue(client: Client, survey: Survey, unit: str, html: Any, reserve: bool = False) -> list[str]:
    """Issue a unit's links through the page; the URLs printed on the sheet."""
    data = {"du_phong": "1"} if reserve else {}
    response = client.post(reverse("surveys:issue", args=[survey.pk, unit]), data)
    assert response.status_code == 200
    return [a.get("href") for a in html(response.content).cssselect("#links a.answer-link")]


def path_of(url: str) -> str:
    return url.split("testserver", 1)[1]


# --- creating and sampling ------------------------------------------------------------------


def test_organiser_creates_a_survey_for_a_campaign_component(cast, survey_campaign, html):
    client = cast.client("organiser")
    response = client.post(
        reverse("surveys:create"),
        {"campaign": survey_campaign.pk, "component_code": "HL", "kind": "sipas",
         "max_points": "", "period": "", "margin": "0,05", "reserve_ratio": "0,5",
         "seed": "7", "name": ""},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:detail", args=[survey.pk])
    # K defaults to the component's maximum, the period to the campaign's year, and the
    # questionnaire is the one in force for that year, pinned by version.
    assert (survey.max_points, survey.period, survey.questionnaire_version) == (Decimal(30), "2024", 2024)
    page = html(client.get(response["Location"]).content)
    assert page.cssselect("#component")[0].text_content().startswith("HL (K = 30 điểm)")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"component_code": "XX"}, "Thành phần 'XX' không có"),
        ({"max_points": "31"}, "không quá 30"),
        ({"period": "2024-Q5"}, "Kỳ khảo sát"),
        ({"margin": "1,5"}, "Sai số e"),
        ({"reserve_ratio": "-1"}, "Tỷ lệ dự phòng"),
    ],
)
def test_a_wrong_plan_is_refused_with_the_reason(cast, survey_campaign, html, fields, message):
    data = {"campaign": survey_campaign.pk, "component_code": "HL", "kind": "sipas",
            "max_points": "", "period": "", "margin": "0,05", "reserve_ratio": "0,5",
            "seed": "", "name": ""}
    response = cast.client("organiser").post(reverse("surveys:create"), {**data, **fields})
    assert response.status_code == 200
    assert message in html(response.content).cssselect("#survey-errors")[0].text_content()
    assert not Survey.objects.exists()


def test_the_draw_shows_n_per_unit_from_the_finished_dossiers_of_the_period(cast, new_survey, html):
    survey = new_survey(draw=False)
    client = cast.client("organiser")
    response = client.post(reverse("surveys:draw", args=[survey.pk]))
    assert response.status_code == 302
    rows = html(client.get(reverse("surveys:detail", args=[survey.pk])).content).cssselect(
        "#sample-plan tbody tr"
    )
    shown = {r.get("data-unit"): [c.text_content().strip() for c in r.cssselect("td")] for r in rows}
    for unit, population in POPULATION.items():
        assert shown[unit][2] == fmt.format_int(population)
        assert shown[unit][3] == fmt.format_int(sample_size(population))
    drawn = Respondent.objects.filter(survey=survey, reserve=False)
    # Only dossiers finished in 2024 are drawn; every respondent comes from its own unit.
    assert all(r.dossier_code.startswith(r.unit.code + "-240") for r in drawn)
    assert drawn.count() == sum(sample_size(n) for n in POPULATION.values())
    survey.refresh_from_db()
    assert survey.status == "open"
    # Drawing again is refused: the sample is fixed once links go out.
    again = client.post(reverse("surveys:draw", args=[survey.pk]))
    assert again.status_code == 400


def test_a_draw_from_an_uploaded_ledger_uses_the_campaign_units_rows(cast, new_survey, tmp_path):
    import datetime as dt

    import pyarrow.compute as pc
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.service.generator import generate_ledger
    from cchc.service.importer import write_ledger
    from cchc.surveys import draw_sample, parse_period

    survey = new_survey(draw=False)
    table = generate_ledger(400, 5, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    path = tmp_path / "so-ho-so.parquet"
    write_ledger(table, path)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = cast.client("organiser").post(reverse("surveys:draw", args=[survey.pk]), {"ledger": upload})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.ledger_source == "so-ho-so.parquet"
    # The same draw as the core's on the campaign's units' rows (other wards are left out).
    ours = table.filter(pc.is_in(table["unit_code"], pa.array(list(UNITS))))
    expected = draw_sample(ours, parse_period("2024"), seed=survey.seed)
    assert set(Respondent.objects.values_list("dossier_code", flat=True)) == {
        r.dossier_code for r in expected.respondents
    }
    assert {u: v["sample"] for u, v in survey.plan.items()} == {
        s.unit_code: s.sample for s in expected.strata
    }


def test_the_same_seed_draws_the_same_people(cast, survey_campaign):
    from cchc.web.surveys import planning, sampling

    drawn = []
    for _ in range(2):
        survey = planning.create_survey(
            planning.SurveyPlan(survey_campaign, "HL", seed=99), user=cast.organiser
        )
        sampling.draw(survey, user=cast.organiser)
        drawn.append(
            list(survey.respondents.order_by("unit__code", "reserve", "order").values_list(
                "dossier_code", "reserve"
            ))
        )
    assert drawn[0] == drawn[1] and len(drawn[0]) > 0


def test_a_draw_by_procedure_gives_each_procedure_its_proportional_share(cast, survey_campaign):
    from collections import Counter

    from cchc.surveys import allocate
    from cchc.web.desk.models import Dossier
    from cchc.web.surveys import planning, sampling

    survey = planning.create_survey(
        planning.SurveyPlan(survey_campaign, "HL", seed=3, by_procedure=True), user=cast.organiser
    )
    sampling.draw(survey, user=cast.organiser)
    drawn = Respondent.objects.filter(survey=survey, unit__code="BSO", reserve=False)
    assert all(r.stratum == r.procedure_code for r in drawn)
    sizes = Counter(
        Dossier.objects.filter(code__startswith="BSO-240").values_list("procedure_code", flat=True)
    )
    assert len(sizes) == 2
    assert Counter(r.stratum for r in drawn) == allocate(sample_size(POPULATION["BSO"]), dict(sizes))


def test_a_draw_with_no_finished_dossier_in_the_period_says_so(cast, survey_campaign, html):
    from cchc.web.surveys import planning

    survey = planning.create_survey(
        planning.SurveyPlan(survey_campaign, "HL", period="2024-Q4", seed=1), user=cast.organiser
    )
    response = cast.client("organiser").post(reverse("surveys:draw", args=[survey.pk]))
    assert response.status_code == 400
    assert "Không có hồ sơ nào đã giải quyết xong trong kỳ 2024-Q4" in html(
        response.content
    ).cssselect("#survey-errors")[0].text_content()
    assert not Respondent.objects.exists()


def test_a_draw_from_an_uploaded_ledger_reports_bad_rows_and_draws_nothing(cast, new_survey, html):
    from django.core.files.uploadedfile import SimpleUploadedFile

    survey = new_survey(draw=False)
    bad = SimpleUploadedFile("so.csv", b"dossier_code,unit_code\nA-1,BSO\n", content_type="text/csv")
    response = cast.client("organiser").post(reverse("surveys:draw", args=[survey.pk]), {"ledger": bad})
    assert response.status_code == 422
    errors = html(response.content).cssselect("#survey-errors li")
    assert errors and all("so.csv" in e.text_content() for e in errors)
    assert not Respondent.objects.exists()


# --- links ------------------------------------------------------------------------------------


def test_links_carry_a_token_of_which_only_the_digest_is_stored(cast, new_survey, html):
    survey = new_survey()
    client = cast.client("organiser")
    urls = issue(client, survey, "BSO", html)
    assert len(urls) == sample_size(POPULATION["BSO"])
    page = html(client.post(reverse("surveys:issue", args=[survey.pk, "HDU"])).content)
    assert len(page.cssselect("#links svg")) == sample_size(POPULATION["HDU"])  # a QR code each
    tokens = [u.rstrip("/").rsplit("/", 1)[1] for u in urls]
    digests = set(Respondent.objects.values_list("token_digest", flat=True))
    assert {token_digest(t) for t in tokens} <= digests
    stored = " ".join(str(v) for r in Respondent.objects.values() for v in r.values())
    assert not any(t in stored for t in tokens)


def test_reissuing_replaces_the_links_of_those_who_have_not_answered(cast, new_survey, html):
    survey = new_survey()
    client = cast.client("organiser")
    first = issue(client, survey, "HHU", html)
    second = issue(client, survey, "HHU", html)
    assert set(first).isdisjoint(second)
    assert Client().get(path_of(first[0])).status_code == 404
    assert Client().get(path_of(second[0])).status_code == 200


def test_reserves_get_links_only_when_asked(cast, new_survey, html):
    survey = new_survey()
    client = cast.client("organiser")
    reserves = Respondent.objects.filter(survey=survey, unit__code="BSO", reserve=True).count()
    assert reserves > 0
    assert len(issue(client, survey, "BSO", html, reserve=True)) == sample_size(POPULATION["BSO"]) + reserves


# --- the respondent's form --------------------------------------------------------------------


def test_the_form_asks_every_question_on_the_five_level_scale_with_no_answer(cast, new_survey, html):
    survey = new_survey()
    url = issue(cast.client("organiser"), survey, "BSO", html)[0]
    response = Client().get(path_of(url))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = html(response.content)
    assert page.cssselect("#unit-name")[0].text_content() == "Phường Bồng Sơn"
    assert [lg.text_content() for lg in page.cssselect("fieldset.factor legend")] == [
        f"{i}. {f.label}" for i, f in enumerate(SIPAS.factors, start=1)
    ]
    for qid in QUESTIONS:
        labels = [lb.text_content().strip() for lb in page.cssselect(f"#q-{qid} label")]
        assert labels == [lv.label for lv in SIPAS.scale.levels] + ["Không trả lời"]
    assert page.cssselect("#answer-form input[name=csrfmiddlewaretoken]")
    assert page.cssselect("meta[name=viewport]")


def test_a_link_answers_once_and_a_second_visit_is_told_it_was_used(cast, new_survey, html):
    survey = new_survey()
    url = path_of(issue(cast.client("organiser"), survey, "BSO", html)[0])
    respondent = Client()
    response = respondent.post(url, full_answers(5, SIPAS))
    assert response.status_code == 200
    assert html(response.content).cssselect("#thanks")
    person = Respondent.objects.get(used_at__isnull=False)
    assert person.channel == "web"
    assert list(Answer.objects.filter(respondent=person).values_list("question", "value")) == [
        (q, 5) for q in QUESTIONS
    ]
    for again in (respondent.get(url), respondent.post(url, full_answers(1, SIPAS))):
        assert again.status_code == 410
        assert "đã được trả lời" in html(again.content).cssselect("#link-refused")[0].text_content()
    assert Answer.objects.count() == len(QUESTIONS)


def test_unanswered_questions_are_no_answer_and_bad_values_are_named(cast, new_survey, html):
    survey = new_survey()
    url = path_of(issue(cast.client("organiser"), survey, "BSO", html)[0])
    bad = Client().post(url, {"tc1": "9", "tt1": "4"})
    assert bad.status_code == 400
    errors = [li.text_content() for li in html(bad.content).cssselect("#survey-errors li")]
    assert len(errors) == 1 and "cột tc1" in errors[0] and "'9'" in errors[0]
    assert not Answer.objects.exists()
    good = Client().post(url, {"tc1": "2", "tt1": "0", "cc1": "4"})
    assert good.status_code == 200
    values = dict(Answer.objects.values_list("question", "value"))
    assert values["tc1"] == 2 and values["cc1"] == 4
    assert values["tt1"] is None and values["gy3"] is None  # "không trả lời"


def test_links_expire_when_the_survey_closes_and_unknown_tokens_are_refused(cast, new_survey, html):
    survey = new_survey()
    client = cast.client("organiser")
    url = path_of(issue(client, survey, "BSO", html)[0])
    assert client.post(reverse("surveys:close", args=[survey.pk])).status_code == 302
    closed = Client().get(url)
    assert closed.status_code == 410
    assert "kết thúc" in html(closed.content).cssselect("#link-refused")[0].text_content()
    assert Client().get(url[:-3] + "xx/").status_code == 404


def test_the_respondent_form_is_protected_by_csrf(cast, new_survey, html):
    survey = new_survey()
    url = path_of(issue(cast.client("organiser"), survey, "BSO", html)[0])
    response = Client(enforce_csrf_checks=True).post(url, full_answers(4, SIPAS))
    assert response.status_code == 403
    assert not Answer.objects.exists()


# --- paper forms and imports ------------------------------------------------------------------


def test_staff_enter_a_paper_form_which_uses_up_the_link(cast, new_survey, html):
    survey = new_survey()
    client = cast.client("organiser")
    url = path_of(issue(client, survey, "HDU", html)[0])
    person = Respondent.objects.get(token_digest=token_digest(url.rstrip("/").rsplit("/", 1)[1]))
    response = client.post(reverse("surveys:paper", args=[survey.pk, person.pk]), full_answers(3, SIPAS))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.channel == "paper" and person.used_at is not None
    assert Client().get(url).status_code == 410
    listing = html(client.get(reverse("surveys:paper_list", args=[survey.pk])).content)
    row = listing.cssselect(f"#respondents tr[data-dossier='{person.dossier_code}'] td")
    assert row[3].text_content() == "Đã trả lời (phiếu giấy)"
    again = client.post(reverse("surveys:paper", args=[survey.pk, person.pk]), full_answers(3, SIPAS))
    assert again.status_code == 400


def _csv(rows: list[str]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "respondent_id,unit_code,factor,question,answer\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("tra-loi.csv", text.encode("utf-8"), content_type="text/csv")


def test_an_answers_file_is_imported_whole(cast, new_survey):
    survey = new_survey()
    client = cast.client("organiser")
    file = _csv(["p1,BSO,tiep_can,tc1,5", "p1,BSO,thu_tuc,tt1,", "p2,HDU,tiep_can,tc1,2"])
    response = client.post(reverse("surveys:import", args=[survey.pk]), {"kind": "long", "file": file})
    assert response.status_code == 302
    assert sorted(Answer.objects.values_list("respondent_key", "question", "value")) == [
        ("p1", "tc1", 5), ("p1", "tt1", None), ("p2", "tc1", 2)
    ]


def test_a_bad_answers_file_lists_every_bad_row_and_stores_nothing(cast, new_survey, html):
    survey = new_survey()
    client = cast.client("organiser")
    file = _csv(["p1,BSO,tiep_can,tc1,5", "p2,BSO,tiep_can,tc1,7", "p3,BSO,thu_tuc,tc1,4"])
    response = client.post(reverse("surveys:import", args=[survey.pk]), {"kind": "long", "file": file})
    assert response.status_code == 422
    errors = [li.text_content() for li in html(response.content).cssselect("#survey-errors li")]
    assert errors[0].startswith("tra-loi.csv, dòng 3, cột answer")
    assert errors[1].startswith("tra-loi.csv, dòng 4, cột factor")
    assert not Answer.objects.exists()


def test_answers_of_a_unit_outside_the_campaign_or_imported_twice_are_refused(cast, new_survey, html):
    survey = new_survey()
    client = cast.client("organiser")
    url = reverse("surveys:import", args=[survey.pk])
    outside = client.post(url, {"kind": "long", "file": _csv(["p1,ANH,tiep_can,tc1,5"])})
    assert "đơn vị 'ANH' không có trong đợt đánh giá" in html(outside.content).cssselect(
        "#survey-errors li"
    )[0].text_content()
    assert client.post(url, {"kind": "long", "file": _csv(["p1,BSO,tiep_can,tc1,5"])}).status_code == 302
    twice = client.post(url, {"kind": "long", "file": _csv(["p1,BSO,tiep_can,tc1,5"])})
    assert twice.status_code == 422
    assert Answer.objects.count() == 1


def test_a_kobo_export_is_imported_through_the_questionnaire(cast, new_survey):
    from django.core.files.uploadedfile import SimpleUploadedFile

    survey = new_survey()
    text = "_uuid,unit_code,tiep_can/tc1,grp/cc1,_submission_time\nu-1,HHU,rat_hai_long,2,2024-05-01\n"
    file = SimpleUploadedFile("kobo.csv", text.encode("utf-8"), content_type="text/csv")
    response = cast.client("organiser").post(
        reverse("surveys:import", args=[survey.pk]), {"kind": "kobo", "file": file}
    )
    assert response.status_code == 302
    values = dict(Answer.objects.filter(respondent_key="u-1").values_list("question", "value"))
    assert values["tc1"] == 5 and values["cc1"] == 2


# --- results and publication ------------------------------------------------------------------


def _answer(survey: Survey, unit: str, levels: list[int]) -> None:
    """Respondents of ``unit`` answer every question at the given levels (one each)."""
    from cchc.web.surveys import collection

    people = Respondent.objects.filter(survey=survey, unit__code=unit, reserve=False)
    for person, level in zip(people, levels, strict=False):
        collection.submit_by_link(person, full_answers(level, SIPAS))


def test_results_show_the_core_index_interval_and_n_per_unit(cast, new_survey, html):
    from cchc.web.surveys.results import survey_result

    survey = new_survey()
    _answer(survey, "BSO", [5, 4, 2])
    _answer(survey, "HDU", [5])
    page = html(cast.client("organiser").get(reverse("surveys:results", args=[survey.pk])).content)
    rows = {r.get("data-unit"): r for r in page.cssselect("#unit-results tbody tr")}
    assert set(rows) == {"BSO", "HDU"}
    bso = survey_result(survey).unit("BSO")
    assert bso.respondents == 3 and bso.index == pytest.approx(2 / 3)
    cells = rows["BSO"]
    assert cells.cssselect("td.n")[0].text_content() == "3"
    assert cells.cssselect("td.index")[0].text_content() == fmt.format_percent(bso.index)
    assert cells.cssselect("td.ci")[0].text_content() == (
        f"{fmt.format_percent(bso.ci_low)} – {fmt.format_percent(bso.ci_high)}"
    )
    assert cells.cssselect("td.points")[0].text_content() == fmt.format_number(30 * bso.index)
    # One respondent, all satisfied: index 100 %, Wilson's upper bound exactly 1.
    assert rows["HDU"].cssselect("td.ci")[0].text_content().endswith("100,00%")
    assert len(page.cssselect("#factor-results tbody tr")) == 2 * len(SIPAS.factors)
    assert page.cssselect("#survey-chart svg")
    assert page.cssselect("#comparisons tbody td.flag-overlap")  # 1 person vs 3: not different
    assert page.cssselect("p.illustrative")


def test_results_export_to_xlsx_with_numbers_as_numbers(cast, new_survey):
    import openpyxl

    survey = new_survey()
    _answer(survey, "BSO", [5, 4, 2])
    response = cast.client("organiser").get(reverse("surveys:results_xlsx", args=[survey.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Đơn vị"]
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "BSO"]
    assert values[0][1] == 3 and values[0][2] == pytest.approx(2 / 3)


def test_publishing_writes_k_times_index_into_the_campaign_with_history(cast, new_survey, html, settings):
    from cchc.web.campaigns.models import CriterionScore, ScoreChange
    from cchc.web.campaigns.results import campaign_results
    from cchc.web.surveys.results import survey_result

    # Two or three respondents a unit keep the figures small; the minimum sample per unit has
    # its own tests (test_surveys_hardening.py).
    settings.CCHC_SURVEY_MIN_RESPONDENTS = 2
    survey = new_survey()
    for unit, levels in {"BSO": [5, 4, 2], "HDU": [5, 3], "HHU": [4, 4, 1]}.items():
        _answer(survey, unit, levels)
    result = survey_result(survey)
    client = cast.client("organiser")
    response = client.post(reverse("surveys:publish", args=[survey.pk]))
    assert response.status_code == 302
    for unit in UNITS:
        expected = fmt.round_half_up(30 * result.unit(unit).index, 2)
        score = CriterionScore.objects.get(
            campaign_unit__campaign=survey.campaign, campaign_unit__unit__code=unit, node_code="HL"
        )
        assert score.appraised_score == Decimal(str(expected)).quantize(Decimal("0.01"))
        change = ScoreChange.objects.get(criterion_score=score, field="appraised_score")
        assert (change.user, change.old, change.new, change.reason) == (
            cast.organiser, "", fmt.format_number(expected), "kết quả khảo sát"
        )
    totals = {r.unit_code: r.score for r in campaign_results(survey.campaign).units}
    assert totals["BSO"] == pytest.approx(67.76 + fmt.round_half_up(30 * result.unit("BSO").index, 2))
    survey.refresh_from_db()
    assert survey.status == "published"
    # Published: the button is gone, the public reads the results, links are dead.
    public = html(Client().get(reverse("surveys:results", args=[survey.pk])).content)
    assert not public.cssselect("#publish")
    assert "Đã công bố" in public.cssselect("#publication")[0].text_content()
    assert client.post(reverse("surveys:publish", args=[survey.pk])).status_code == 302
    assert ScoreChange.objects.filter(reason="kết quả khảo sát").count() == len(UNITS)


def test_publishing_without_any_valid_answer_is_refused(cast, new_survey):
    from cchc.web.campaigns.models import ScoreChange

    survey = new_survey()
    response = cast.client("organiser").post(reverse("surveys:publish", args=[survey.pk]), follow=True)
    assert "Chưa có câu trả lời hợp lệ" in response.content.decode()
    assert not ScoreChange.objects.filter(reason="kết quả khảo sát").exists()
    survey.refresh_from_db()
    assert survey.status == "open"


# --- demo -------------------------------------------------------------------------------------


def test_the_demo_step_opens_a_survey_drawn_from_the_desk_ledger_once(db):
    from cchc.web.demo import DemoContext
    from cchc.web.surveys.demo import load_survey

    make_dossiers()
    ctx = DemoContext()
    load_survey(ctx)
    load_survey(ctx)  # idempotent
    survey = Survey.objects.get()
    assert survey.status == "open" and survey.campaign.year == 2024
    assert survey.campaign.illustrative and survey.component_code == "HL"
    assert survey.plan["BSO"]["sample"] == sample_size(POPULATION["BSO"])
    assert len(ctx.notes) == 1 and "đã chọn mẫu" in ctx.notes[0]


def test_the_json_twin_answers_what_the_cli_answers_for_the_same_answers(cast, new_survey, tmp_path):
    """The collected answers, written out in the long format, give the CLI's JSON."""
    import json

    from typer.testing import CliRunner

    from cchc.cli import app
    from cchc.surveys import Answer as CoreAnswer
    from cchc.surveys import write_answers_csv

    survey = new_survey()
    _answer(survey, "BSO", [5, 4, 2])
    _answer(survey, "HHU", [3])
    response = cast.client("organiser").get(reverse("surveys:results_json", args=[survey.pk]))
    assert response.status_code == 200
    body = response.json()
    rows = Answer.objects.order_by("pk").values_list(
        "respondent_key", "unit_code", "factor", "question", "value"
    )
    path = write_answers_csv([CoreAnswer(*r) for r in rows], tmp_path / "answers.csv")
    cli = CliRunner().invoke(app, ["survey", "index", str(path), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    assert body["units"] == json.loads(cli.stdout)["units"]
    points = {p["unit_code"]: p["points"] for p in body["points"]["units"]}
    assert points["HHU"] == 0 and body["component"] == "HL" and body["illustrative"] is True
