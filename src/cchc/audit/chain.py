"""The hash chain: ``hash(n) = SHA-256(canonical JSON of entry n's content + hash(n-1))``.

Why a chain and not a hash per row: a per-row hash can be recomputed by whoever edits the
row. With a chain, editing, deleting, inserting or reordering any entry breaks every later
link, so the only undetectable rewrite is one that recomputes the whole tail — which
``verify`` against a hash kept elsewhere (a printed or e-mailed head, ``cchc audit verify
--expect-head``) also catches.

Canonical JSON: keys sorted, no whitespace, UTF-8, ``ensure_ascii=False``, the time in
ISO 8601 UTC with milliseconds, ``None`` as ``null``. Values are stored as text, so the
same entry hashes the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

GENESIS = "0" * 64  # the "previous hash" of the first entry

CONTENT_FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "field",
    "old",
    "new",
    "reason",
)


@dataclass(frozen=True)
class Entry:
    """One audited change: who did what to which object, old and new value, and why."""

    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    field: str = ""
    old: str | None = None
    new: str | None = None
    reason: str = ""
    prev_hash: str = GENESIS
    hash: str = ""


@dataclass(frozen=True)
class Problem:
    """A break in the chain, located at the first entry where it shows."""

    seq: int
    kind: str  # "hash" | "link" | "sequence" | "head"
    message: str


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    # Milliseconds, not microseconds: Django's JSON (backups) keeps only milliseconds, and a
    # restored entry must hash as it did when it was written.
    utc = at.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def canonical_json(entry: Entry) -> str:
    """The exact text that is hashed for ``entry`` (without its own hash)."""
    content: dict[str, object] = {name: getattr(entry, name) for name in CONTENT_FIELDS}
    content["at"] = _iso(entry.at)
    content["prev_hash"] = entry.prev_hash
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: Entry) -> str:
    """SHA-256 (hex) of the canonical JSON, which includes the previous entry's hash."""
    return hashlib.sha256(canonical_json(entry).encode("utf-8")).hexdigest()


def seal(entry: Entry, previous: Entry | None) -> Entry:
    """``entry`` numbered after ``previous``, linked to it and hashed."""
    linked = replace(
        entry,
        seq=1 if previous is None else previous.seq + 1,
        prev_hash=GENESIS if previous is None else previous.hash,
        hash="",
    )
    return replace(linked, hash=entry_hash(linked))


def verify(
    entries: Iterable[Entry], expect_head: str | None = None, known_head: str | None = None
) -> list[Problem]:
    """Problems in a chain given in ``seq`` order (any iterable, streamed); ``[]`` if intact.

    The first problem names the first bad ``seq``: an edited entry fails its own hash; a
    deleted or inserted entry breaks the sequence and the link of the entry after it; a
    reordering does both. ``expect_head`` is the hash the chain must end with (the stored
    head row). ``known_head`` is a head recorded earlier and kept outside the database (a
    backup's manifest, the log, a printout): the chain must still pass through it — end
    with it, or have grown from it — which catches a rewrite of the tail with recomputed
    hashes, a deletion of the last entries, or an emptied log with its head row reset.
    """
    problems: list[Problem] = []
    previous_hash = GENESIS
    expected_seq = 1
    last = 0
    known_found = known_head is None or known_head == GENESIS
    for entry in entries:
        last = entry.seq
        if not known_found and entry.hash == known_head:
            known_found = True
        if entry.seq != expected_seq:
            problems.append(
                Problem(
                    entry.seq,
                    "sequence",
                    f"số thứ tự {entry.seq} đứng ở vị trí {expected_seq}: "
                    "có bản ghi bị xóa, chèn thêm hoặc đảo thứ tự",
                )
            )
        if entry.prev_hash != previous_hash:
            problems.append(
                Problem(
                    entry.seq,
                    "link",
                    f"bản ghi {entry.seq} không nối với bản ghi liền trước "
                    "(mã băm trước không khớp)",
                )
            )
        if entry_hash(entry) != entry.hash:
            problems.append(
                Problem(
                    entry.seq,
                    "hash",
                    f"nội dung bản ghi {entry.seq} đã bị sửa (mã băm không khớp)",
                )
            )
        previous_hash = entry.hash
        expected_seq = entry.seq + 1
    if expect_head is not None and previous_hash != expect_head:
        problems.append(
            Problem(
                last,
                "head",
                f"mã băm cuối chuỗi ({previous_hash[:12]}…) khác mã đã lưu ({expect_head[:12]}…)",
            )
        )
    if not known_found:
        assert known_head is not None
        problems.append(
            Problem(
                last,
                "head",
                f"chuỗi không còn đi qua mã băm cuối chuỗi đã lưu ({known_head[:12]}…): nhật ký "
                f"đã bị xóa bớt hoặc viết lại (hiện có {last} bản ghi)",
            )
        )
    return problems


def first_bad_seq(problems: list[Problem]) -> int | None:
    """The smallest ``seq`` named by a problem, or ``None`` when there is none."""
    return min((p.seq for p in problems), default=None)
