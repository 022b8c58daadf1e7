"""Removing and replacing a criterion's evidence file before the unit submits.

Only while the unit may still change the criterion (``permissions.can_edit_criterion``: its
own officer, the self-assessment phase, not submitted, not locked); after submission the
evidence is part of what was filed and stays. Each removal is recorded in the criterion's
history (who, when, which file: its name, size and upload date). The stored file is deleted
only once the transaction has committed, so a rolled-back removal keeps its file.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cchc import fmt
from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.models import CriterionScore, Evidence, ScoreChange


def _described(evidence: Evidence) -> str:
    """"bien-ban.pdf (12.345 byte, tải lên 05/01/2023)": enough to tell two files apart."""
    uploaded = fmt.format_date(timezone.localdate(evidence.uploaded_at)) if evidence.uploaded_at else ""
    return f"{evidence.original_name} ({fmt.format_int(evidence.size)} byte, tải lên {uploaded})"


@transaction.atomic
def remove_evidence(evidence: Evidence, *, user: Any, reason: str = "") -> None:
    """Delete an evidence file of a criterion the unit has not submitted yet."""
    score = CriterionScore.objects.select_for_update().get(pk=evidence.criterion_score_id)
    score.campaign_unit = evidence.criterion_score.campaign_unit
    if not permissions.can_edit_criterion(user, score):
        raise services.NotAllowed(
            "Không gỡ được tài liệu kiểm chứng: đơn vị đã nộp bản tự đánh giá, hoặc không "
            "còn trong giai đoạn tự đánh giá."
        )
    described = _described(evidence)
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    ScoreChange.objects.create(
        criterion_score=score,
        user=user if getattr(user, "is_authenticated", False) else None,
        field="evidence_removed",
        old=described,
        new="",
        reason=reason,
    )
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def replace_evidence(evidence: Evidence, upload: UploadedFile, *, user: Any) -> Evidence:
    """Upload ``upload`` in place of ``evidence``: both or neither (a refused file keeps the
    old one)."""
    score = evidence.criterion_score
    added = services.add_evidence(score, upload, user=user)
    remove_evidence(evidence, user=user, reason=f"Thay bằng {added.original_name}")
    return added
