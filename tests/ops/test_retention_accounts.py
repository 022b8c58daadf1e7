"""Accounts of people who left are anonymised; the rows, and what points to them, stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from retention_world import account

from cchc.web import demo
from cchc.web.accounts.models import ApiToken, User
from cchc.web.accounts.retention import account_retention_days, anonymise_departed_accounts
from cchc.web.desk.models import Dossier, DossierEvent
from cchc.web.ops.audit import verify_stored
from cchc.web.ops.models import AuditEntry
from cchc.web.units.models import Unit

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)
DAYS = 365
CUTOFF = NOW - dt.timedelta(days=DAYS)
PERSONAL = ("username", "first_name", "last_name", "email")


def _user(
    username: str,
    *,
    active: bool,
    last_login_days_ago: int | None,
    role: str = "leader",
    joined_days_ago: int = 2000,
) -> User:
    last_login = None
    if last_login_days_ago is not None:
        last_login = NOW - dt.timedelta(days=last_login_days_ago)
    joined = NOW - dt.timedelta(days=joined_days_ago)
    return account(username, active=active, last_login=last_login, joined=joined, role=role)


def _fields(user: User) -> tuple[object, ...]:
    user.refresh_from_db()
    return (*(getattr(user, f) for f in PERSONAL), user.password, user.is_active)


@pytest.fixture
def people() -> dict[str, User]:
    return {
        "admin": _user("quantri", active=True, last_login_days_ago=1, role="administrator"),
        "left": _user("nguyenvanan", active=False, last_login_days_ago=DAYS + 1),
        "left_at_cutoff": _user("tranthibinh", active=False, last_login_days_ago=DAYS),
        "left_recently": _user("lethicuc", active=False, last_login_days_ago=30),
        "never_logged_in": _user("phamvandung", active=False, last_login_days_ago=None),
        "idle_but_active": _user("hoangvanem", active=True, last_login_days_ago=3000),
    }


def test_only_deactivated_accounts_idle_before_the_cutoff_are_anonymised(people):
    left = people["left"]
    demo.load_units(demo.DemoContext())
    dossier = Dossier.objects.create(
        code="HS-1",
        unit=Unit.objects.get(code="BSO"),
        procedure_code="CT-BS",
        channel="counter",
        status="processing",
        received_at=NOW - dt.timedelta(days=900),
    )
    event = DossierEvent.objects.create(
        dossier=dossier, event="receive", at=dossier.received_at, actor=left, to_status="processing"
    )
    ct = ContentType.objects.get_for_model(User)
    LogEntry.objects.create(
        user=people["admin"],
        content_type=ct,
        object_id=str(left.pk),
        object_repr="nguyenvanan",
        action_flag=CHANGE,
    )
    token, _raw = ApiToken.issue(left, "máy chủ báo cáo")
    untouched = {k: _fields(u) for k, u in people.items() if k not in ("left", "never_logged_in")}
    audit_before = AuditEntry.objects.count()

    outcome = anonymise_departed_accounts(DAYS, actor="quantri", now=NOW)

    assert (outcome.cutoff, outcome.count, outcome.kept_administrators) == (CUTOFF, 2, 0)
    left.refresh_from_db()
    assert (left.username, left.first_name, left.last_name, left.email) == (
        f"ẩn-danh-{left.pk}",
        "",
        "",
        "",
    )
    assert not left.has_usable_password() and not left.is_active
    assert (left.role, left.pk) == ("leader", people["left"].pk)
    token.refresh_from_db()
    assert token.revoked
    # History still says that this account (a leader) acted.
    assert DossierEvent.objects.get(pk=event.pk).actor == left
    assert LogEntry.objects.get(object_id=str(left.pk)).object_repr == f"ẩn-danh-{left.pk}"
    # Created long ago and never used: its creation is its last activity.
    assert User.objects.get(pk=people["never_logged_in"].pk).username.startswith("ẩn-danh-")
    assert {k: _fields(people[k]) for k in untouched} == untouched
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == audit_before + 1
    assert (entry.action, entry.object_type, entry.actor, entry.new) == (
        "privacy.erase",
        "user",
        "quantri",
        "2",
    )
    assert "nguyenvanan" not in entry.reason and str(left.pk) in entry.reason
    assert len(entry.field) <= AuditEntry._meta.get_field("field").max_length  # PostgreSQL
    assert verify_stored()[1] == []


def test_a_recently_used_api_token_or_a_recent_creation_counts_as_activity(people):
    token, _raw = ApiToken.issue(people["left"], "đồng bộ")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=NOW - dt.timedelta(days=10))
    User.objects.filter(pk=people["never_logged_in"].pk).update(
        date_joined=NOW - dt.timedelta(days=10)
    )
    assert anonymise_departed_accounts(DAYS, now=NOW).count == 0


def test_a_dry_run_counts_without_changing_anything_and_a_second_run_finds_nothing(people):
    before = {k: _fields(u) for k, u in people.items()}
    audit_before = AuditEntry.objects.count()
    assert anonymise_departed_accounts(DAYS, dry_run=True, now=NOW).count == 2
    assert {k: _fields(u) for k, u in people.items()} == before
    assert AuditEntry.objects.count() == audit_before
    assert anonymise_departed_accounts(DAYS, now=NOW).count == 2
    assert anonymise_departed_accounts(DAYS, now=NOW).count == 0
    assert AuditEntry.objects.count() == audit_before + 1


def test_the_last_administrator_is_kept_while_no_other_is_active(people):
    admin = people["admin"]
    User.objects.filter(pk=admin.pk).update(
        is_active=False, last_login=NOW - dt.timedelta(days=DAYS + 5)
    )
    outcome = anonymise_departed_accounts(DAYS, now=NOW)
    assert (outcome.count, outcome.kept_administrators) == (2, 1)
    assert User.objects.get(pk=admin.pk).username == "quantri"
    # Once another administrator is active, the old one may go.
    _user("quantri2", active=True, last_login_days_ago=1, role="administrator")
    outcome = anonymise_departed_accounts(DAYS, now=NOW)
    assert (outcome.count, outcome.kept_administrators) == (1, 0)
    assert User.objects.get(pk=admin.pk).username == f"ẩn-danh-{admin.pk}"


def test_the_setting_gives_the_default_period(settings):
    settings.CCHC_ACCOUNT_RETENTION_DAYS = 1095
    assert account_retention_days() == 1095
    settings.CCHC_ACCOUNT_RETENTION_DAYS = None
    assert account_retention_days() is None
    with pytest.raises(ValueError):
        anonymise_departed_accounts(-1, now=timezone.now())
