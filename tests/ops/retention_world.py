"""Builders of the retention tests (imported by test_retention_*.py; holds no tests itself).

A survey of a 2024 commune campaign over Phường Bồng Sơn (BSO, 12 finished dossiers: all
drawn) and Hoài Đức (HDU, 4), answered by link (BSO), on paper and by file (HDU); accounts
with a name, an e-mail and a password. Times are given by the caller (frozen in the rule
tests, relative to the clock in the CLI tests).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q

from cchc.demo import data_path
from cchc.web import demo
from cchc.web.accounts.models import User
from cchc.web.desk.models import Dossier
from cchc.web.surveys import collection, links, planning, results, sampling
from cchc.web.surveys.models import Answer, Respondent, Survey
from cchc.web.units.models import Unit

POPULATION = {"BSO": 12, "HDU": 4}


def survey_world() -> User:
    """Units, the survey population's finished dossiers of 2024; returns the organiser."""
    demo.load_units(demo.DemoContext())
    for unit, count in POPULATION.items():
        for i in range(count):
            finished = dt.datetime(2024, 3, 1, 2, tzinfo=dt.UTC) + dt.timedelta(days=i)
            Dossier.objects.create(
                code=f"{unit}-24{i:03d}",
                unit=Unit.objects.get(code=unit),
                procedure_code="1.000001",
                channel="counter",
                status="finished",
                received_at=finished - dt.timedelta(days=5),
                finished_at=finished,
                applicant_name="Nguyễn Văn An",
            )
    return User.objects.create(username="noivu", role="organiser")


def campaign() -> Any:
    from cchc.web.campaigns import services
    from cchc.web.campaigns.frameworks import store_framework

    text = data_path("framework_commune_2022.yaml").read_text(encoding="utf-8")
    framework = store_framework(text.replace("year: 2022", "year: 2024"), "khung-2024.yaml")
    units = Unit.objects.filter(code__in=list(POPULATION))
    return services.create_campaign(framework, units, user=None, illustrative=True)


def levels(survey: Survey, level: int) -> dict[str, str]:
    """Every question of the survey's form answered at ``level``."""
    form = planning.questionnaire(survey)
    return {q.id: str(level) for f in form.factors for q in f.questions}


def long_file(rows: list[str]) -> SimpleUploadedFile:
    text = "respondent_id,unit_code,factor,question,answer\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("tra-loi.csv", text.encode("utf-8"), content_type="text/csv")


def answered_survey(organiser: User, on: Any, closed_at: dt.datetime | None) -> Survey:
    """A drawn survey of campaign ``on`` answered by link, on paper and by file; closed at
    ``closed_at`` (None: still open)."""
    survey = planning.create_survey(planning.SurveyPlan(on, "HL", seed=2024), user=organiser)
    sampling.draw(survey, user=organiser)
    survey.refresh_from_db()
    issued = links.issue_links(survey, Unit.objects.get(code="BSO"), user=organiser)
    for item, level in zip(issued, [5, 4, 2, 1], strict=False):
        collection.submit_by_link(links.respondent_for(item.token), levels(survey, level))
    paper = Respondent.objects.filter(survey=survey, unit__code="HDU", reserve=False).first()
    collection.enter_paper(paper, levels(survey, 3), user=organiser)
    collection.import_answers(
        survey,
        long_file(["p1,HDU,tiep_can,tc1,5", "p1,HDU,thu_tuc,tt1,", "p2,HDU,tiep_can,tc1,2"]),
        kind="long",
        user=organiser,
    )
    if closed_at is not None:
        results.close(survey, user=organiser)
        Survey.objects.filter(pk=survey.pk).update(closed_at=closed_at)
        survey.refresh_from_db()
    return survey


def figures(survey: Survey) -> dict[str, Any]:
    """Every figure the survey pages show: index, points, n, issued and answered counts."""
    result = results.survey_result(survey)
    per_unit = (
        Respondent.objects.filter(survey=survey)
        .values("unit__code")
        .annotate(
            drawn=Count("pk", filter=Q(reserve=False)),
            issued=Count("pk", filter=Q(issued_at__isnull=False)),
            answered=Count("pk", filter=Q(used_at__isnull=False)),
        )
        .order_by("unit__code")
    )
    return {
        "result": result,
        "points": results.points(survey, result),
        "respondents": list(per_unit),
        "people_with_answers": survey.answers.values("respondent_key").distinct().count(),
        "answers": list(
            Answer.objects.filter(survey=survey)
            .order_by("pk")
            .values_list("pk", "unit_code", "factor", "question", "value")
        ),
    }


def links_of(survey: Survey) -> dict[str, Any]:
    """What ties the survey to people: token digests, dossier codes, answer keys, sources."""
    people = Respondent.objects.filter(survey=survey)
    return {
        "digests": set(people.values_list("token_digest", flat=True)),
        "dossiers": set(people.values_list("dossier_code", flat=True)),
        "keys": set(survey.answers.values_list("respondent_key", flat=True)),
        "sources": set(survey.answers.values_list("source", flat=True)),
    }


@functools.cache
def password_hash() -> str:
    return make_password("mat-khau-du-dai-123")  # Argon2 is slow: hash once per session


def account(
    username: str,
    *,
    active: bool,
    last_login: dt.datetime | None,
    joined: dt.datetime,
    role: str = "leader",
) -> User:
    """An account with a name, an e-mail and a usable password."""
    return User.objects.create(
        username=username,
        first_name="Văn An",
        last_name="Nguyễn",
        email=f"{username}@hoainhon.gov.vn",
        password=password_hash(),
        role=role,
        is_active=active,
        is_superuser=role == "administrator",
        date_joined=joined,
        last_login=last_login,
    )
