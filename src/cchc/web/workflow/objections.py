"""Answering an objection, and changing the appraised score with it.

During the objection phase ``services.appraise`` no longer applies (its permission is the
appraisal phase); an answer may still change the score (docs/field.md §3: units object, the
council answers). The change keeps the same rules: a reason, optimistic locking, history.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from cchc.par.rules import Figures, InputError, parse_figures
from cchc.par.values import NotApplicable
from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.models import Objection

_LABEL = "Điểm sau trả lời kiến nghị"
_FIGURES_LABEL = "Số liệu sau trả lời kiến nghị"


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
    value, the answer being the reason (required, like any appraisal change). For a
    criterion scored by a formula, ``new_score`` is the raw figure as a scores file writes
    it ("5", "45/50", "87,5%") or KAD, and the points are the formula's."""
    score = objection.criterion_score
    if new_score.strip():
        if not permissions.can_answer_objection(user, score.campaign_unit.campaign):
            raise services.NotAllowed("Bạn không được trả lời kiến nghị này.")
        reason = services.require_reason(
            text, "Nội dung trả lời: không được để trống (là lý do điều chỉnh điểm)."
        )
        node = services.node_of(score)
        figures: Figures | None = None
        value: Decimal | NotApplicable | None
        if node.rule is not None and new_score.strip().upper() != "KAD":
            try:
                figures = parse_figures(new_score, node.rule)
            except InputError as exc:
                raise services.CampaignError(f"{_FIGURES_LABEL}: {exc}") from None
            assert figures is not None  # new_score is not blank
            value, _ = services.points_from_figures(node, figures, _FIGURES_LABEL)
            new_score = ""
        else:
            value = services.parse_value(new_score, node, _LABEL)
        figures_moved = figures is not None and figures.as_dict() != score.appraised_figures
        if value is not None and (value != score.final_score or figures_moved):
            services.set_appraised(
                score,
                new_score,
                user=user,
                reason=reason,
                expected_version=expected_version,
                label=_LABEL,
                figures=figures,
                figures_label=_FIGURES_LABEL,
            )
    return services.answer_objection(objection, text, user=user)
