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
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cchc import fmt
from cchc.par.approval import may_publish, publish_refusal
from cchc.par.framework import Node
from cchc.par.results import Results
from cchc.par.rules import FigureError, Figures, read_figures, rule_points
from cchc.par.scores import ScoresError
from cchc.par.values import NotApplicable, ScoreValueError, parse_score
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
from cchc.web.units.models import Unit, UnitAlias
from cchc.web.uploads import EVIDENCE, receive


class CampaignError(ValueError):
    """A change that the rules refuse; the message (Vietnamese) is shown to the user."""


class NotAllowed(CampaignError):
    """The user may not make this change (role, unit, phase or lock)."""


class StaleScore(CampaignError):
    """The score changed since the form was opened (optimistic locking)."""


class FigureRefused(CampaignError):
    """A raw figure of a formula criterion refused; ``field`` names the form field
    (``cchc.par.rules.FigureField.name``) it was typed in."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _text(value: Decimal | NotApplicable | None) -> str:
    if isinstance(value, NotApplicable):
        return str(value)  # "KAD", as the score files write it
    return "" if value is None else fmt.format_number(float(value))


def parse_value(value: object, node: Node, field: str) -> Decimal | NotApplicable | None:
    """A score from a form or file through the engine's one reader (``parse_score``): a
    number (half-up to 2 decimals, in 0..max), ``NOT_APPLICABLE`` (KAD), or None (blank)."""
    if isinstance(value, NotApplicable):
        return value
    if isinstance(value, Decimal):
        value = str(value)
    try:
        parsed = parse_score(value, node)
    except ScoreValueError as exc:
        raise CampaignError(f"{field}: {exc}") from None
    if parsed is None or isinstance(parsed, NotApplicable):
        return parsed
    return Decimal(str(parsed)).quantize(Decimal("0.01"))


def figures_text(data: Mapping[str, object] | None) -> str:
    """Stored figures as people write them ("5", "45/50 = 90%", "87,5%"); "" for none."""
    figures = Figures.from_dict(data)
    return "" if figures is None else figures.text()


def points_from_figures(
    node: Node, typed: Mapping[str, object] | Figures, label: str
) -> tuple[Decimal | None, Figures | None]:
    """The points of a formula criterion and the figures they come from, read and computed
    by the core (``cchc.par.rules``: one reader, one evaluator); (None, None) when every
    figure is blank. A refused figure raises ``FigureRefused`` naming its field."""
    if node.rule is None:
        raise CampaignError(f"{label}: tiêu chí {node.code} không tính điểm theo công thức.")
    if isinstance(typed, Figures):
        figures: Figures | None = typed
    else:
        try:
            figures = read_figures(node.rule, typed)
        except FigureError as exc:
            raise FigureRefused(exc.field, f"{label}: {exc}") from None
    if figures is None:
        return None, None
    points = rule_points(node.rule, node.max, figures.figure)
    return Decimal(str(points)).quantize(Decimal("0.01")), figures


def require_reason(text: str | None, message: str) -> str:
    """The reason as typed (trimmed); ``CampaignError(message)`` when nothing in it is
    visible (empty, spaces, U+200B, U+2060, U+FEFF …)."""
    reason = fmt.visible_text(text)
    if not reason:
        raise CampaignError(message)
    return reason


def node_of(score: CriterionScore) -> Node:
    fw = engine_framework(score.campaign_unit.campaign.framework)
    return fw.node(score.node_code)


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
    """Move a campaign to another phase (forward or back, never out of "published");
    audited, and a pending proposal or approval is withdrawn."""
    from cchc.web.campaigns import approval
    from cchc.web.ops.audit import record

    if not permissions.can_change_phase(user, campaign):
        raise NotAllowed("Bạn không được chuyển giai đoạn của đợt đánh giá này.")
    if status not in STATUS_ORDER or status == Status.PUBLISHED:
        raise CampaignError(f"Giai đoạn {status!r} không hợp lệ (công bố bằng chức năng riêng).")
    old = campaign.status
    if status == old:
        return campaign
    campaign.status = status
    campaign.save(update_fields=["status"])
    record(
        actor=user, action="campaign.phase", object_type="campaign", object_id=campaign.pk,
        field="status", old=old, new=status,
    )
    # The results proposed to (or approved by) the leader were those of the phase just
    # left; after a phase change they are proposed again (docs/workflow.md).
    approval.withdraw(campaign, user=user, reason=f"Chuyển giai đoạn: {Status(status).label}")
    return campaign


def check_publishable(campaign: Campaign) -> Results:
    """The results publication would make public (one year on its own); ``CampaignError``
    while they could not be published: a criterion without an appraised value, or final
    scores the engine refuses."""
    from cchc.web.campaigns.results import campaign_results

    missing = missing_appraisals(campaign)
    if missing:
        raise CampaignError(
            f"Còn {fmt.format_int(len(missing))} tiêu chí chưa có điểm thẩm định "
            f"({_listed(missing)}); chưa thể công bố."
        )
    try:
        return campaign_results(campaign)  # the engine must accept every final score
    except ScoresError as exc:
        raise CampaignError(f"Chưa thể công bố: {exc}") from None


def missing_appraisals(campaign: Campaign) -> list[CriterionScore]:
    """Criteria of the campaign without an appraised value (a number or "does not apply")."""
    return list(
        CriterionScore.objects.filter(
            campaign_unit__campaign=campaign,
            appraised_score__isnull=True,
            appraised_not_applicable=False,
        )
        .select_related("campaign_unit__unit")
        .order_by("campaign_unit__unit__code", "node_code")
    )


def _listed(scores: list[CriterionScore], limit: int = 10) -> str:
    names = [f"{s.campaign_unit.unit.code}/{s.node_code}" for s in scores[:limit]]
    more = len(scores) - limit
    return ", ".join(names) + (f" và {fmt.format_int(more)} tiêu chí khác" if more > 0 else "")


@transaction.atomic
def publish(campaign: Campaign, *, user: Any, reason: str = "") -> Campaign:
    """Publish: the appraised values become the public result, as a new version.

    Refused while any criterion has no appraised value (every self score must have been
    appraised; survey components are entered as appraised), and unless a leader of the
    organising body approved these very scores (``cchc.web.campaigns.approval``). When the level and year are
    already published, this is a correction ("đính chính"): ``reason`` is required, the
    version number goes up, and the earlier version stays readable. ``user=None`` is the
    system itself (the demo loader, a command line import).
    """
    from cchc.web.campaigns import approval
    from cchc.web.campaigns.publication import current_publication, next_version
    from cchc.web.campaigns.results import store_results
    from cchc.web.ops.audit import record

    if user is not None and not permissions.can_publish(user, campaign):
        raise NotAllowed("Bạn không được công bố kết quả đợt đánh giá này.")
    Campaign.objects.select_for_update().filter(pk=campaign.pk).exists()  # steps queue here
    campaign.refresh_from_db()
    if campaign.is_published:
        raise CampaignError("Đợt đánh giá này đã được công bố.")
    results = check_publishable(campaign)
    standing = approval.state(campaign)
    if not may_publish(standing):
        raise CampaignError(publish_refusal(standing))
    current = current_publication(campaign.level, campaign.year)
    if current is not None:
        reason = require_reason(
            reason,
            f"Kết quả này đã được công bố (phiên bản {current.version or 1}); công bố lại là "
            "đính chính: phải ghi lý do đính chính.",
        )
    else:
        reason = fmt.visible_text(reason)
    CriterionScore.objects.filter(campaign_unit__campaign=campaign).update(
        self_locked=True, appraisal_locked=True
    )
    campaign.status = Status.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.version = next_version(campaign.level, campaign.year)
    campaign.correction_reason = reason if current is not None else ""
    campaign.published_by = user if getattr(user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            campaign.save(
                update_fields=[
                    "status", "published_at", "version", "correction_reason", "published_by"
                ]
            )
    except IntegrityError:  # another campaign of this level and year took the number first
        raise CampaignError(
            "Một phiên bản khác của kết quả này vừa được công bố; vui lòng tải lại trang."
        ) from None
    # Published results never change: stored now, in the same transaction, so the pages
    # and the API read them instead of computing them from every score again.
    store_results(campaign, results)
    record(
        actor=user,
        action="campaign.publish",
        object_type="campaign",
        object_id=campaign.pk,
        field="published_version",
        old=None if current is None else f"đợt {current.pk}, phiên bản {current.version or 1}",
        new=f"đợt {campaign.pk}, phiên bản {campaign.version}",
        reason=reason,
    )
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
    figures: Mapping[str, object] | Figures | None = None,
) -> CriterionScore:
    """The unit officer's own score (and explanation) for one criterion.

    ``value`` is a number, KAD ("does not apply": the explanation is its required reason)
    or blank (not scored yet). For a criterion the framework scores by a formula,
    ``figures`` (the form's figure fields, or ``Figures``) gives the raw figures instead of
    a number: the points are the formula's, and both are stored.
    """
    if not permissions.can_edit_criterion(user, score):
        raise NotAllowed("Bạn không được sửa điểm tự đánh giá của tiêu chí này.")
    node = node_of(score)
    new = parse_value(value, node, "Điểm tự đánh giá")
    new_figures = None
    if figures is not None and not isinstance(new, NotApplicable):
        new, given = points_from_figures(node, figures, "Số liệu tự đánh giá")
        new_figures = None if given is None else given.as_dict()
    old = score.self_value
    old_figures = score.self_figures
    changes: dict[str, Any] = {"self_figures": new_figures}
    if isinstance(new, NotApplicable):
        reason = require_reason(
            score.explanation if explanation is None else explanation,
            "Tiêu chí không áp dụng: phải ghi lý do trong phần giải trình.",
        )
        changes.update(self_score=None, not_applicable=True, not_applicable_reason=reason)
    else:
        changes.update(self_score=new, not_applicable=False, not_applicable_reason="")
    changes = {k: v for k, v in changes.items() if getattr(score, k) != v}
    if explanation is not None and explanation != score.explanation:
        changes["explanation"] = explanation
    if not changes:
        return score
    old_explanation = score.explanation
    _bump(score, expected_version, **changes)
    if new_figures != old_figures:
        _record(
            score, user, "self_figures", figures_text(old_figures), figures_text(new_figures)
        )
    if new != old:
        _record(score, user, "self_score", _text(old), _text(new), score.not_applicable_reason)
    if "explanation" in changes:
        _record(score, user, "explanation", old_explanation, score.explanation)
    return score


@transaction.atomic
def add_evidence(score: CriterionScore, upload: UploadedFile, *, user: Any) -> Evidence:
    """Attach a checked evidence file (size, type, content signature, safe name)."""
    if not permissions.can_edit_criterion(user, score):
        raise NotAllowed("Bạn không được thêm tài liệu kiểm chứng cho tiêu chí này.")
    checked = receive(upload, EVIDENCE)
    evidence = Evidence(
        criterion_score=score,
        original_name=checked.name,
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
    _record(score, user, "evidence", "", checked.name)
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
    figures: Mapping[str, object] | Figures | None = None,
) -> CriterionScore:
    """The appraised value (a number or KAD, or for a formula criterion the raw
    ``figures``); a reason is required whenever it differs from the unit's own."""
    if not permissions.can_appraise_criterion(user, score):
        raise NotAllowed("Bạn không được thẩm định tiêu chí này.")
    set_appraised(
        score, value, user=user, reason=reason, expected_version=expected_version, figures=figures
    )
    return score


def set_appraised(
    score: CriterionScore,
    value: object,
    *,
    user: Any,
    reason: str,
    expected_version: int | None,
    label: str = "Điểm thẩm định",
    figures: Mapping[str, object] | Figures | None = None,
    figures_label: str = "Số liệu thẩm định",
) -> bool:
    """Write the appraised value with its rules (a visible reason when it differs from the
    unit's own, points or figures; optimistic locking; history). For a formula criterion
    ``figures`` gives the raw figures and the points are the formula's. The caller checks
    the permission. True when something changed."""
    node = node_of(score)
    new = parse_value(value, node, label)
    new_figures = None
    if figures is not None and not isinstance(new, NotApplicable):
        new, given = points_from_figures(node, figures, figures_label)
        if given is None:
            raise CampaignError(
                f"{figures_label}: chưa nhập số liệu (chọn “không áp dụng” nếu tiêu chí không "
                "áp dụng)."
            )
        new_figures = given.as_dict()
    if new is None:
        raise CampaignError(f"{label}: chưa nhập điểm (ghi KAD nếu tiêu chí không áp dụng).")
    reason = fmt.visible_text(reason)
    if new != score.self_value and not reason:
        raise CampaignError(f"{label} khác điểm tự đánh giá: phải ghi lý do điều chỉnh.")
    if new_figures is not None and score.self_figures not in (None, new_figures) and not reason:
        raise CampaignError(f"{figures_label} khác số liệu tự đánh giá: phải ghi lý do điều chỉnh.")
    old = score.appraised_value
    old_figures = score.appraised_figures
    if new == old and new_figures == old_figures and reason == score.appraisal_reason:
        return False
    na = isinstance(new, NotApplicable)
    _bump(
        score,
        expected_version,
        appraised_score=None if na else new,
        appraised_not_applicable=na,
        appraised_figures=new_figures,
        appraisal_reason=reason,
    )
    if new_figures != old_figures:
        _record(
            score,
            user,
            "appraised_figures",
            figures_text(old_figures),
            figures_text(new_figures),
            reason,
        )
    _record(score, user, "appraised_score", _text(old), _text(new), reason)
    return True


@transaction.atomic
def raise_objection(score: CriterionScore, text: str, *, user: Any) -> Objection:
    if not permissions.can_object(user, score.campaign_unit):
        raise NotAllowed("Bạn không được gửi kiến nghị cho tiêu chí này.")
    text = require_reason(text, "Nội dung kiến nghị: không được để trống.")
    objection = Objection.objects.create(criterion_score=score, text=text, raised_by=user)
    _record(score, user, "objection", "", objection.text)
    return objection


@transaction.atomic
def answer_objection(objection: Objection, answer: str, *, user: Any) -> Objection:
    score = objection.criterion_score
    if not permissions.can_answer_objection(user, score.campaign_unit.campaign):
        raise NotAllowed("Bạn không được trả lời kiến nghị này.")
    answer = require_reason(answer, "Nội dung trả lời: không được để trống.")
    old = objection.answer
    objection.answer = answer
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

    Values are numbers or KAD ("does not apply", the import's reason or source being its
    reason); a blank is an error, never "does not apply".
    All or nothing: any bad row (unknown unit, unknown node, blank or out of range) aborts the
    whole import with a message naming the source, the row and the column. Used by the
    demo loader and for survey components computed outside the app. The caller checks the
    permission (the organiser's import page, or the command line).
    """
    if field not in ("self_score", "appraised_score"):
        raise ValueError(f"field must be self_score or appraised_score, not {field!r}")
    fw = engine_framework(campaign.framework)
    nodes = {n.code: n for n in scored_nodes(fw)}
    units = {cu.unit.code: cu for cu in campaign.units.select_related("unit")}
    # A file may name a unit by a code it had before its official id (UnitAlias).
    for alias, unit_pk in UnitAlias.objects.filter(unit__campaigns__campaign=campaign).values_list(
        "alias", "unit_id"
    ):
        units.setdefault(alias, next(cu for cu in units.values() if cu.unit_id == unit_pk))
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
                new = parse_value(value, nodes[column], column)
            except CampaignError as exc:
                raise CampaignError(f"{where}, cột {column}: {exc}") from None
            if new is None:
                raise CampaignError(
                    f"{where}, cột {column}: ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng"
                )
            score = CriterionScore.objects.get(campaign_unit=units[code], node_code=column)
            old = score.self_value if field == "self_score" else score.appraised_value
            figures_field = "self_figures" if field == "self_score" else "appraised_figures"
            old_figures = getattr(score, figures_field)
            if new == old and old_figures is None:
                continue
            why = reason or source
            na = isinstance(new, NotApplicable)
            if field == "self_score":
                changes = {"self_score": None if na else new, "not_applicable": na,
                           "not_applicable_reason": why if na else ""}
            else:
                changes = {"appraised_score": None if na else new, "appraised_not_applicable": na}
            # Points given as such: figures they may have come from before no longer hold.
            changes[figures_field] = None
            _bump(score, None, **changes)
            if old_figures is not None:
                _record(score, user, figures_field, figures_text(old_figures), "", why)
            if new != old:
                _record(score, user, field, _text(old), _text(new), why)
            written += 1
    return written
