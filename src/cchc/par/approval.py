"""The leader's approval of a campaign's results before publication, as a pure state machine.

The home-affairs office (the organiser) proposes the appraised results for publication; the
leader of the organising body approves them or returns them with a reason; only approved
results are published. An approval covers exactly the results the leader was shown: the
proposal stores a fingerprint of every final score (``results_digest``), and a proposal or
an approval whose fingerprint no longer matches the scores is ``OUTDATED`` — it must be
proposed (and approved) again. The web keeps the state on the campaign and records every
step in the audit chain; this module only says what may happen next.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from enum import StrEnum
from typing import Final


class Approval(StrEnum):
    """Where a campaign's results stand with the leader."""

    NONE = "none"  # never proposed, or withdrawn (the phase changed)
    PROPOSED = "proposed"
    APPROVED = "approved"
    RETURNED = "returned"
    # Never stored: a proposal or approval whose scores changed since it was made.
    OUTDATED = "outdated"


class Step(StrEnum):
    PROPOSE = "propose"
    APPROVE = "approve"
    RETURN = "return"
    WITHDRAW = "withdraw"


APPROVAL_LABELS: Final = {
    Approval.NONE: "Chưa đề nghị phê duyệt",
    Approval.PROPOSED: "Chờ lãnh đạo phê duyệt",
    Approval.APPROVED: "Lãnh đạo đã phê duyệt",
    Approval.RETURNED: "Lãnh đạo trả lại",
    Approval.OUTDATED: "Điểm đã thay đổi sau khi đề nghị: cần đề nghị phê duyệt lại",
}

STEP_LABELS: Final = {
    Step.PROPOSE: "đề nghị phê duyệt",
    Step.APPROVE: "phê duyệt",
    Step.RETURN: "trả lại",
    Step.WITHDRAW: "hủy đề nghị",
}

# (state, step) → the next state. Anything else is refused.
TRANSITIONS: Final[dict[tuple[Approval, Step], Approval]] = {
    (Approval.NONE, Step.PROPOSE): Approval.PROPOSED,
    (Approval.RETURNED, Step.PROPOSE): Approval.PROPOSED,
    (Approval.OUTDATED, Step.PROPOSE): Approval.PROPOSED,
    (Approval.PROPOSED, Step.APPROVE): Approval.APPROVED,
    (Approval.PROPOSED, Step.RETURN): Approval.RETURNED,
    (Approval.PROPOSED, Step.WITHDRAW): Approval.NONE,
    (Approval.APPROVED, Step.WITHDRAW): Approval.NONE,
    (Approval.RETURNED, Step.WITHDRAW): Approval.NONE,
    (Approval.OUTDATED, Step.WITHDRAW): Approval.NONE,
}


class ApprovalError(ValueError):
    """A step the approval rules do not allow now; the message is Vietnamese."""


def results_digest(rows: Iterable[tuple[str, str, str]]) -> str:
    """A fingerprint of the results: (unit code, node code, final value as text) rows, in
    any order. Two sets of rows with the same values give the same digest."""
    h = hashlib.sha256()
    for unit, node, value in sorted(rows):
        h.update(f"{unit}\x1f{node}\x1f{value}\x1e".encode())
    return h.hexdigest()


def effective(state: str, proposed_digest: str, current_digest: str) -> Approval:
    """The state as it stands now: a proposal or approval of other scores is ``OUTDATED``."""
    stored = Approval(state)
    if stored in (Approval.PROPOSED, Approval.APPROVED) and proposed_digest != current_digest:
        return Approval.OUTDATED
    return stored


def apply(state: Approval, step: Step, *, reason: str = "") -> Approval:
    """The state after ``step``; ``ApprovalError`` when the step is not allowed now. A
    return needs a reason (the organiser must read why)."""
    if step == Step.RETURN and not reason.strip():
        raise ApprovalError("Trả lại kết quả: phải ghi lý do để cơ quan tổ chức biết cần sửa gì.")
    after = TRANSITIONS.get((state, step))
    if after is None:
        raise ApprovalError(_refusal(state, step))
    return after


def _refusal(state: Approval, step: Step) -> str:
    if step in (Step.APPROVE, Step.RETURN):
        if state == Approval.OUTDATED:
            return (
                "Điểm đã thay đổi sau khi cơ quan tổ chức đề nghị; chờ đề nghị mới rồi mới "
                f"{STEP_LABELS[step]}."
            )
        return f"Không có đề nghị nào đang chờ {STEP_LABELS[step]}."
    if step == Step.PROPOSE:
        return "Kết quả đang chờ hoặc đã được phê duyệt; không cần đề nghị lại."
    return "Không có đề nghị nào để hủy."


def may_publish(state: Approval) -> bool:
    """Only results the leader approved, unchanged since, are published."""
    return state == Approval.APPROVED


def publish_refusal(state: Approval) -> str:
    """Why results in ``state`` cannot be published (for the page and the service)."""
    if state == Approval.OUTDATED:
        return (
            "Điểm đã thay đổi sau khi đề nghị phê duyệt; phải đề nghị lãnh đạo phê duyệt lại "
            "trước khi công bố."
        )
    if state == Approval.PROPOSED:
        return "Kết quả đang chờ lãnh đạo phê duyệt; chưa thể công bố."
    if state == Approval.RETURNED:
        return "Lãnh đạo đã trả lại kết quả; sửa theo ý kiến rồi đề nghị phê duyệt lại."
    return "Kết quả chưa được lãnh đạo phê duyệt; hãy đề nghị phê duyệt trước khi công bố."
