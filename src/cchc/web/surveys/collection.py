"""Answers in: by one-time link, by staff typing a paper form, or by importing a file.

Every channel goes through the core: ``form_answers`` checks one respondent's fields,
``read_answers`` / ``read_kobo`` read a file all-or-nothing with row-level problems. A
respondent answers once: the link is marked used in the same transaction as the answers,
by a conditional update, so two submissions racing each other store one form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cchc.surveys import Answer, SurveyInputError, form_answers, read_answers, read_kobo
from cchc.tables import more_text
from cchc.web.surveys.access import can_manage_surveys
from cchc.web.surveys.errors import LinkUsed, SurveyError, SurveyNotOpen
from cchc.web.surveys.models import Answer as AnswerRow
from cchc.web.surveys.models import Respondent, Survey, SurveyStatus
from cchc.web.surveys.planning import questionnaire
from cchc.web.surveys.retention import is_unlinked
from cchc.web.surveys.sampling import campaign_units
from cchc.web.units.lookup import units_by_code
from cchc.web.uploads import TABLES, UploadRejected, receive, table_limits

UNLINKED = (
    "Cuộc khảo sát đã hết thời hạn lưu trữ liên kết người trả lời (Nghị định 13/2023/NĐ-CP): "
    "không nhập thêm phiếu."
)

FORMATS = {
    "long": "Dạng dài (respondent_id, unit_code, factor, question, answer)",
    "kobo": "Xuất từ KoboToolbox / ODK (mỗi dòng một phiếu)",
}


def _store(
    survey: Survey, answers: Iterable[Answer], respondent: Respondent | None, source: str
) -> int:
    rows = [
        AnswerRow(
            survey=survey,
            respondent=respondent,
            respondent_key=a.respondent_id,
            unit_code=a.unit_code,
            factor=a.factor,
            question=a.question,
            value=a.value,
            source=source,
        )
        for a in answers
    ]
    AnswerRow.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _answer_once(
    respondent: Respondent, values: Mapping[str, str | int | None], channel: str, source: str
) -> int:
    form = questionnaire(respondent.survey)
    answers = form_answers(
        form, respondent.respondent_key, respondent.unit.code, values, source=source
    )
    claimed = Respondent.objects.filter(pk=respondent.pk, used_at__isnull=True).update(
        used_at=timezone.now(), channel=channel
    )
    if claimed != 1:
        raise LinkUsed("Phiếu khảo sát của liên kết này đã được trả lời. Xin cảm ơn ông/bà.")
    return _store(respondent.survey, answers, respondent, source)


@transaction.atomic
def submit_by_link(respondent: Respondent, values: Mapping[str, str | int | None]) -> int:
    """The respondent's own form (no log-in: the link's token identified them).

    Raises ``SurveyInputError`` naming bad fields, ``LinkUsed`` on a second submission.
    """
    if respondent.survey.status != SurveyStatus.OPEN:
        raise SurveyNotOpen("Cuộc khảo sát đã kết thúc thu phiếu; liên kết không còn hiệu lực.")
    return _answer_once(respondent, values, "web", "phiếu trực tuyến")


@transaction.atomic
def enter_paper(
    respondent: Respondent, values: Mapping[str, str | int | None], *, user: Any
) -> int:
    """Staff type in the paper form of a sampled respondent (before publication)."""
    if not can_manage_surveys(user):
        raise SurveyError("Chỉ cơ quan tổ chức đánh giá được nhập phiếu giấy.")
    if respondent.survey.status not in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
        raise SurveyNotOpen("Chỉ nhập phiếu giấy khi khảo sát đã chọn mẫu và chưa công bố.")
    if is_unlinked(respondent.survey):
        raise SurveyNotOpen(UNLINKED)
    return _answer_once(respondent, values, "paper", f"phiếu giấy {respondent.dossier_code}")


@transaction.atomic
def import_answers(survey: Survey, upload: UploadedFile, *, kind: str, user: Any) -> int:
    """A CSV/XLSX file of answers (long format or a Kobo export): all or nothing.

    Beyond the core's row checks: every unit must be in the campaign, and no respondent id
    may already have answers in this survey (a file imported twice is refused, not doubled).
    """
    if not can_manage_surveys(user):
        raise SurveyError("Chỉ cơ quan tổ chức đánh giá được nhập tệp kết quả khảo sát.")
    if survey.status not in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
        raise SurveyNotOpen("Chỉ nhập tệp khi khảo sát đã chọn mẫu và chưa công bố.")
    if is_unlinked(survey):
        raise SurveyNotOpen(UNLINKED)
    if kind not in FORMATS:
        raise SurveyError(f"Định dạng {kind!r} không được hỗ trợ.")
    form = questionnaire(survey)
    try:
        received = receive(upload, TABLES)
    except UploadRejected as exc:
        raise SurveyError(str(exc)) from None
    name, stream, limits = received.name, received.stream, table_limits()
    try:
        answers = (
            read_answers(stream, form, name=name, limits=limits)
            if kind == "long"
            else read_kobo(stream, form, name=name, limits=limits)
        )
    except SurveyInputError as exc:
        bad = [str(p) for p in exc.problems]
        if exc.total > len(exc.problems):
            bad.append(more_text(exc.total - len(exc.problems)))
        raise SurveyError(f"Không nhập được “{name}”: không dòng nào được lưu.", bad) from None
    problems: list[str] = []
    units = campaign_units(survey)
    # A file may name a unit by a code it had before its official id: stored under the id.
    moved = {
        old: unit.code
        for old, unit in units_by_code({a.unit_code for a in answers} - set(units)).items()
        if unit.code in units
    }
    if moved:
        answers = [replace(a, unit_code=moved.get(a.unit_code, a.unit_code)) for a in answers]
    for code in sorted({a.unit_code for a in answers} - set(units)):
        problems.append(f"{name}, cột unit_code: đơn vị '{code}' không có trong đợt đánh giá")
    keys = {a.respondent_id for a in answers}
    taken = sorted(
        set(
            AnswerRow.objects.filter(survey=survey, respondent_key__in=keys).values_list(
                "respondent_key", flat=True
            )
        )
    )
    for key in taken[:20]:
        problems.append(
            f"{name}, cột respondent_id: người trả lời '{key}' đã có câu trả lời trong cuộc khảo sát"
        )
    if problems:
        raise SurveyError(f"Không nhập được “{name}”: không dòng nào được lưu.", problems)
    return _store(survey, answers, None, name)
