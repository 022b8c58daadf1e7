"""Results of a survey and their publication into the campaign.

Indices, Wilson intervals, overlap flags, points, the chart and the .xlsx export are the
core's (``cchc.surveys``); this module feeds it the stored answers. Publishing writes
K × index (rounded half up to 2 decimals, as scores are kept) into the campaign's component
as the final (appraised) score through ``cchc.web.campaigns.services.import_scores``, so
every change has its history row: who, when, old, new, reason "kết quả khảo sát".
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cchc import fmt
from cchc.surveys import (
    Answer,
    Comparison,
    SurveyResult,
    UnitPoints,
    compare_units,
    compute_index,
    sipas_points,
)
from cchc.surveys.disclosure import split_by_respondents
from cchc.web.campaigns import services
from cchc.web.surveys.access import can_manage_surveys
from cchc.web.surveys.errors import SurveyError
from cchc.web.surveys.models import Answer as AnswerRow
from cchc.web.surveys.models import Survey, SurveyStatus
from cchc.web.surveys.planning import questionnaire

PUBLISH_REASON = "kết quả khảo sát"


def survey_result(survey: Survey) -> SurveyResult:
    """The core's index of every stored answer (all channels together)."""
    rows = (
        AnswerRow.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("respondent_key", "unit_code", "factor", "question", "value")
    )
    answers = (Answer(*row) for row in rows.iterator(chunk_size=5000))
    return compute_index(answers, satisfied_min=questionnaire(survey).scale.satisfied_min)


def min_respondents() -> int:
    """The deployment's fewest respondents for a unit's figures to be published."""
    return int(getattr(settings, "CCHC_SURVEY_MIN_RESPONDENTS", 10))


def visible_result(survey: Survey, user: Any) -> tuple[SurveyResult, list[str]]:
    """The result a user may read, and the units withheld from it.

    Organisers and administrators see every unit (they run the survey); everyone else, and
    every published page, only the units with at least ``min_respondents()`` respondents
    (``cchc.surveys.disclosure``): the others are named, without their figures.
    """
    result = survey_result(survey)
    shown, withheld = split_by_respondents(result, min_respondents())
    if can_manage_surveys(user):
        return result, withheld
    return shown, withheld


def points(survey: Survey, result: SurveyResult) -> list[UnitPoints]:
    """K × index per unit with answers (unrounded)."""
    return sipas_points(result, float(survey.max_points))


def comparisons(result: SurveyResult) -> list[Comparison]:
    return compare_units(result)


def chart_svg(result: SurveyResult) -> str:
    """The core's unit chart (bars with 95 % intervals) as inline SVG; "" without data."""
    from cchc.surveys.chart import save_chart, unit_chart

    if not any(u.index is not None for u in result.units):
        return ""
    with tempfile.TemporaryDirectory(prefix="cchc-survey-chart-") as folder:
        path = save_chart(unit_chart(result), Path(folder) / "don-vi.svg")
        text = path.read_text(encoding="utf-8")
    # Drop the XML prolog, if any: the SVG is embedded in an HTML page.
    return text[text.find("<svg") :]


def export_bytes(survey: Survey, result: SurveyResult) -> bytes:
    """The core's .xlsx export (sheets Đơn vị, Yếu tố, Câu hỏi)."""
    from cchc.surveys.export import export_xlsx

    note = "Số liệu minh họa" if survey.campaign.illustrative else ""
    with tempfile.TemporaryDirectory(prefix="cchc-survey-xlsx-") as folder:
        path = export_xlsx(result, Path(folder) / "ket-qua-khao-sat.xlsx", note=note)
        return path.read_bytes()


@transaction.atomic
def close(survey: Survey, *, user: Any) -> Survey:
    """Stop collecting: every link expires (paper forms and imports are still accepted)."""
    if not can_manage_surveys(user):
        raise SurveyError("Chỉ cơ quan tổ chức đánh giá được kết thúc thu phiếu.")
    if survey.status != SurveyStatus.OPEN:
        raise SurveyError("Cuộc khảo sát không ở giai đoạn thu phiếu.")
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    return survey


@dataclass(frozen=True)
class Publication:
    written: int  # scores that changed
    units: list[tuple[str, float]]  # (unit code, points written)
    without_data: list[str]  # campaign units with no valid answer: nothing written
    too_few: list[str] = field(default_factory=list)  # below the minimum: nothing written


@transaction.atomic
def publish(survey: Survey, *, user: Any) -> Publication:
    """Write K × index of each unit into the campaign's component (final score, history kept)."""
    if not can_manage_surveys(user):
        raise SurveyError("Chỉ cơ quan tổ chức đánh giá được công bố kết quả khảo sát.")
    survey = Survey.objects.select_for_update().select_related("campaign").get(pk=survey.pk)
    if survey.status not in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
        raise SurveyError("Chỉ công bố khảo sát đã chọn mẫu và chưa công bố.")
    if survey.campaign.is_published:
        raise SurveyError("Đợt đánh giá đã công bố: không ghi thêm điểm khảo sát.")
    minimum = min_respondents()
    result, too_few = split_by_respondents(survey_result(survey), minimum)
    with_points = [p for p in points(survey, result) if p.points is not None]
    if not with_points:
        if too_few:
            raise SurveyError(
                f"Chưa đơn vị nào có đủ {minimum} người trả lời: chưa thể công bố "
                f"(chưa đủ: {', '.join(too_few)})."
            )
        raise SurveyError("Chưa có câu trả lời hợp lệ nào: chưa thể công bố.")
    written_units = [(p.unit_code, fmt.round_half_up(p.points or 0.0, 2)) for p in with_points]
    rows = [{"unit_code": code, survey.component_code: value} for code, value in written_units]
    try:
        written = services.import_scores(
            survey.campaign,
            rows,
            field="appraised_score",
            user=user,
            source=survey.name,
            reason=PUBLISH_REASON,
        )
    except services.CampaignError as exc:
        raise SurveyError(str(exc)) from None
    units_with = {code for code, _ in written_units}
    without = [
        cu.unit.code
        for cu in survey.campaign.units.select_related("unit")
        if cu.unit.code not in units_with and cu.unit.code not in too_few
    ]
    survey.status = SurveyStatus.PUBLISHED
    survey.published_at = timezone.now()
    survey.published_by = user
    if survey.closed_at is None:
        survey.closed_at = survey.published_at
    survey.save(update_fields=["status", "published_at", "published_by", "closed_at"])
    return Publication(written, written_units, without, too_few)
