"""Creating a campaign with its phases and survey components; phase dates and moves.

Thin layer over ``cchc.web.campaigns.services`` (which checks permissions again and keeps
the history): what the organiser's pages need and the services do not offer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from cchc import fmt
from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.models import STATUS_ORDER, Campaign, Framework, Status
from cchc.web.units.models import Unit
from cchc.web.workflow.surveys import set_survey_codes

# The campaign's planned dates, in phase order (docs/field.md §3).
PHASE_FIELDS: list[tuple[str, str, str]] = [
    ("self_assessment_start", "self_assessment_end", "Đơn vị tự đánh giá"),
    ("appraisal_start", "appraisal_end", "Thẩm định"),
    ("objections_start", "objections_end", "Tiếp nhận ý kiến, kiến nghị"),
]

# The phase the one phase form proposes from each phase ("open the next phase" closes the
# current one), with what the move means.
NEXT_PHASE: dict[str, tuple[str, str]] = {
    "draft": ("self_assessment", "Mở giai đoạn tự đánh giá"),
    "self_assessment": ("appraisal", "Đóng tự đánh giá, mở thẩm định"),
    "appraisal": ("objections", "Đóng thẩm định, mở tiếp nhận kiến nghị"),
}

# What closing each phase takes away from the people working in it: the organiser confirms
# it before moving forward (moving back reopens a phase and needs no confirmation). The
# objections phase is closed by publishing, which has its own confirmation page.
CLOSING: dict[str, str] = {
    "draft": "khâu chuẩn bị kết thúc, các đơn vị bắt đầu tự chấm điểm theo bộ chỉ số đã chọn",
    "self_assessment": "đơn vị không còn tự chấm điểm, nộp bản tự đánh giá được nữa",
    "appraisal": "hội đồng thẩm định không còn sửa điểm thẩm định được nữa",
}


def moves_forward(old: str, new: str) -> bool:
    """The move closes the current phase (a later phase in STATUS_ORDER)."""
    order = STATUS_ORDER
    return new in order and old in order and order.index(new) > order.index(old)


@transaction.atomic
def move_phase(campaign: Campaign, status: str, *, user: Any, confirmed: bool) -> Campaign:
    """The one way the organiser's page changes the phase: a forward move (it closes the
    current phase) needs the organiser's confirmation; publishing has its own page."""
    allowed = permissions.can_change_phase(user, campaign)  # else the service says 403
    if allowed and moves_forward(campaign.status, status) and not confirmed:
        raise services.CampaignError(
            f"Chuyển sang giai đoạn “{Status(status).label}”: hãy đánh dấu xác nhận "
            f"({CLOSING.get(campaign.status, '')})."
        )
    return services.change_phase(campaign, status, user=user)


def check_dates(dates: Mapping[str, dt.date | None]) -> None:
    """Each phase ends on or after it starts, and starts on or after the previous one ends."""
    previous_end: dt.date | None = None
    for start_field, end_field, label in PHASE_FIELDS:
        start, end = dates.get(start_field), dates.get(end_field)
        if start and end and end < start:
            raise services.CampaignError(
                f"{label}: ngày kết thúc {fmt.format_date(end)} trước ngày bắt đầu "
                f"{fmt.format_date(start)}."
            )
        if previous_end and start and start < previous_end:
            raise services.CampaignError(
                f"{label}: bắt đầu {fmt.format_date(start)} trước khi giai đoạn trước kết thúc "
                f"({fmt.format_date(previous_end)})."
            )
        previous_end = end or start or previous_end


def _check_lengths(**values: str) -> None:
    """Texts longer than their column: a form error, not a database error (PostgreSQL refuses
    them with a 500; SQLite would store them)."""
    for name, value in values.items():
        column = Campaign._meta.get_field(name)
        limit = getattr(column, "max_length", None)
        if limit is not None and len(value) > limit:
            raise services.CampaignError(
                f"{str(column.verbose_name).capitalize()}: tối đa {limit} ký tự "
                f"(đã nhập {len(value)})."
            )


@transaction.atomic
def open_campaign(
    framework: Framework,
    units: Iterable[Unit],
    *,
    user: Any,
    name: str = "",
    dates: Mapping[str, dt.date | None] | None = None,
    survey: Iterable[str] = (),
    organisation: str = "",
    place: str = "",
) -> Campaign:
    """Create a campaign (services.create_campaign) with its dates and survey components."""
    dates = dict(dates or {})
    check_dates(dates)
    _check_lengths(name=name, organisation=organisation, place=place)
    campaign = services.create_campaign(framework, units, user=user, name=name, phases=dates)
    campaign.organisation, campaign.place = organisation, place
    campaign.save(update_fields=["organisation", "place"])
    set_survey_codes(campaign, survey)
    return campaign


@transaction.atomic
def set_dates(campaign: Campaign, dates: Mapping[str, dt.date | None], *, user: Any) -> Campaign:
    """Change the planned dates of the phases."""
    if not permissions.can_change_phase(user, campaign):
        raise services.NotAllowed("Bạn không được sửa thời gian của đợt đánh giá này.")
    check_dates(dates)
    fields = [f for pair in PHASE_FIELDS for f in pair[:2]]
    for name in fields:
        setattr(campaign, name, dates.get(name))
    campaign.save(update_fields=fields)
    return campaign


def phase_rows(campaign: Campaign) -> list[dict[str, Any]]:
    """The phases with their dates and whether each is the current one, for the page."""
    return [
        {
            "status": status,
            "label": label,
            "start": getattr(campaign, start),
            "end": getattr(campaign, end),
            "current": campaign.status == status,
        }
        for (start, end, label), status in zip(
            PHASE_FIELDS, ["self_assessment", "appraisal", "objections"], strict=True
        )
    ]
