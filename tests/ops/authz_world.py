"""The world of the authorisation matrix: one user per role and objects belonging to unit A,
built with the apps' own services (imported by test_authz_matrix.py; holds no tests).

Unit A / B are Thị xã Hoài Nhơn (HNH) / An Nhơn (ANH) for CCHC officers and campaigns, and
Phường Bồng Sơn (BSO) / Tam Quan (TQU) for one-stop officers and dossiers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.demo import data_path

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ROLES = (
    "administrator",
    "organiser",
    "unit_officer_a",
    "unit_officer_b",
    "appraiser",
    "leader",
    "onestop_a",
    "onestop_b",
    "public",
)
PDF = b"%PDF-1.7\n%matrix\n"
SURVEY_UNITS = ("BSO", "HDU", "HHU")


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # role → raw API token
    values: dict[str, Any] = field(default_factory=dict)  # URL argument → value
    # One well-formed body for every form, so a POST reaches the permission check instead of
    # stopping at a missing field (the forms share these names).
    form: dict[str, str] = field(default_factory=dict)


def _user(username: str, role: str, unit: str | None = None, **extra: Any) -> Any:
    from cchc.web.accounts.models import User
    from cchc.web.units.models import Unit

    user = User(username=username, role=role, unit=Unit.objects.get(code=unit) if unit else None)
    user.__dict__.update(extra)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def _survey(organiser: Any) -> tuple[Any, Any]:
    """A SIPAS survey over three wards' finished dossiers of 2024, drawn (respondents exist)."""
    from cchc.web.campaigns import services
    from cchc.web.campaigns.frameworks import store_framework
    from cchc.web.campaigns.models import Status
    from cchc.web.desk.models import Dossier
    from cchc.web.surveys import planning, sampling
    from cchc.web.units.models import Unit

    for code in SURVEY_UNITS:
        unit = Unit.objects.get(code=code)
        for i in range(4):
            finished = dt.datetime(2024, 3, 1, 9, tzinfo=TZ) + dt.timedelta(days=i)
            Dossier.objects.create(
                code=f"{code}-MT{i}", unit=unit, procedure_code="1.000001", channel="counter",
                status="finished", received_at=finished - dt.timedelta(days=5),
                finished_at=finished,
            )
    text = data_path("framework_commune_2022.yaml").read_text(encoding="utf-8")
    framework = store_framework(text.replace("year: 2022", "year: 2024"), "matrix.yaml")
    campaign = services.create_campaign(
        framework, Unit.objects.filter(code__in=SURVEY_UNITS), user=None, illustrative=True
    )
    campaign.status = Status.APPRAISAL
    campaign.save(update_fields=["status"])
    survey = planning.create_survey(planning.SurveyPlan(campaign, "HL", seed=2024), user=organiser)
    sampling.draw(survey, user=organiser)
    survey.refresh_from_db()
    return survey, survey.respondents.order_by("pk").first()


def build() -> World:
    """Create the world in the current database (call inside a transaction to roll back)."""
    from cchc.web import demo
    from cchc.web.accounts.models import ApiToken
    from cchc.web.campaigns import services
    from cchc.web.campaigns.models import Campaign, CriterionScore, Framework, Status
    from cchc.web.desk.demo import load_catalogue
    from cchc.web.desk.models import Procedure
    from cchc.web.desk.services import receive
    from cchc.web.units.models import Unit
    from cchc.web.workflow.campaigns import open_campaign

    ctx = demo.DemoContext()
    demo.load_units(ctx)
    demo.load_campaigns(ctx)
    load_catalogue()

    w = World()
    w.users = {
        "administrator": _user("mt.quantri", "administrator", is_staff=True, is_superuser=True),
        "organiser": _user("mt.noivu", "organiser"),
        "unit_officer_a": _user("mt.canbo.a", "unit_officer", "HNH"),
        "unit_officer_b": _user("mt.canbo.b", "unit_officer", "ANH"),
        "appraiser": _user("mt.thamdinh", "appraiser"),
        "leader": _user("mt.lanhdao", "leader", "BDI"),  # leads the body above units A and B
        "onestop_a": _user("mt.motcua.a", "onestop_officer", "BSO"),
        "onestop_b": _user("mt.motcua.b", "onestop_officer", "TQU"),
    }
    for role, user in w.users.items():
        w.tokens[role] = ApiToken.issue(user, "ma trận")[1]

    # A campaign of units A and B, past self-assessment: unit A has evidence and an objection.
    framework = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = open_campaign(
        framework, Unit.objects.filter(code__in=["HNH", "ANH"]), user=w.users["organiser"],
        name="Ma trận phân quyền", survey=["DT", "HL"],
    )
    services.change_phase(campaign, Status.SELF_ASSESSMENT, user=w.users["organiser"])
    score = CriterionScore.objects.get(
        campaign_unit__campaign=campaign, campaign_unit__unit__code="HNH", node_code="KQ"
    )
    evidence = services.add_evidence(
        score, SimpleUploadedFile("minh-chung.pdf", PDF), user=w.users["unit_officer_a"]
    )
    services.change_phase(campaign, Status.APPRAISAL, user=w.users["organiser"])
    services.change_phase(campaign, Status.OBJECTIONS, user=w.users["organiser"])
    score.refresh_from_db()
    score.campaign_unit.campaign.refresh_from_db()
    objection = services.raise_objection(score, "Đề nghị xem lại.", user=w.users["unit_officer_a"])

    published = Campaign.objects.filter(status=Status.PUBLISHED, level="district").order_by(
        "-year"
    )[0]
    dossier = receive(
        Unit.objects.get(code="BSO"), Procedure.objects.order_by("code")[0],
        user=w.users["onestop_a"], applicant_name="Nguyễn Văn Ma Trận",
        applicant_phone="0912345678",
    )
    survey, respondent = _survey(w.users["organiser"])
    score.refresh_from_db()
    w.form = {
        "version": str(score.version), "score": "1", "reason": "Kiểm tra phân quyền",
        "explanation": "Kiểm tra", "text": "Kiểm tra", "answer": "Kiểm tra",
        "status": "appraisal", "name": "Kiểm tra", "note": "Kiểm tra",
        # The rating key of the receipt: a well-formed rating carries it (no role needed).
        "k": dossier.rating_key,
    }
    w.values = {
        "campaign": campaign.pk,
        "published": published.pk,
        "published_year": published.year,
        "unit": "HNH",
        "published_unit": published.units.order_by("unit__code")[0].unit.code,
        "node": "KQ",
        "evidence_id": evidence.pk,
        "objection_id": objection.pk,
        "dossier": dossier.code,
        "survey": survey.pk,
        "survey_unit": SURVEY_UNITS[0],
        "rid": respondent.pk,
    }
    return w
