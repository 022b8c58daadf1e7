"""Answering an objection, and changing the appraised score with it.

During the objection phase ``services.appraise`` no longer applies (its permission is the
appraisal phase); an answer may still change the score (docs/field.md §3: units object, the
council answers). The change keeps the same rules: a reason, optimistic locking, history.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.models import Objection


@transaction.atomic
def answer(
    objection: Objection,
    text: str,
    *,
    user: Any,
    new_score: str = "",
    expected_version: int | None = None,
) -> Objection:
    """Answer an objection; with ``new_score`` (a number or KAD) also change the appraised
    value, the answer being the reason (required, like any appraisal change)."""
    score = objection.criterion_score
    if new_score.strip():
        if not permissions.can_answer_objection(user, score.campaign_unit.campaign):
            raise services.NotAllowed("Bạn không được trả lời kiến nghị này.")
        reason = services.require_reason(
            text, "Nội dung trả lời: không được để trống (là lý do điều chỉnh điểm)."
        )
        value = services.parse_value(new_score, services.node_of(score), "Điểm sau trả lời kiến nghị")
        if value is not None and value != score.final_score:
            services.set_appraised(
                score,
                new_score,
                user=user,
                reason=reason,
                expected_version=expected_version,
                label="Điểm sau trả lời kiến nghị",
            )
    return services.answer_objection(objection, text, user=user)
