"""Every write to a campaign goes through here: checked, atomic, and recorded in history.

Views (the workflow pages, the demo loader, imports) call these functions; each one checks
the permission on the server again (``cchc.web.permissions``), runs in one transaction, and
writes a ``ScoreChange`` row for every field it changes. Score updates use the ``version``
column (optimistic locking): a stale form raises ``StaleScore`` instead of overwriting
someone else's change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc import fmt
from cchc.web import permissions
from cchc.web.campaigns.frameworks import engine_framework, scored_nodes
from cchc.web.campaigns.models import (
    STATUS_ORDER,
    Campaign,
    CampaignUnit,
    CriterionScore,
    Evidence,
    Framework,
    Objection,
    ScoreChange,
    Status,
)
from cchc.web.campaigns.uploads import check_upload, read_head
from cchc.web.units.models import Unit


class CampaignError(ValueError):
    """A change that the rules refuse; the message (Vietnamese) is shown to the user."""


class NotAllowed(CampaignError):
    """The user may not make this change (role, unit, phase or lock)."""


class StaleScore(CampaignError):
    """The score changed since the form was opened (optimistic locking)."""


def _text(value: Decimal | None) -> str:
    return "" if value is None else fmt.format_number(float(value))


def _score(value: object, node_max: float, field: str) -> Decimal | None:
    """A score from a form or file: blank → None; otherwise a number in 0..max."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    raw = float(value) if isinstance(value, Decimal) else value
    if not isinstance(raw, str | int | float):
        raise CampaignError(f"{field}: {value!r} không phải là số")
    try:
        number = Decimal(str(fmt.parse_number(raw)))
    except (fmt.ParseNumberError, InvalidOperation) as exc:
        raise CampaignError(f"{field}: {value!r} không phải là số") from exc
    if number < 0 or number > Decimal(str(node_max)):
        raise CampaignError(
            f"{field}: điểm {_text(number)} phải nằm trong 0..{fmt.format_number(node_max, 2, trim=True)}"
        )
    return number.quantize(Decimal("0.01"))


def _node_max(score: CriterionScore) -> float:
    fw = engine_framework(score.campaign_unit.campaign.framework)
    return fw.node(score.node_code).max


def _record(
    score: CriterionScore, user: Any, field: str, old: str, new: str, reason: str = ""
) -> None:
    ScoreChange.objects.create(
        criterion_score=score,
        user=user if getattr(user, "is_authenticated", False) else None,
        field=field,
        old=old,
        new=new,
        reason=reason,
    )


