"""One-time links and QR codes for respondents.

A token is ``secrets.token_urlsafe(16)`` (128 bits); the server keeps its SHA-256 digest
only (``cchc.surveys.token_digest``), so a database leak reveals no working link. Because
the token is not stored, links are shown once, on the printable list issued per unit;
issuing again replaces the tokens of everyone who has not answered (old printouts stop
working), which is how a lost list is recovered.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import segno
from django.db import transaction
from django.utils import timezone

from cchc.surveys import token_digest
from cchc.web.desk.models import Dossier
from cchc.web.surveys.access import can_manage_surveys
from cchc.web.surveys.errors import LinkInvalid, LinkUsed, SurveyError, SurveyNotOpen
from cchc.web.surveys.models import Respondent, Survey, SurveyStatus
from cchc.web.units.models import Unit


@dataclass(frozen=True)
class IssuedLink:
    respondent: Respondent
    token: str


@transaction.atomic
def issue_links(
    survey: Survey, unit: Unit, *, user: Any, include_reserve: bool = False
) -> list[IssuedLink]:
    """New tokens for the unit's respondents who have not answered yet (sample first)."""
    if not can_manage_surveys(user):
        raise SurveyError("Chỉ cơ quan tổ chức đánh giá được cấp liên kết khảo sát.")
    if survey.status != SurveyStatus.OPEN:
        raise SurveyNotOpen("Cuộc khảo sát không ở giai đoạn thu phiếu: không cấp liên kết.")
    people = Respondent.objects.select_for_update().filter(
        survey=survey, unit=unit, used_at__isnull=True
    )
    if not include_reserve:
        people = people.filter(reserve=False)
    now = timezone.now()
    issued = []
    for person in people.order_by("reserve", "stratum", "order"):
        token = secrets.token_urlsafe(16)
        person.token_digest = token_digest(token)
        person.issued_at = now
        issued.append(IssuedLink(person, token))
    Respondent.objects.bulk_update([i.respondent for i in issued], ["token_digest", "issued_at"])
    return issued


def qr_svg(url: str) -> str:
    """An inline SVG QR code (error correction M, readable from a printed sheet)."""
    return str(segno.make(url, error="m").svg_inline(scale=3, title="Mã QR phiếu khảo sát"))


def respondent_for(token: str) -> Respondent:
    """The respondent holding ``token`` while the survey collects answers.

    Raises ``LinkInvalid`` (no such token), ``LinkUsed`` (answered already) or
    ``SurveyNotOpen`` (tokens expire when the survey closes).
    """
    found = (
        Respondent.objects.select_related("survey", "unit")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if found is None:
        raise LinkInvalid("Liên kết khảo sát không đúng hoặc đã được thay bằng liên kết mới.")
    if found.used_at is not None:
        raise LinkUsed("Phiếu khảo sát của liên kết này đã được trả lời. Xin cảm ơn ông/bà.")
    if found.survey.status != SurveyStatus.OPEN:
        raise SurveyNotOpen("Cuộc khảo sát đã kết thúc thu phiếu; liên kết không còn hiệu lực.")
    return found


def applicant_contacts(respondents: Iterable[Respondent]) -> dict[str, tuple[str, str]]:
    """Dossier code → (applicant's name, phone) from the desk's ledger, for the call list.

    Personal data: shown only on the organiser's printable list of links (the same
    object-level check as the list itself). A sample drawn from an uploaded ledger file may
    name dossiers the desk does not hold: those have no entry here.
    """
    wanted = {(r.unit_id, r.dossier_code) for r in respondents}
    rows = Dossier.objects.filter(code__in={code for _, code in wanted}).values_list(
        "unit_id", "code", "applicant_name", "applicant_phone"
    )
    return {code: (name, phone) for unit, code, name, phone in rows if (unit, code) in wanted}
