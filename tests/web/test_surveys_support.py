"""Fixtures of the survey tests (imported by test_surveys*.py; holds no tests itself).

A commune-level campaign of 2024 over three of Hoài Nhơn's wards, KQ already appraised and
HL (30 points, citizens' satisfaction) left for the survey; the wards' finished dossiers of
2024 in the desk's ledger. Small populations, so n = ⌈N / (1 + N·e²)⌉ stays small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cchc.demo import data_path

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNITS = ("BSO", "HDU", "HHU")
# Finished dossiers of 2024 per ward (plus dossiers that must never be drawn).
POPULATION = {"BSO": 40, "HDU": 4, "HHU": 3}
# Every fourth dossier is of the second procedure (strata when sampling by procedure).
PROCEDURES = ("1.000001", "2.000002")
KQ = {"BSO": "67,76", "HDU": "65,31", "HHU": "63,62"}


def framework_2024() -> Any:
    from cchc.web.campaigns.frameworks import store_framework

    text = data_path("framework_commune_2022.yaml").read_text(encoding="utf-8")
    return store_framework(text.replace("year: 2022", "year: 2024"), "framework_commune_2024.yaml")


def make_campaign() -> Any:
    from cchc.web.campaigns import services
    from cchc.web.campaigns.models import Status
    from cchc.web.units.models import Unit

    campaign = services.create_campaign(
        framework_2024(), Unit.objects.filter(code__in=UNITS), user=None, illustrative=True
    )
    rows = [{"unit_code": code, "KQ": value} for code, value in KQ.items()]
    services.import_scores(campaign, rows, field="self_score", source="kq.csv")
    services.import_scores(campaign, rows, field="appraised_score", source="kq.csv")
    campaign.status = Status.APPRAISAL
    campaign.save(update_fields=["status"])
    return campaign


def make_dossiers() -> None:
    """POPULATION finished dossiers per ward in 2024, and some that are out of the frame."""
    from cchc.web.desk.models import Dossier
    from cchc.web.units.models import Unit

    def add(code: str, unit: str, status: str, finished: dt.datetime | None, procedure: str = PROCEDURES[0]) -> None:
        Dossier.objects.create(
            code=code,
            unit=Unit.objects.get(code=unit),
            procedure_code=procedure,
            channel="counter",
            status=status,
            received_at=(finished or dt.datetime(2024, 6, 1, 8, tzinfo=TZ)) - dt.timedelta(days=5),
            finished_at=finished,
        )

    for unit, count in POPULATION.items():
        for i in range(count):
            finished = dt.datetime(2024, 3, 1, 9, tzinfo=TZ) + dt.timedelta(days=i)
            add(f"{unit}-240{i + 1:03d}", unit, "finished", finished, PROCEDURES[i % 4 == 3])
        # Not in the frame: still being processed, or finished in another year.
        add(f"{unit}-X1", unit, "processing", None)
        add(f"{unit}-X2", unit, "finished", dt.datetime(2023, 12, 31, 16, tzinfo=TZ))


@pytest.fixture
def survey_campaign(db: None) -> Any:
    make_dossiers()
    return make_campaign()


@pytest.fixture
def new_survey(survey_campaign: Any, cast: Any) -> Callable[..., Any]:
    """A SIPAS survey of the campaign's HL component (seed fixed), optionally drawn."""
    from cchc.web.surveys import planning, sampling

    def build(draw: bool = True) -> Any:
        survey = planning.create_survey(
            planning.SurveyPlan(survey_campaign, "HL", seed=2024), user=cast.organiser
        )
        if draw:
            sampling.draw(survey, user=cast.organiser)
            survey.refresh_from_db()
        return survey

    return build


def full_answers(level: int, questionnaire: Any) -> dict[str, str]:
    """Every question answered at ``level``."""
    return {q.id: str(level) for f in questionnaire.factors for q in f.questions}
