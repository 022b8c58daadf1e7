"""A criterion's history as people read it: who, when, what, old → new, why."""

from __future__ import annotations

from typing import Any

from cchc.web.campaigns.models import CriterionScore

# ScoreChange.field → what the history column says.
FIELD_LABELS: dict[str, str] = {
    "self_score": "Điểm tự đánh giá",
    "self_figures": "Số liệu tự đánh giá",
    "explanation": "Giải trình",
    "evidence": "Tài liệu kiểm chứng",
    "evidence_removed": "Gỡ tài liệu kiểm chứng",
    "submitted": "Nộp bản tự đánh giá",
    "appraised_score": "Điểm thẩm định",
    "appraised_figures": "Số liệu thẩm định",
    "objection": "Kiến nghị",
    "objection_answer": "Trả lời kiến nghị",
}


def history_rows(score: CriterionScore) -> list[dict[str, Any]]:
    """Every recorded change of the criterion, oldest first."""
    rows = []
    for change in score.history.select_related("user"):
        user = change.user
        rows.append(
            {
                "at": change.at,
                "who": (user.get_full_name() or user.username) if user else "Hệ thống",
                "field": change.field,
                "label": FIELD_LABELS.get(change.field, change.field),
                "old": change.old,
                "new": change.new,
                "reason": change.reason,
            }
        )
    return rows
