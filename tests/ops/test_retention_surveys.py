"""Surveys closed longer than the period lose every link to people; their figures stay."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from retention_world import (
    answered_survey,
    campaign,
    figures,
    levels,
    links_of,
    long_file,
    survey_world,
)

from cchc.surveys import token_digest
from cchc.web.accounts.models import User
from cchc.web.ops.audit import verify_stored
from cchc.web.ops.models import AuditEntry
from cchc.web.surveys import collection, links, results
from cchc.web.surveys.errors import LinkInvalid, SurveyNotOpen
from cchc.web.surveys.models import Respondent, Survey
from cchc.web.surveys.retention import (
    ERASED_PREFIX,
    is_unlinked,
    survey_retention_days,
    unlink_closed_surveys,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)
DAYS = 365
CUTOFF = NOW - dt.timedelta(days=DAYS)


@pytest.fixture
def organiser() -> User:
    return survey_world()


def _survey(organiser: User, on: Any, closed_days_ago: int | None) -> Survey:
    closed = None if closed_days_ago is None else NOW - dt.timedelta(days=closed_days_ago)
    return answered_survey(organiser, on, closed)


def test_a_survey_closed_before_the_cutoff_loses_its_links_and_keeps_every_figure(organiser, settings):
    settings.CCHC_SURVEY_MIN_RESPONDENTS = 1  # a few answers publish here (not what is tested)
    on = campaign()
    old = _survey(organiser, on, closed_days_ago=DAYS + 1)
    before = figures(old)
    linked = links_of(old)
    assert any(code.startswith("BSO-") for code in linked["dossiers"])
    assert "p1" in linked["keys"] and any(k.startswith("hs-") for k in linked["keys"])
    audit_before = AuditEntry.objects.count()

    outcome = unlink_closed_surveys(DAYS, actor="quantri", now=NOW)

    assert (outcome.cutoff, outcome.surveys) == (CUTOFF, 1)
    assert outcome.respondents == Respondent.objects.filter(survey=old).count()
    assert figures(old) == before
    after = links_of(old)
    assert all(d.startswith(ERASED_PREFIX) for d in after["digests"])
    assert not after["dossiers"] & linked["dossiers"] and not after["keys"] & linked["keys"]
    assert all(k.startswith("ẩn-danh-") for k in after["keys"] | after["dossiers"])
    assert after["sources"] == {"phiếu trực tuyến", "phiếu giấy", "tra-loi.csv"}
    people = Respondent.objects.filter(survey=old)
    assert not people.exclude(procedure_code="", stratum="").exists()
    assert sorted(people.values_list("order", flat=True)) == list(range(1, people.count() + 1))
    assert not old.answers.filter(respondent__isnull=False).exists()
    assert is_unlinked(old)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == audit_before + 1
    assert (entry.action, entry.object_type, entry.actor) == ("privacy.erase", "survey", "quantri")
    assert entry.new == str(outcome.respondents) and f"khảo sát số {old.pk}" in entry.reason
    assert len(entry.field) <= AuditEntry._meta.get_field("field").max_length  # PostgreSQL
    assert verify_stored()[1] == []
    # Publication after the erasure writes the same points.
    assert results.publish(old, user=organiser).written == len(before["points"])


def test_surveys_at_the_cutoff_or_still_open_keep_their_links(organiser):
    on = campaign()
    at_cutoff = _survey(organiser, on, closed_days_ago=DAYS)
    recent = _survey(organiser, on, closed_days_ago=10)
    still_open = _survey(organiser, on, closed_days_ago=None)
    Survey.objects.filter(pk=still_open.pk).update(closed_at=NOW - dt.timedelta(days=900))
    snapshots = {s.pk: links_of(s) for s in (at_cutoff, recent, still_open)}
    audit_before = AuditEntry.objects.count()

    assert unlink_closed_surveys(DAYS, now=NOW).surveys == 0

    assert {s.pk: links_of(s) for s in (at_cutoff, recent, still_open)} == snapshots
    assert AuditEntry.objects.count() == audit_before
    # One second later the survey at the cutoff is due.
    later = unlink_closed_surveys(DAYS, now=NOW + dt.timedelta(seconds=1))
    assert later.surveys == 1 and is_unlinked(at_cutoff) and not is_unlinked(recent)


def test_a_dry_run_counts_and_writes_nothing_and_a_second_run_finds_nothing(organiser):
    old = _survey(organiser, campaign(), closed_days_ago=DAYS + 30)
    linked = links_of(old)
    audit_before = AuditEntry.objects.count()
    dry = unlink_closed_surveys(DAYS, dry_run=True, now=NOW)
    assert (dry.surveys, dry.respondents) == (1, Respondent.objects.filter(survey=old).count())
    assert links_of(old) == linked and AuditEntry.objects.count() == audit_before
    assert unlink_closed_surveys(DAYS, now=NOW).surveys == 1
    assert unlink_closed_surveys(DAYS, now=NOW).surveys == 0
    assert AuditEntry.objects.count() == audit_before + 1


def test_an_unlinked_survey_accepts_no_more_answers_and_its_old_links_are_dead(organiser):
    old = _survey(organiser, campaign(), closed_days_ago=DAYS + 1)
    unanswered = Respondent.objects.filter(survey=old, used_at__isnull=True).first()
    # A token of the printed list: its digest is what the respondent row held.
    token = "token-in-nguoi-dan-giu"
    Respondent.objects.filter(pk=unanswered.pk).update(token_digest=token_digest(token))
    unlink_closed_surveys(DAYS, now=NOW)
    unanswered.refresh_from_db()
    with pytest.raises(LinkInvalid):
        links.respondent_for(token)
    with pytest.raises(SurveyNotOpen, match="thời hạn lưu trữ"):
        collection.enter_paper(unanswered, levels(old, 4), user=organiser)
    with pytest.raises(SurveyNotOpen, match="thời hạn lưu trữ"):
        collection.import_answers(
            old, long_file(["p1,HDU,tiep_can,tc1,5"]), kind="long", user=organiser
        )


def test_an_imported_key_in_the_pseudonym_form_does_not_collide(organiser):
    survey = _survey(organiser, campaign(), closed_days_ago=None)
    collection.import_answers(
        survey,
        long_file(["ẩn-danh-000001,BSO,tiep_can,tc1,4", "ẩn-danh-000002,BSO,tiep_can,tc1,1"]),
        kind="long",
        user=organiser,
    )
    results.close(survey, user=organiser)
    Survey.objects.filter(pk=survey.pk).update(closed_at=NOW - dt.timedelta(days=DAYS + 1))
    before = figures(survey)
    assert unlink_closed_surveys(DAYS, now=NOW).surveys == 1
    assert figures(survey) == before


def test_the_setting_gives_the_default_period(settings):
    settings.CCHC_SURVEY_TOKEN_RETENTION_DAYS = 730
    assert survey_retention_days() == 730
    settings.CCHC_SURVEY_TOKEN_RETENTION_DAYS = None
    assert survey_retention_days() is None
    with pytest.raises(ValueError):
        unlink_closed_surveys(-1, now=timezone.now())
