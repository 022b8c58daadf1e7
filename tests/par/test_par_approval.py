"""The leader's approval before publication, as rules (cchc.par.approval)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.par.approval import (
    Approval,
    ApprovalError,
    Step,
    apply,
    effective,
    may_publish,
    publish_refusal,
    results_digest,
)


def test_the_organiser_proposes_and_the_leader_approves() -> None:
    assert apply(Approval.NONE, Step.PROPOSE) == Approval.PROPOSED
    assert apply(Approval.PROPOSED, Step.APPROVE) == Approval.APPROVED
    assert may_publish(Approval.APPROVED)


def test_a_return_needs_a_visible_reason_and_the_results_can_be_proposed_again() -> None:
    with pytest.raises(ApprovalError, match="phải ghi lý do"):
        apply(Approval.PROPOSED, Step.RETURN, reason="   ")
    returned = apply(Approval.PROPOSED, Step.RETURN, reason="Kiểm tra lại điểm KQ")
    assert returned == Approval.RETURNED
    assert apply(returned, Step.PROPOSE) == Approval.PROPOSED


@pytest.mark.parametrize("state", [Approval.NONE, Approval.PROPOSED, Approval.RETURNED, Approval.OUTDATED])
def test_only_approved_results_may_be_published(state: Approval) -> None:
    assert not may_publish(state)
    assert publish_refusal(state)


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (Approval.NONE, Step.APPROVE),  # nothing proposed
        (Approval.RETURNED, Step.APPROVE),
        (Approval.APPROVED, Step.APPROVE),
        (Approval.OUTDATED, Step.APPROVE),  # the scores changed since the proposal
        (Approval.APPROVED, Step.PROPOSE),
        (Approval.PROPOSED, Step.PROPOSE),
        (Approval.NONE, Step.WITHDRAW),
    ],
)
def test_steps_out_of_order_are_refused(state: Approval, step: Step) -> None:
    with pytest.raises(ApprovalError):
        apply(state, step, reason="lý do")


def test_a_proposal_or_approval_of_other_scores_is_outdated() -> None:
    before = results_digest([("HNH", "KQ", "55.46"), ("ANH", "KQ", "53.20")])
    after = results_digest([("HNH", "KQ", "50.00"), ("ANH", "KQ", "53.20")])
    assert effective("approved", before, before) == Approval.APPROVED
    assert effective("approved", before, after) == Approval.OUTDATED
    assert effective("proposed", before, after) == Approval.OUTDATED
    assert effective("returned", before, after) == Approval.RETURNED  # nothing to outdate
    assert apply(Approval.OUTDATED, Step.PROPOSE) == Approval.PROPOSED


@given(st.lists(st.tuples(st.text(max_size=4), st.text(max_size=4), st.text(max_size=6)), max_size=8))
def test_the_digest_ignores_row_order(rows: list[tuple[str, str, str]]) -> None:
    assert results_digest(rows) == results_digest(list(reversed(rows)))
