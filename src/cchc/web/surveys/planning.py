"""Creating a survey for a campaign component, and the questionnaire it uses.

The questionnaire is the shipped one in force for the campaign's year
(``cchc.surveys.load_questionnaire``: latest version ≤ year), pinned by its version so a
later file does not change a running survey. K defaults to the component's maximum in the
framework (e.g. HL = 30 in Bình Định's district framework, seed README).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from cchc import fmt
from cchc.par.framework import Node
from cchc.surveys import Questionnaire, load_questionnaire, parse_period
from cchc.web.campaigns.frameworks import engine_framework, scored_nodes
from cchc.web.campaigns.models import Campaign
from cchc.web.surveys.access import can_manage_surveys
from cchc.web.surveys.errors import SurveyError
from cchc.web.surveys.models import Survey

# Kinds of questionnaire the web collects and converts into points (the SIPAS index × K).
# The officials' survey (mean score ÷ scale max × K) is collected by import in the CLI.
KINDS = {"sipas": "Sự hài lòng của người dân, tổ chức (SIPAS)"}


def questionnaire(survey: Survey) -> Questionnaire:
    """The pinned questionnaire of a survey."""
    return load_questionnaire(survey.kind, survey.questionnaire_version)


def components(campaign: Campaign) -> list[Node]:
    """The campaign's scored nodes a survey can feed (every leaf of its framework)."""
    return scored_nodes(engine_framework(campaign.framework))


@dataclass(frozen=True)
class SurveyPlan:
    campaign: Campaign
    component_code: str
    kind: str = "sipas"
    max_points: Decimal | None = None  # None: the component's maximum
    period: str = ""  # "" = the campaign's year
    margin: Decimal = Decimal("0.05")
    seed: int | None = None  # None: a random seed, kept so the draw can be repeated
    reserve_ratio: Decimal = Decimal("0.5")  # ASSUMED default (docs/surveys.md)
    by_procedure: bool = False
    name: str = ""


@transaction.atomic
def create_survey(plan: SurveyPlan, *, user: Any) -> Survey:
    """Check the plan against the campaign's framework and store the survey (draft).

    ``user=None`` is the system itself (the demo loader).
    """
    if user is not None and not can_manage_surveys(user):
        raise SurveyError("Chỉ cơ quan tổ chức đánh giá được tạo cuộc khảo sát.")
    campaign = plan.campaign
    if campaign.is_published:
        raise SurveyError("Đợt đánh giá đã công bố: không tạo thêm khảo sát.")
    node = next((n for n in components(campaign) if n.code == plan.component_code), None)
    if node is None:
        raise SurveyError(f"Thành phần {plan.component_code!r} không có trong bộ chỉ số của đợt.")
    if plan.kind not in KINDS:
        raise SurveyError(f"Loại phiếu {plan.kind!r} không được hỗ trợ.")
    try:
        form = load_questionnaire(plan.kind, campaign.year)
    except LookupError as exc:
        raise SurveyError(str(exc)) from None
    k = plan.max_points if plan.max_points is not None else Decimal(str(node.max))
    if k <= 0 or k > Decimal(str(node.max)):
        raise SurveyError(
            f"Điểm tối đa K phải lớn hơn 0 và không quá {fmt.format_number(node.max, trim=True)}"
            f" (điểm tối đa của thành phần {node.code})."
        )
    period = plan.period.strip() or str(campaign.year)
    try:
        parse_period(period)
    except ValueError as exc:
        raise SurveyError(f"Kỳ khảo sát: {exc}") from None
    if not Decimal(0) < plan.margin < Decimal(1):
        raise SurveyError("Sai số e phải lớn hơn 0 và nhỏ hơn 1 (ví dụ 0,05).")
    if plan.reserve_ratio < 0:
        raise SurveyError("Tỷ lệ dự phòng không được âm.")
    return Survey.objects.create(
        name=plan.name.strip() or f"Khảo sát {node.name.lower()} — {campaign.name}",
        campaign=campaign,
        component_code=node.code,
        kind=plan.kind,
        questionnaire_version=form.version,
        max_points=k,
        period=parse_period(period).label,
        margin=plan.margin,
        seed=plan.seed if plan.seed is not None else secrets.randbelow(1_000_000),
        reserve_ratio=plan.reserve_ratio,
        by_procedure=plan.by_procedure,
        created_by=user,
    )