def _bump(score: CriterionScore, expected_version: int | None, **changes: Any) -> None:
    """Write ``changes`` only if nobody else wrote since ``expected_version``."""
    version = score.version if expected_version is None else expected_version
    updated = CriterionScore.objects.filter(pk=score.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise StaleScore(
            "Điểm của tiêu chí này vừa được người khác cập nhật; vui lòng tải lại trang."
        )
    score.refresh_from_db()


# --- campaigns -------------------------------------------------------------------------


@transaction.atomic
def create_campaign(
    framework: Framework,
    units: Iterable[Unit],
    *,
    user: Any,
    name: str = "",
    phases: Mapping[str, dt.date | None] | None = None,
    illustrative: bool = False,
) -> Campaign:
    """A campaign for ``framework``'s level and year over ``units``, with an empty score row
    for every scored node of every unit."""
    if user is not None and not permissions.can_manage_campaigns(user):
        raise NotAllowed("Chỉ cơ quan tổ chức đánh giá được tạo đợt đánh giá.")
    fw = engine_framework(framework)
    unit_list = list(units)
    if not unit_list:
        raise CampaignError("Đợt đánh giá phải có ít nhất một đơn vị.")
    wrong = [u.code for u in unit_list if u.level != fw.level]
    if wrong:
        raise CampaignError(f"Đơn vị {', '.join(wrong)} không thuộc {fw.level_label}.")
    campaign = Campaign.objects.create(
        name=name or f"{fw.name} năm {fw.year}",
        framework=framework,
        level=fw.level,
        year=fw.year,
        illustrative=illustrative,
        **dict(phases or {}),
    )
    nodes = scored_nodes(fw)
    for unit in unit_list:
        cu = CampaignUnit.objects.create(campaign=campaign, unit=unit)
        CriterionScore.objects.bulk_create(
            CriterionScore(campaign_unit=cu, node_code=node.code) for node in nodes
        )
    return campaign


@transaction.atomic
def change_phase(campaign: Campaign, status: str, *, user: Any) -> Campaign:
    """Move a campaign to another phase (forward or back, never out of "published")."""
    if not permissions.can_change_phase(user, campaign):
        raise NotAllowed("Bạn không được chuyển giai đoạn của đợt đánh giá này.")
    if status not in STATUS_ORDER or status == Status.PUBLISHED:
        raise CampaignError(f"Giai đoạn {status!r} không hợp lệ (công bố bằng chức năng riêng).")
    campaign.status = status
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def publish(campaign: Campaign, *, user: Any) -> Campaign:
    """Publish: final scores (appraised, else self) become the public result.

    ``user=None`` is the system itself (the demo loader, a command line import).
    """
    if user is not None and not permissions.can_publish(user, campaign):
        raise NotAllowed("Bạn không được công bố kết quả đợt đánh giá này.")
    missing = CriterionScore.objects.filter(
        campaign_unit__campaign=campaign,
        self_score__isnull=True,
        appraised_score__isnull=True,
        not_applicable=False,
    ).count()
    if missing:
        raise CampaignError(f"Còn {fmt.format_int(missing)} tiêu chí chưa có điểm; chưa thể công bố.")
    CriterionScore.objects.filter(campaign_unit__campaign=campaign).update(
        self_locked=True, appraisal_locked=True
    )
    campaign.status = Status.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at"])
    return campaign


# --- self-assessment -----------------------------------------------------------------


@transaction.atomic
def set_self_score(
    score: CriterionScore,
    value: object,
    *,
    user: Any,
    explanation: str | None = None,
    expected_version: int | None = None,
) -> CriterionScore:
    """The unit officer's own score (and explanation) for one criterion."""
    if not permissions.can_edit_criterion(user, score):
        raise NotAllowed("Bạn không được sửa điểm tự đánh giá của tiêu chí này.")
    new = _score(value, _node_max(score), "Điểm tự đánh giá")
    old = score.self_score
    changes: dict[str, Any] = {}
    if new != old:
        changes["self_score"] = new
    if explanation is not None and explanation != score.explanation:
        changes["explanation"] = explanation
    if not changes:
        return score
    old_explanation = score.explanation
    _bump(score, expected_version, **changes)
    if "self_score" in changes:
        _record(score, user, "self_score", _text(old), _text(new))
    if "explanation" in changes:
        _record(score, user, "explanation", old_explanation, score.explanation)
    return score


@transaction.atomic
def add_evidence(score: CriterionScore, upload: UploadedFile, *, user: Any) -> Evidence:
    """Attach a checked evidence file (size, type, content signature, safe name)."""
    if not permissions.can_edit_criterion(user, score):
        raise NotAllowed("Bạn không được thêm tài liệu kiểm chứng cho tiêu chí này.")
    checked = check_upload(
        upload.name or "",
        upload.size or 0,
        read_head(upload.file),
        max_bytes=settings.CCHC_UPLOAD_MAX_BYTES,
    )
    evidence = Evidence(
        criterion_score=score,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    evidence.file.save(checked.stored_name, upload, save=False)
    # If the row fails, the file must not stay behind as an orphan.
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    _record(score, user, "evidence", "", checked.original_name)
    return evidence


@transaction.atomic
def submit_unit(campaign_unit: CampaignUnit, *, user: Any) -> CampaignUnit:
    """Submit the self-assessment: every criterion scored, then all locked."""
    if not permissions.can_edit_unit_scores(user, campaign_unit):
        raise NotAllowed("Bạn không được nộp bản tự đánh giá của đơn vị này.")
    blank = list(
        campaign_unit.scores.filter(self_score__isnull=True, not_applicable=False).values_list(
            "node_code", flat=True
        )
    )
    if blank:
        raise CampaignError(f"Chưa chấm điểm tiêu chí: {', '.join(blank)}.")
    campaign_unit.scores.update(self_locked=True)
    campaign_unit.submitted_at = timezone.now()
    campaign_unit.submitted_by = user
    campaign_unit.save(update_fields=["submitted_at", "submitted_by"])
    for score in campaign_unit.scores.all():
        _record(score, user, "submitted", "", "Đã nộp")
    return campaign_unit


# --- appraisal and objections --------------------------------------------------------


@transaction.atomic
def appraise(
    score: CriterionScore,
    value: object,
    *,
    user: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> CriterionScore:
    """The appraised score; a reason is required whenever it differs from the self score."""
    if not permissions.can_appraise_criterion(user, score):
        raise NotAllowed("Bạn không được thẩm định tiêu chí này.")
    new = _score(value, _node_max(score), "Điểm thẩm định")
    if new is None:
        raise CampaignError("Điểm thẩm định: chưa nhập điểm.")
    reason = reason.strip()
    if new != score.self_score and not reason:
        raise CampaignError("Điểm thẩm định khác điểm tự đánh giá: phải ghi lý do điều chỉnh.")
    old = score.appraised_score
    if new == old and reason == score.appraisal_reason:
        return score
    _bump(score, expected_version, appraised_score=new, appraisal_reason=reason)
    _record(score, user, "appraised_score", _text(old), _text(new), reason)
    return score


@transaction.atomic
def raise_objection(score: CriterionScore, text: str, *, user: Any) -> Objection:
    if not permissions.can_object(user, score.campaign_unit):
        raise NotAllowed("Bạn không được gửi kiến nghị cho tiêu chí này.")
    if not text.strip():
        raise CampaignError("Nội dung kiến nghị: không được để trống.")
    objection = Objection.objects.create(criterion_score=score, text=text.strip(), raised_by=user)
    _record(score, user, "objection", "", objection.text)
    return objection


@transaction.atomic
def answer_objection(objection: Objection, answer: str, *, user: Any) -> Objection:
    score = objection.criterion_score
    if not permissions.can_answer_objection(user, score.campaign_unit.campaign):
        raise NotAllowed("Bạn không được trả lời kiến nghị này.")
    if not answer.strip():
        raise CampaignError("Nội dung trả lời: không được để trống.")
    old = objection.answer
    objection.answer = answer.strip()
    objection.answered_by = user
    objection.answered_at = timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    _record(score, user, "objection_answer", old, objection.answer)
    return objection


# --- bulk import (demo data, survey components, score sheets) --------------------------


@transaction.atomic
def import_scores(
    campaign: Campaign,
    rows: Iterable[Mapping[str, object]],
    *,
    field: str,
    user: Any = None,
    source: str = "",
    reason: str = "",
) -> int:
    """Set ``self_score`` or ``appraised_score`` from rows {"unit_code": .., <node code>: value}.

    All or nothing: any bad row (unknown unit, unknown node, value out of range) aborts the
    whole import with a message naming the source, the row and the column. Used by the
    demo loader and for survey components computed outside the app. The caller checks the
    permission (the organiser's import page, or the command line).
    """
    if field not in ("self_score", "appraised_score"):
        raise ValueError(f"field must be self_score or appraised_score, not {field!r}")
    fw = engine_framework(campaign.framework)
    nodes = {n.code: n for n in scored_nodes(fw)}
    units = {cu.unit.code: cu for cu in campaign.units.select_related("unit")}
    written = 0
    for i, row in enumerate(rows, start=2):  # row 1 is the header in a file
        where = f"{source or 'dữ liệu'}, dòng {i}"
        code = str(row.get("unit_code", "")).strip()
        if code not in units:
            raise CampaignError(f"{where}, cột unit_code: đơn vị {code!r} không có trong đợt đánh giá")
        for column, value in row.items():
            if column in ("unit_code", "unit_name"):
                continue
            if column not in nodes:
                raise CampaignError(f"{where}, cột {column}: không phải tiêu chí được chấm điểm")
            try:
                new = _score(value, nodes[column].max, column)
            except CampaignError as exc:
                raise CampaignError(f"{where}, cột {column}: {exc}") from None
            score = CriterionScore.objects.get(campaign_unit=units[code], node_code=column)
            old = getattr(score, field)
            if new == old:
                continue
            _bump(score, None, **{field: new})
            _record(score, user, field, _text(old), _text(new), reason or source)
            written += 1
    return written
