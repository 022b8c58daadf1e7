"""Survey components of a campaign: which they are, and entering their scores.

Scores are validated by the engine (``cchc.par.scores``: a form's rows through
``scores_from_rows``, a CSV/XLSX file through ``load_scores``) and written through
``cchc.web.campaigns.services.import_scores`` as the final (appraised) score: all or
nothing, every change kept in the history with the file or form as its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cchc.par.framework import Framework, Node
from cchc.par.scores import ScoresError, ScoreSheet, load_scores, scores_from_rows
from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.frameworks import engine_framework, scored_nodes
from cchc.web.campaigns.models import Campaign
from cchc.web.uploads import TABLES, UploadRejected, receive, table_limits
from cchc.web.workflow.models import SurveyComponent


def marked_survey_codes(framework: Framework) -> list[str]:
    """The scored nodes the framework marks ``survey: true`` (docs/field.md §3–4: the officials'
    survey and citizens' satisfaction): always survey components of its campaigns."""
    return framework.survey_codes()


def survey_codes(campaign: Campaign) -> list[str]:
    """The campaign's survey components, in framework order: those the framework marks, and
    those the organiser ticked (frameworks stored before the mark existed carry none)."""
    fw = engine_framework(campaign.framework)
    chosen = set(SurveyComponent.objects.filter(campaign=campaign).values_list("node_code", flat=True))
    chosen.update(marked_survey_codes(fw))
    return [n.code for n in scored_nodes(fw) if n.code in chosen]


def survey_nodes(campaign: Campaign) -> list[Node]:
    chosen = set(survey_codes(campaign))
    return [n for n in scored_nodes(engine_framework(campaign.framework)) if n.code in chosen]


def set_survey_codes(campaign: Campaign, codes: Iterable[str]) -> None:
    """Mark which scored nodes are survey components (unknown codes are refused); the
    framework's marked ones stay marked whatever is ticked."""
    fw = engine_framework(campaign.framework)
    valid = {n.code for n in scored_nodes(fw)}
    wanted = list(dict.fromkeys([*marked_survey_codes(fw), *codes]))
    unknown = [c for c in wanted if c not in valid]
    if unknown:
        raise services.CampaignError(f"Không có thành phần {', '.join(unknown)} trong bộ chỉ số.")
    SurveyComponent.objects.filter(campaign=campaign).exclude(node_code__in=wanted).delete()
    for code in wanted:
        SurveyComponent.objects.get_or_create(campaign=campaign, node_code=code)


def _check_allowed(campaign: Campaign, user: Any) -> None:
    if not permissions.can_manage_campaigns(user) or campaign.is_published:
        raise services.NotAllowed("Chỉ cơ quan tổ chức đánh giá nhập điểm điều tra, trước khi công bố.")


def _write(campaign: Campaign, sheet: ScoreSheet, user: Any) -> int:
    """Write a validated sheet: only survey columns, only the campaign's units."""
    allowed = set(survey_codes(campaign))
    rows: list[dict[str, object]] = []
    for unit in sheet.rows:
        other = [code for code in unit.values if code not in allowed]
        if other:
            raise services.CampaignError(
                f"{sheet.source}, đơn vị {unit.unit_code}, cột {other[0]}: không phải thành "
                "phần điều tra xã hội học của đợt đánh giá (chỉ nhận "
                f"{', '.join(sorted(allowed)) or 'không có'})."
            )
        rows.append({"unit_code": unit.unit_code, **unit.values})
    return services.import_scores(
        campaign, rows, field="appraised_score", user=user, source=sheet.source,
        reason=f"Điểm điều tra xã hội học ({sheet.source})",
    )


@transaction.atomic
def enter_survey_scores(
    campaign: Campaign, values: Mapping[str, Mapping[str, str]], *, user: Any
) -> int:
    """Scores typed in the organiser's form: {unit code: {component code: "6,67"}}."""
    _check_allowed(campaign, user)
    fw = engine_framework(campaign.framework)
    names = dict(campaign.units.values_list("unit__code", "unit__name"))
    # A cell left blank in the form is "not entered yet" (left alone), never "does not
    # apply" (typed KAD); a file, unlike the form, must fill every cell.
    rows = [
        {
            "unit_code": code,
            "unit_name": names.get(code, code),
            **{k: v for k, v in cells.items() if str(v).strip()},
        }
        for code, cells in values.items()
        if any(str(v).strip() for v in cells.values())
    ]
    try:
        sheet = scores_from_rows(rows, fw, "biểu mẫu nhập điểm điều tra")
    except ScoresError as exc:
        raise services.CampaignError(str(exc)) from None
    return _write(campaign, sheet, user)


# A survey file is a small table: below the general upload limit.
_MAX_SURVEY_FILE = 10 * 1024 * 1024


@transaction.atomic
def import_survey_file(campaign: Campaign, upload: UploadedFile, *, user: Any) -> int:
    """A CSV/XLSX file in the engine's wide form: unit_code, unit_name, one column per
    survey component. Errors name the file, the row and the column; nothing is half-written."""
    _check_allowed(campaign, user)
    try:
        received = receive(upload, TABLES, max_bytes=_MAX_SURVEY_FILE)
        sheet = load_scores(
            received.stream, engine_framework(campaign.framework),
            name=received.name, limits=table_limits(),
        )
    except (UploadRejected, ScoresError) as exc:
        raise services.CampaignError(str(exc)) from None
    return _write(campaign, sheet, user)
