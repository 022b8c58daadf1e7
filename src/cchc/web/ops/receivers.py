"""Signal receivers that put other modules' recorded changes on the audit chain.

The campaign services write a ``ScoreChange`` row for every changed field inside their
transaction; ``post_save`` runs inside that same transaction, so the score, its history
row and the audit entry commit or roll back together. Modules without such a history
model call ``cchc.web.ops.audit.record`` themselves. Desk actions are audited the same way
through their ``DossierEvent`` rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def _score_change_saved(
    sender: type, instance: Any, created: bool, raw: bool = False, **_: Any
) -> None:
    if not created or raw:  # raw: loaddata during a restore replays rows, not changes
        return
    from cchc.web.ops.audit import record

    record(
        actor=instance.user,
        action=f"score.{instance.field}",
        object_type="criterion_score",
        object_id=instance.criterion_score_id,
        field=instance.field,
        old=instance.old,
        new=instance.new,
        reason=instance.reason,
        at=instance.at,
    )


def _dossier_event_saved(
    sender: type, instance: Any, created: bool, raw: bool = False, **_: Any
) -> None:
    # Desk actions (receive, supplement, refuse, apologise, transfer, finish, return, rate)
    # each write one DossierEvent; bulk imports write theirs with bulk_create (no signal).
    if not created or raw:
        return
    from cchc.web.ops.audit import record

    record(
        actor=instance.actor,
        action=f"dossier.{instance.event}",
        object_type="dossier",
        object_id=instance.dossier.code,
        field="status",
        old=instance.from_status or None,
        new=instance.to_status,
        reason=instance.note,
        at=instance.recorded_at,
    )


def connect() -> None:
    """Connect the receivers for the models that exist in this installation."""
    from django.apps import apps

    if apps.is_installed("cchc.web.campaigns"):
        score_change = apps.get_model("campaigns", "ScoreChange")
        post_save.connect(
            _score_change_saved, sender=score_change, dispatch_uid="ops.audit.score_change"
        )
    if apps.is_installed("cchc.web.desk"):
        event = apps.get_model("desk", "DossierEvent")
        post_save.connect(
            _dossier_event_saved, sender=event, dispatch_uid="ops.audit.dossier_event"
        )
