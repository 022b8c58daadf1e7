"""Move stored units from the demo's made-up codes to their official ids, and back.

One function does it for the data migration (``units.0003_official_codes``, with the
migration's historical models) and for ``sync_units`` (a database loaded before the
migration's data existed): the rule which code becomes which id is the core's
(``cchc.units.official``). What moves:

- ``Unit.code`` → the registry id (``HNH`` → ``543``, ``BSO`` → ``21640@2025-06-30``); the
  old code becomes a ``UnitAlias`` of the unit, so links, files and API calls that name it
  still find the unit;
- codes stored as text beside the foreign keys: a survey's answers (``Answer.unit_code``),
  its sampling plan (``Survey.plan`` keys) and a portal import's unit map
  (``PortalImport.units`` keys).

What does not move: dossier codes (``HNH-261207-0001``). They are printed on citizens'
receipts and are part of each dossier's rating key (``key_digest(code, key)``), so they stay
as issued and the public look-up finds them as before; new dossiers carry the official code
(``cchc.web.desk.services.agency_id``) and an import accepts either for the unit. The audit
log is append-only: entries written under an old code keep it, and each move appends one
entry per unit (old code, new code, who, when).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.audit import Entry, seal
from cchc.units.official import home_made_codes

_log = logging.getLogger("cchc.audit")

#: ``UnitAlias.note`` of the aliases this move creates; moving back removes only those
MIGRATION_NOTE = "mã tự đặt trước khi dùng mã chính thức (units.0003_official_codes)"
ACTION = "unit.official_code"
REASON = (
    "Chuyển sang mã đơn vị hành chính chính thức (danh mục của Tổng cục Thống kê; mã xã mới "
    "theo Quyết định 19/2025/QĐ-TTg); mã tự đặt giữ làm mã cũ để tra cứu"
)
REASON_BACK = "Hoàn tác chuyển mã chính thức: trở lại mã tự đặt"


class CodeMoveError(RuntimeError):
    """The database cannot be moved as a whole (nothing is changed)."""


@dataclass(frozen=True)
class Models:
    """The model classes the move writes: the live ones or a migration's historical ones."""

    Unit: Any
    UnitAlias: Any
    AuditEntry: Any
    AuditHead: Any
    Answer: Any = None
    Survey: Any = None
    PortalImport: Any = None

    @classmethod
    def live(cls) -> Models:
        from cchc.web.desk.models import PortalImport
        from cchc.web.ops.models import AuditEntry, AuditHead
        from cchc.web.surveys.models import Answer, Survey
        from cchc.web.units.models import Unit, UnitAlias

        return cls(Unit, UnitAlias, AuditEntry, AuditHead, Answer, Survey, PortalImport)


def _audit(m: Models, actor: str, object_id: str, old: str, new: str, reason: str) -> None:
    """Append one entry to the chain as ``cchc.web.ops.audit.record`` does, with the given
    (possibly historical) models: the head is locked, the entry sealed by the core."""
    m.AuditHead.objects.get_or_create(pk=1)
    head = m.AuditHead.objects.select_for_update().get(pk=1)
    previous = (
        Entry(seq=head.seq, at=timezone.now(), actor="", action="", object_type="", object_id="",
              hash=head.hash)
        if head.seq
        else None
    )
    entry = seal(
        Entry(seq=0, at=timezone.now(), actor=actor, action=ACTION, object_type="unit",
              object_id=object_id, field="code", old=old, new=new, reason=reason),
        previous,
    )
    m.AuditEntry.objects.create(
        seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action,
        object_type=entry.object_type, object_id=entry.object_id, field=entry.field,
        old=entry.old, new=entry.new, reason=entry.reason, prev_hash=entry.prev_hash,
        hash=entry.hash,
    )
    m.AuditHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    # The head outside the database too, as record() logs it (`cchc audit verify --expect-head`).
    transaction.on_commit(lambda: _log.info("audit #%d %s %s", entry.seq, entry.hash, entry.action))


def _rename_text(m: Models, moves: Mapping[str, str]) -> None:
    """The codes stored as text beside the foreign keys."""
    if m.Answer is not None:
        for old, new in moves.items():
            m.Answer.objects.filter(unit_code=old).update(unit_code=new)
    for model, field in ((m.Survey, "plan"), (m.PortalImport, "units")):
        if model is None:
            continue
        for row in model.objects.all():
            value = getattr(row, field) or {}
            if any(k in moves for k in value):
                setattr(row, field, {moves.get(k, k): v for k, v in value.items()})
                row.save(update_fields=[field])


def move_to_official(m: Models, actor: str = "hệ thống", aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Give every unit stored under a made-up code its official id; return {old: new}.

    Call inside a transaction (a migration is one). Refuses, before writing anything, when an
    official id is already taken by another row: two rows for one unit need a person to
    decide which keeps the campaigns and dossiers.
    """
    table = dict(aliases) if aliases is not None else home_made_codes()
    rows = list(m.Unit.objects.filter(code__in=list(table)).order_by("pk"))
    moves = {row.code: table[row.code] for row in rows}
    taken = sorted(
        m.Unit.objects.filter(code__in=list(moves.values())).values_list("code", flat=True)
    )
    if taken:
        back = {new: old for old, new in moves.items()}
        pairs = ", ".join(f"{back[c]} và {c}" for c in taken)
        raise CodeMoveError(
            f"không thể chuyển sang mã chính thức: đã có đơn vị mang mã chính thức bên cạnh "
            f"đơn vị mã cũ ({pairs}); cần hợp nhất thủ công trước"
        )
    clash = m.UnitAlias.objects.filter(alias__in=list(moves)).values_list("alias", flat=True)
    if clash:
        raise CodeMoveError(f"mã cũ {', '.join(sorted(clash))} đã là mã cũ của đơn vị khác")
    for row in rows:
        old = row.code
        row.code = moves[old]
        row.save(update_fields=["code"])
        m.UnitAlias.objects.create(alias=old, unit=row, note=MIGRATION_NOTE)
        _audit(m, actor, row.code, old, row.code, REASON)
    _rename_text(m, moves)
    return moves


def move_back(m: Models, actor: str = "hệ thống") -> dict[str, str]:
    """Undo ``move_to_official``: each unit whose alias it created takes that code again;
    return {official id: old code}. Aliases made otherwise stay."""
    moves: dict[str, str] = {}
    for alias in m.UnitAlias.objects.filter(note=MIGRATION_NOTE).select_related("unit").order_by("pk"):
        unit = alias.unit
        official, old = unit.code, alias.alias
        alias.delete()
        unit.code = old
        unit.save(update_fields=["code"])
        moves[official] = old
        _audit(m, actor, old, official, old, REASON_BACK)
    _rename_text(m, moves)
    return moves
