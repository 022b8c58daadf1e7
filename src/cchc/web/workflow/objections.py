"""Answering an objection, and changing the appraised score with it.

During the objection phase ``services.appraise`` no longer applies (its permission is the
appraisal phase); an answer may still change the score (docs/field.md §3: units object, the
council answers). The change keeps the same rules: a reason, optimistic locking, history.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc import fmt
from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.frameworks import engine_framework
from cchc.web.campaigns.models import CriterionScore, Objection, ScoreChange


def _text(value: Decimal | None) -> str:
    return "" if value is None else fmt.format_number(float(value))


def _parse(value: object, score: CriterionScore) -> Decimal:
    node_max = engine_framework(score.campaign_unit.campaign.framework).node(score.node_code).max
    if not isinstance(value, str | int | float):
        raise services.CampaignError("Điểm sau trả lời kiến nghị: không phải là số.")
    try:
        number = Decimal(str(fmt.parse_number(value)))
    except fmt.ParseNumberError:
        raise services.CampaignError(f"Điểm sau trả lời kiến nghị: {value!r} không phải là số.") from None
    if number < 0 or number > Decimal(str(node_max)):
        raise services.CampaignError(
            f"Điểm sau trả lời kiến nghị: {_text(number)} phải nằm trong "
            f"0..{fmt.format_number(node_max, 2, trim=True)}."
        )
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def answer(
    objection: Objection,
    text: str,
    *,
    user: Any,
    new_score: str = "",
    expected_version: int | None = None,
) -> Objection:
    """Answer an objection; with ``new_score`` also change the appraised score, the answer
    being the reason (required, like any appraisal change)."""
    score = objection.criterion_score
    if new_score.strip():
        if not permissions.can_answer_objection(user, score.campaign_unit.campaign):
            raise services.NotAllowed("Bạn không được trả lời kiến nghị này.")
        if not text.strip():
            raise services.CampaignError("Nội dung trả lời: không được để trống (là lý do điều chỉnh điểm).")
        value = _parse(new_score, score)
        old = score.appraised_score if score.appraised_score is not None else score.self_score
        if value != old:
            version = score.version if expected_version is None else expected_version
            updated = CriterionScore.objects.filter(pk=score.pk, version=version).update(
                appraised_score=value,
                appraisal_reason=text.strip(),
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            if updated != 1:
                raise services.StaleScore(
                    "Điểm của tiêu chí này vừa được người khác cập nhật; vui lòng tải lại trang."
                )
            ScoreChange.objects.create(
                criterion_score=score, user=user, field="appraised_score",
                old=_text(old), new=_text(value), reason=text.strip(),
            )
    return services.answer_objection(objection, text, user=user)
