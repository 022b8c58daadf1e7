"""The sampling error of surveys run outside cchc, uploaded by the campaign's organiser.

A province that ran its SIPAS survey with another tool enters the survey scores on the
survey page; with this upload it also gives their sampling error, in the uncertainty file
of ``cchc par robustness --uncertainty`` (docs/par.md: per unit, component and factor the
respondents and satisfied counts, or a standard error per unit and component). The file
goes through ``cchc.web.uploads.receive`` (size, type, content), is read and checked by
the core (``cchc.par.uncertainty.load_uncertainty``, the CLI's own reader) against the
campaign's results, and is kept only if every row is valid; the upload, its replacement
and its removal are audited. The results pages then show the same rank intervals, chart,
labels and paragraph as for a survey run in cchc (``cchc.web.portal.insight``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.par.results import Results
from cchc.par.scores import ScoresError
from cchc.par.uncertainty import (
    ComponentUncertainty,
    UncertaintyError,
    load_uncertainty,
    uncertainty_from_rows,
    uncertainty_rows,
)
from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.models import Campaign
from cchc.web.ops.audit import record
from cchc.web.uploads import TABLES, receive, table_limits
from cchc.web.workflow.models import SurveyUncertainty

log = logging.getLogger(__name__)

# An uncertainty file has a few rows per unit: far below the general upload limit.
MAX_FILE_BYTES = 5 * 1024 * 1024


def summary(items: list[ComponentUncertainty]) -> str:
    """What a file says, in a sentence: units, components, and which form."""
    units = {i.unit_code for i in items}
    components = sorted({i.component for i in items})
    counts = sum(1 for i in items if i.counts)
    errors = len(items) - counts
    forms = []
    if counts:
        forms.append(f"{counts} theo số người trả lời")
    if errors:
        forms.append(f"{errors} theo sai số chuẩn")
    return (
        f"{len(units)} đơn vị, thành phần {', '.join(components)} "
        f"(đơn vị–thành phần: {', '.join(forms)})"
    )


def _stored_summary(stored: SurveyUncertainty | None) -> str | None:
    if stored is None:
        return None
    return f"{stored.file_name}: {len(stored.rows)} dòng"


def _results(campaign: Campaign) -> Results:
    from cchc.web.portal import pages

    try:
        return pages.results_for(campaign)
    except ScoresError as exc:
        raise services.CampaignError(
            f"Chưa tính được kết quả của đợt đánh giá để đối chiếu tệp: {exc}"
        ) from None


@transaction.atomic
def upload_uncertainty(
    campaign: Campaign, upload: Any, *, user: Any
) -> tuple[SurveyUncertainty, list[ComponentUncertainty]]:
    """Check and keep an uploaded uncertainty file, replacing the campaign's previous one.

    Raises ``UploadRejected`` (size, type, content), ``UncertaintyError`` (every problem
    with file, row and column) or ``services.CampaignError``; nothing is kept then."""
    if not permissions.can_upload_uncertainty(user, campaign):
        raise services.NotAllowed("Chỉ cơ quan tổ chức đánh giá tải tệp sai số khảo sát.")
    received = receive(upload, TABLES, max_bytes=MAX_FILE_BYTES)
    items = load_uncertainty(
        received.stream, _results(campaign), name=received.name, limits=table_limits()
    )
    previous = SurveyUncertainty.objects.select_for_update().filter(campaign=campaign).first()
    old = _stored_summary(previous)
    stored = previous or SurveyUncertainty(campaign=campaign)
    stored.file_name = received.name
    stored.rows = uncertainty_rows(items)
    stored.uploaded_by = user if getattr(user, "is_authenticated", False) else None
    stored.uploaded_at = timezone.now()
    stored.save()
    record(
        actor=user,
        action="campaign.survey_uncertainty",
        object_type="campaign",
        object_id=campaign.pk,
        field="survey_uncertainty",
        old=old,
        new=f"{_stored_summary(stored)} ({summary(items)})",
        reason=f"Tải tệp sai số khảo sát {received.name}",
    )
    return stored, items


@transaction.atomic
def remove_uncertainty(campaign: Campaign, *, user: Any) -> bool:
    """Remove the campaign's uploaded uncertainty (audited); False when there was none."""
    if not permissions.can_upload_uncertainty(user, campaign):
        raise services.NotAllowed("Chỉ cơ quan tổ chức đánh giá gỡ tệp sai số khảo sát.")
    stored = SurveyUncertainty.objects.select_for_update().filter(campaign=campaign).first()
    if stored is None:
        return False
    old = _stored_summary(stored)
    stored.delete()
    record(
        actor=user,
        action="campaign.survey_uncertainty",
        object_type="campaign",
        object_id=campaign.pk,
        field="survey_uncertainty",
        old=old,
        new=None,
        reason="Gỡ tệp sai số khảo sát",
    )
    return True


def stored_uncertainty(campaign: Campaign) -> SurveyUncertainty | None:
    return SurveyUncertainty.objects.filter(campaign=campaign).first()


def uncertainty_stamp(campaign: Campaign) -> str:
    """Changes whenever the uploaded uncertainty does (a cache key of the results pages)."""
    stored = SurveyUncertainty.objects.filter(campaign=campaign).values_list("pk", "uploaded_at")
    return ";".join(f"{pk}:{at}" for pk, at in stored)


def checked_uncertainty(
    stored: SurveyUncertainty, results: Results
) -> tuple[list[ComponentUncertainty], UncertaintyError | None]:
    """The stored rows checked again against the results of the day (a score may have
    changed since the upload): the items, or none and the error."""
    try:
        return uncertainty_from_rows(stored.rows, results, stored.file_name), None
    except UncertaintyError as exc:
        return [], exc


def uploaded_uncertainty(campaign: Campaign, results: Results) -> list[ComponentUncertainty]:
    """The campaign's uploaded uncertainty, or nothing (none uploaded, or no longer valid
    for the results: logged, and shown to the organiser on the upload page)."""
    stored = stored_uncertainty(campaign)
    if stored is None:
        return []
    items, error = checked_uncertainty(stored, results)
    if error is not None:
        log.warning("campaign %s: uploaded uncertainty no longer valid: %s", campaign.pk, error)
    return items
