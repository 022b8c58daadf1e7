"""Write and verify the stored audit chain.

``record(...)`` is what other modules call, inside the transaction that makes the change,
so the change and its audit entry commit or roll back together::

    from cchc.web.ops.audit import record
    record(actor=request.user, action="dossier.return", object_type="dossier",
           object_id=dossier.code, field="status", old="processing", new="returned")
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.audit import GENESIS, Entry, Problem, seal, verify
from cchc.web.ops.models import AuditEntry, AuditHead

log = logging.getLogger("cchc.audit")


def _actor(actor: Any) -> str:
    if actor is None:
        return "hệ thống"
    if isinstance(actor, str):
        return actor
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return "ẩn danh"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _link(seq: int, hash_: str) -> Entry:
    # ``seal`` needs only the previous entry's seq and hash.
    return Entry(
        seq=seq, at=timezone.now(), actor="", action="", object_type="", object_id="", hash=hash_
    )


def record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: object,
    field: str = "",
    old: object = None,
    new: object = None,
    reason: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the audit chain; call it inside the changing transaction.

    ``actor`` is a user, a user name, or ``None`` for the system; values are stored as text.
    """
    with transaction.atomic():
        # The no-op UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite) before
        # the head is read, so concurrent appenders queue here instead of racing for a seq.
        if not AuditHead.objects.filter(pk=1).update(seq=F("seq")):
            AuditHead.objects.get_or_create(pk=1)  # migration 0002 creates it; a flush may not
        head = AuditHead.objects.select_for_update().get(pk=1)
        previous = _link(head.seq, head.hash) if head.seq else None
        entry = seal(
            Entry(
                seq=0,
                at=at or timezone.now(),
                actor=_actor(actor)[:150],
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                field=field,
                old=_text(old),
                new=_text(new),
                reason=reason or "",
            ),
            previous,
        )
        row = AuditEntry.objects.create(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            field=entry.field,
            old=entry.old,
            new=entry.new,
            reason=entry.reason,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )
        AuditHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
        # The head, outside the database too (the journal of `cchc serve`, a command's
        # stderr): `cchc audit verify --expect-head` detects an emptied or rewritten log.
        transaction.on_commit(
            lambda: log.info("audit #%d %s %s", entry.seq, entry.hash, entry.action)
        )
        return row


def to_entry(row: AuditEntry) -> Entry:
    """The pure ``Entry`` of a stored row."""
    return Entry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        field=row.field,
        old=row.old,
        new=row.new,
        reason=row.reason,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def stored_entries(chunk_size: int = 2000) -> Iterator[Entry]:
    """Every stored entry in ``seq`` order, streamed."""
    for row in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        yield to_entry(row)


def verify_stored(expect_head: str | None = None) -> tuple[int, list[Problem]]:
    """(number of entries, problems) for the stored chain.

    The chain's end is compared with the ``AuditHead`` row, which catches deleted last
    entries. ``expect_head`` is a head recorded earlier outside the database (``cchc audit
    verify --expect-head``, a backup's manifest, the ``cchc.audit`` log line): the chain must
    still pass through it, which also catches an emptied log whose head row was reset.
    """
    count = 0

    def counted() -> Iterator[Entry]:
        nonlocal count
        for entry in stored_entries():
            count += 1
            yield entry

    head = AuditHead.objects.filter(pk=1).first()
    stored_head = head.hash if head and head.seq else GENESIS
    problems = verify(counted(), expect_head=stored_head, known_head=expect_head)
    return count, problems


def head() -> tuple[int, str]:
    """(last seq, its hash): print it and keep it elsewhere to detect a rewritten tail."""
    row = AuditHead.objects.filter(pk=1).first()
    return (row.seq, row.hash) if row else (0, GENESIS)
