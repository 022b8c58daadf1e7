"""`cchc privacy erase` applies the three retention rules, each with its own period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from retention_world import account, answered_survey, campaign, links_of, survey_world
from typer.testing import CliRunner

from cchc.cli import app
from cchc.web.accounts.models import User
from cchc.web.desk.models import Dossier
from cchc.web.ops.models import AuditEntry
from cchc.web.surveys.models import Respondent
from cchc.web.surveys.retention import is_unlinked

pytestmark = pytest.mark.django_db


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def world():
    """A dossier, an account and a survey that each ended 400 days ago, and recent ones."""
    organiser = survey_world()
    account("nguoidi", active=False, last_login=_ago(400), joined=_ago(2000))
    account("nguoimoidi", active=False, last_login=_ago(10), joined=_ago(2000))
    account("quantri", active=True, last_login=_ago(1), joined=_ago(2000), role="administrator")
    on = campaign()
    old = answered_survey(organiser, on, closed_at=_ago(400))
    recent = answered_survey(organiser, on, closed_at=_ago(10))
    # After the draws (from the 2024 ledger): one dossier ended long ago, the others lately.
    Dossier.objects.update(finished_at=_ago(10))
    Dossier.objects.filter(code="BSO-24000").update(finished_at=_ago(400))
    return {"organiser": organiser, "old": old, "recent": recent}


def _erase(*args: str):
    return CliRunner().invoke(app, ["privacy", "erase", *args])


def _state(world) -> tuple[object, ...]:
    return (
        list(Dossier.objects.order_by("code").values_list("code", "applicant_name")),
        list(User.objects.order_by("pk").values_list("username", "email", "password")),
        links_of(world["old"]),
        links_of(world["recent"]),
        AuditEntry.objects.count(),
    )


def test_without_any_period_it_refuses_and_changes_nothing(world):
    before = _state(world)
    out = _erase()
    assert out.exit_code == 2
    assert "chưa đặt thời hạn lưu trữ nào" in out.output
    assert "CCHC_ACCOUNT_RETENTION_DAYS" in out.output
    assert _state(world) == before


def test_a_dry_run_counts_all_three_rules_and_writes_nothing(world):
    before = _state(world)
    people = Respondent.objects.filter(survey=world["old"]).count()
    out = _erase("--days", "365", "--account-days", "365", "--survey-days", "365", "--dry-run")
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Sẽ xóa dữ liệu cá nhân của 1 hồ sơ kết thúc trước ")
    assert lines[1].startswith("Sẽ xóa thông tin cá nhân của 1 tài khoản đã khóa")
    assert lines[2].startswith(
        f"Sẽ xóa liên kết người trả lời ({people} người được khảo sát) của 1 cuộc khảo sát"
    )
    assert _state(world) == before


def test_each_rule_that_erased_something_writes_one_audit_entry_and_the_chain_verifies(world):
    before = AuditEntry.objects.count()
    out = _erase("--days", "365", "--account-days", "365", "--survey-days", "365")
    assert out.exit_code == 0, out.output
    assert out.output.startswith("Đã xóa dữ liệu cá nhân của 1 hồ sơ")
    assert Dossier.objects.get(code="BSO-24000").applicant_name == ""
    assert Dossier.objects.get(code="BSO-24001").applicant_name == "Nguyễn Văn An"
    assert not User.objects.filter(username="nguoidi").exists()
    assert User.objects.filter(username__in=["nguoimoidi", "quantri", "noivu"]).count() == 3
    assert is_unlinked(world["old"]) and not is_unlinked(world["recent"])
    new = AuditEntry.objects.filter(seq__gt=before).order_by("seq")
    assert [(e.action, e.object_type) for e in new] == [
        ("privacy.erase", "dossier"),
        ("privacy.erase", "user"),
        ("privacy.erase", "survey"),
    ]
    verify = CliRunner().invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0 and "toàn vẹn" in verify.output
    # Nothing left to erase: no new audit entry.
    again = _erase("--days", "365", "--account-days", "365", "--survey-days", "365")
    assert "của 0 hồ sơ" in again.output and "của 0 tài khoản" in again.output
    assert AuditEntry.objects.count() == before + 3


def test_a_rule_without_a_period_is_skipped_and_says_so(world, settings):
    settings.CCHC_ACCOUNT_RETENTION_DAYS = 365  # from the environment, like the others
    before = _state(world)
    out = _erase("--dry-run")
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == (
        "Hồ sơ: bỏ qua, chưa đặt thời hạn (--days hoặc CCHC_PERSONAL_DATA_RETENTION_DAYS)."
    )
    assert lines[1].startswith("Sẽ xóa thông tin cá nhân của 1 tài khoản")
    assert lines[2] == (
        "Khảo sát: bỏ qua, chưa đặt thời hạn (--survey-days hoặc CCHC_SURVEY_TOKEN_RETENTION_DAYS)."
    )
    assert _state(world) == before


def test_an_option_overrides_the_setting_and_negative_periods_are_refused(world, settings):
    settings.CCHC_PERSONAL_DATA_RETENTION_DAYS = 10_000
    out = _erase("--days", "365", "--dry-run")
    assert "Sẽ xóa dữ liệu cá nhân của 1 hồ sơ" in out.output
    out = _erase("--dry-run")
    assert "Sẽ xóa dữ liệu cá nhân của 0 hồ sơ" in out.output
    bad = _erase("--survey-days", "-1")
    assert bad.exit_code == 2 and "--survey-days phải là số ngày không âm" in bad.output
