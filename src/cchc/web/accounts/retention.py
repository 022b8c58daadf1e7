"""Retention of the accounts of people who left (Decree 13/2023/NĐ-CP: keep personal data no
longer than the purpose needs).

ASSUMPTION (the office's decision, configurable): a person has "left" when an administrator
has deactivated the account (``is_active`` False) AND its last activity — the later of the
last log-in, the last use of one of its API tokens and, for an account never used, its
creation — is older than the period. Active accounts are never touched, however long
unused: deactivating is a person's decision, not the clock's.

The row stays, because score changes, dossier events and surveys point to it and history
must still say that an account of that role and unit acted. Its personal fields are erased:
first and last name and e-mail blanked (the model holds no phone), the password made
unusable, its API tokens revoked, and the user name replaced by the stable pseudonym
``ẩn-danh-<id>`` (user names are usually the person's name; the id keeps the pseudonym
unique and the same on every run). Django admin's log lines about the account get the
pseudonym too. The audit log is not rewritten: it is append-only and hash-chained, so past
entries keep the name the actor had then (docs/security.md).

An administrator account is kept while no active administrator exists, so an installation
is never left with only anonymised administrators. The period is
``CCHC_ACCOUNT_RETENTION_DAYS`` (Django setting) or ``--account-days``; unset = keep.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Q

from cchc.web.accounts.models import ApiToken, Role, User
from cchc.web.ops.retention import configured_days, cutoff_before, record_erasure

ERASED_FIELDS = ("username", "first_name", "last_name", "email", "password")
PSEUDONYM = "ẩn-danh-{pk}"


@dataclass(frozen=True)
class AccountErasure:
    cutoff: dt.datetime
    count: int  # accounts anonymised (or that would be, in a dry run)
    kept_administrators: int  # due, but kept: no active administrator exists


def account_retention_days() -> int | None:
    """The configured period in days, or ``None`` (keep every account)."""
    return configured_days("CCHC_ACCOUNT_RETENTION_DAYS")


def pseudonym(user: User) -> str:
    return PSEUDONYM.format(pk=user.pk)


def is_administrator(user: User) -> bool:
    return user.role == Role.ADMINISTRATOR or user.is_superuser


def last_activity(user: User, last_token_use: dt.datetime | None = None) -> dt.datetime:
    """The later of the last log-in and the last API token use; creation when neither."""
    moments = [m for m in (user.last_login, last_token_use) if m is not None]
    return max(moments) if moments else user.date_joined


def _anonymous(user: User) -> bool:
    """True when a previous run left nothing personal on the account."""
    return (
        user.username == pseudonym(user)
        and not (user.first_name or user.last_name or user.email)
        and not user.has_usable_password()
        and not ApiToken.objects.filter(user=user, revoked=False).exists()
    )


def _due(cutoff: dt.datetime) -> list[User]:
    """Deactivated accounts last active before ``cutoff`` and not anonymised yet (locked)."""
    # Locked so an administrator re-activating an account meanwhile waits for this run.
    users = list(User.objects.select_for_update().filter(is_active=False).order_by("pk"))
    token_use = dict(
        ApiToken.objects.filter(user__in=users)
        .values("user")
        .annotate(last=Max("last_used_at"))
        .values_list("user", "last")
    )
    return [
        u for u in users if last_activity(u, token_use.get(u.pk)) < cutoff and not _anonymous(u)
    ]


def _anonymise(user: User) -> None:
    user.username = pseudonym(user)
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.save(update_fields=list(ERASED_FIELDS))
    ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=user.username)


def anonymise_departed_accounts(
    days: int, *, actor: Any = None, dry_run: bool = False, now: dt.datetime | None = None
) -> AccountErasure:
    """Anonymise deactivated accounts whose last activity is more than ``days`` days old."""
    cutoff = cutoff_before(days, now)
    with transaction.atomic():
        admins_active = User.objects.filter(
            Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True
        ).exists()
        due = _due(cutoff)
        kept = [u for u in due if is_administrator(u) and not admins_active]
        erased = [u for u in due if u not in kept]
        if dry_run or not erased:
            return AccountErasure(cutoff, len(erased), len(kept))
        for user in erased:
            _anonymise(user)
        record_erasure(
            actor=actor,
            object_type="user",
            fields=",".join(ERASED_FIELDS),
            count=len(erased),
            reason=(
                f"tài khoản số {', '.join(str(u.pk) for u in erased)}: đã khóa và không hoạt "
                f"động quá {days} ngày (lần cuối trước {cutoff.isoformat()})"
            ),
        )
    return AccountErasure(cutoff, len(erased), len(kept))
