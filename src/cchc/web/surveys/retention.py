"""Retention of what links a survey's answers to people (Decree 13/2023/NĐ-CP: keep personal
data no longer than the purpose needs).

While a survey collects answers, each respondent row ties a one-time token digest to a
dossier of the desk's ledger (whose applicant has a name, phone and address), and each
answer points to its respondent and carries the key ``hs-<dossier code>``. Once the survey
has stopped collecting (closed or published) for longer than the period, those links serve
no purpose and are removed, in one transaction per survey:

- respondents: the token digest becomes an unusable marker (``erased:`` + random; a SHA-256
  digest never contains ``:``), the dossier code a pseudonym ``ẩn-danh-NNNNNN`` numbered in
  a random order, and the procedure, stratum and order of the draw are blanked — with the
  survey's seed, the draw could be repeated on the ledger, and the position in the sample
  would then name the dossier again;
- answers: the link to the respondent is dropped and every respondent key of the survey
  (web, paper or imported) is replaced by another pseudonym, numbered in its own random
  order; a paper form's source ("phiếu giấy <dossier code>") loses the code.

Kept as they were: the answers' units, questions and values, their order, the respondents'
units, reserve flags and issue/answer times, the plan and the seed. So every figure of the
survey — index, intervals, points, n per unit, issued and answered counts — is identical
before and after. After this, the survey accepts no more paper forms or answer files
(``is_unlinked``): a file imported twice could no longer be recognised.

The period is ``CCHC_SURVEY_TOKEN_RETENTION_DAYS`` (Django setting) or ``--survey-days``;
unset = keep. It runs from the survey's ``closed_at`` (set by closing, or by publishing a
survey that was never closed).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from cchc.web.ops.retention import configured_days, cutoff_before, record_erasure
from cchc.web.surveys.models import Answer, Respondent, Survey, SurveyStatus

ERASED_PREFIX = "erased:"
PSEUDONYM_PREFIX = "ẩn-danh-"
PSEUDONYM = PSEUDONYM_PREFIX + "{:06d}"
PAPER_SOURCE = "phiếu giấy"
# The respondent fields the audit entry names (its reason adds the answers' keys).
ERASED_FIELDS = "token_digest,dossier_code,procedure_code,stratum,order"


@dataclass(frozen=True)
class SurveyErasure:
    cutoff: dt.datetime
    surveys: int  # surveys unlinked (or that would be, in a dry run)
    respondents: int  # their respondent rows


def survey_retention_days() -> int | None:
    """The configured period in days, or ``None`` (keep every link)."""
    return configured_days("CCHC_SURVEY_TOKEN_RETENTION_DAYS")


def _linked() -> Any:
    return Respondent.objects.filter(survey=OuterRef("pk")).exclude(
        token_digest__startswith=ERASED_PREFIX
    )


def is_unlinked(survey: Survey) -> bool:
    """True once this module has removed the survey's links to people."""
    return Respondent.objects.filter(survey=survey, token_digest__startswith=ERASED_PREFIX).exists()


def _due(cutoff: dt.datetime) -> Any:
    return (
        Survey.objects.filter(
            status__in=(SurveyStatus.CLOSED, SurveyStatus.PUBLISHED), closed_at__lt=cutoff
        )
        .filter(Exists(_linked()))
        .order_by("pk")
    )


def _shuffled_numbers(count: int, rng: random.Random) -> list[int]:
    numbers = list(range(1, count + 1))
    rng.shuffle(numbers)
    return numbers


def _unlink_respondents(survey: Survey, rng: random.Random) -> int:
    people = list(Respondent.objects.select_for_update().filter(survey=survey).order_by("pk"))
    for person, number in zip(people, _shuffled_numbers(len(people), rng), strict=True):
        person.token_digest = ERASED_PREFIX + secrets.token_hex(28)
        person.dossier_code = PSEUDONYM.format(number)
        person.procedure_code = person.stratum = ""
        person.order = number
    Respondent.objects.bulk_update(
        people,
        ["token_digest", "dossier_code", "procedure_code", "stratum", "order"],
        batch_size=1000,
    )
    return len(people)


def _unlink_answers(survey: Survey, rng: random.Random) -> None:
    answers = Answer.objects.filter(survey=survey)
    answers.filter(respondent__isnull=False, source__startswith=PAPER_SOURCE + " ").update(
        source=PAPER_SOURCE
    )
    answers.filter(respondent__isnull=False).update(respondent=None)
    keys = sorted(set(answers.values_list("respondent_key", flat=True)))
    # An imported file may already use the pseudonym form: move such keys aside first, so
    # no rename below collides with a key not yet renamed (unique per survey and question).
    for index, key in enumerate(keys):
        if key.startswith(PSEUDONYM_PREFIX):
            aside = f"tạm-{secrets.token_hex(8)}"
            answers.filter(respondent_key=key).update(respondent_key=aside)
            keys[index] = aside
    for key, number in zip(keys, _shuffled_numbers(len(keys), rng), strict=True):
        answers.filter(respondent_key=key).update(respondent_key=PSEUDONYM.format(number))


def unlink_closed_surveys(
    days: int, *, actor: Any = None, dry_run: bool = False, now: dt.datetime | None = None
) -> SurveyErasure:
    """Remove the links to people of surveys closed more than ``days`` days ago."""
    cutoff = cutoff_before(days, now)
    # Not reproducible on purpose: a seeded order could be recomputed to undo the pseudonyms.
    rng = random.SystemRandom()
    with transaction.atomic():
        surveys = list(_due(cutoff).select_for_update())
        if dry_run:
            people = Respondent.objects.filter(survey__in=surveys).count()
            return SurveyErasure(cutoff, len(surveys), people)
        people = 0
        for survey in surveys:
            people += _unlink_respondents(survey, rng)
            _unlink_answers(survey, rng)
        if surveys:
            record_erasure(
                actor=actor,
                object_type="survey",
                fields=ERASED_FIELDS,
                count=people,
                reason=(
                    f"khảo sát số {', '.join(str(s.pk) for s in surveys)}: kết thúc thu phiếu "
                    f"quá {days} ngày (trước {cutoff.isoformat()}); mã người trả lời của các "
                    "câu trả lời được thay bằng bí danh"
                ),
            )
    return SurveyErasure(cutoff, len(surveys), people)
