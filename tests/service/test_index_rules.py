"""Decision 766 dossier indicators, rule by rule (as the national portal scores them), on hand-made dossiers.

Period throughout: 2025-Q1 = [01/01/2025 00:00, 01/04/2025 00:00).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from ledger_builders import dossier, run_index

from cchc.service.index import IndicatorResult, ServiceIndex


def unit(result: ServiceIndex, code: str = "U1"):
    return next(u for u in result.units if u.unit_code == code)


def ind(result: ServiceIndex, key: str, code: str = "U1") -> IndicatorResult:
    return unit(result, code).indicators[key]


def on_time(record: dict) -> bool:
    """Whether the single dossier counts in 2.1's numerator."""
    r = ind(run_index([record]), "2.1")
    assert r.denominator == 1
    return r.numerator == 1


# ── scope and end time of 2.1 ──────────────────────────────────────────────────────────────


def test_finished_before_due_is_on_time_and_after_is_not():
    assert on_time(dossier(finished_at="2025-01-08 10:00"))
    assert not on_time(dossier(finished_at="2025-01-13 08:00"))


def test_finished_exactly_at_the_appointment_is_on_time():
    assert on_time(dossier(finished_at="2025-01-10 17:00"))


def test_carried_over_from_the_previous_period_is_in_scope_of_2_1_only():
    carried = dossier(received_at="2024-12-20 09:00", due_at="2025-01-06 17:00", finished_at="2025-01-03 10:00")
    result = run_index([carried, dossier(finished_at="2025-01-08 10:00")])
    assert (ind(result, "2.1").numerator, ind(result, "2.1").denominator) == (2, 2)
    # "received in period" indicators see only the dossier received in 2025.
    assert ind(result, "4.2").denominator == 1


def test_carried_over_and_late_in_the_period_is_overdue():
    assert not on_time(dossier(received_at="2024-12-20 09:00", due_at="2025-01-06 17:00", finished_at="2025-01-07 08:00"))


def test_finished_before_the_period_is_out_of_scope():
    old = dossier(received_at="2024-12-01 09:00", due_at="2024-12-10 17:00", finished_at="2024-12-30 10:00")
    result = run_index([old, dossier(finished_at="2025-01-08 10:00")])
    assert ind(result, "2.1").denominator == 1


def test_a_unit_with_only_out_of_scope_dossiers_is_not_listed():
    old = dossier(unit_code="U9", received_at="2024-12-01 09:00", due_at="2024-12-10 17:00", finished_at="2024-12-30 10:00")
    result = run_index([old, dossier(finished_at="2025-01-08 10:00")])
    assert [u.unit_code for u in result.units] == ["U1"]


def test_received_after_the_period_is_out_of_scope():
    later = dossier(received_at="2025-04-01 00:00", due_at="2025-04-10 17:00")
    result = run_index([later, dossier(finished_at="2025-01-08 10:00")])
    assert ind(result, "2.1").denominator == 1


def test_open_at_period_end_within_its_appointment_counts_as_on_time():
    assert on_time(dossier(received_at="2025-03-25 08:00", due_at="2025-04-10 17:00"))


def test_open_at_period_end_past_its_appointment_is_overdue():
    assert not on_time(dossier(received_at="2025-03-10 08:00", due_at="2025-03-20 17:00"))


def test_finished_after_the_period_is_judged_at_the_period_end():
    # Late in April, but on 31/03 it was still within its appointment of 03/04.
    assert on_time(dossier(received_at="2025-03-25 08:00", due_at="2025-04-03 17:00", finished_at="2025-04-09 08:00"))
    # Finished (early) in April but already past its appointment at the end of March.
    assert not on_time(dossier(received_at="2025-03-10 08:00", due_at="2025-03-20 17:00", finished_at="2025-04-02 08:00"))


@pytest.mark.parametrize("status", ["returned", "refused", "stopped", "withdrawn"])
def test_every_terminal_status_ends_the_clock(status):
    assert on_time(dossier(finished_at="2025-01-09 08:00", status=status))
    assert not on_time(dossier(finished_at="2025-01-11 08:00", status=status))


def test_a_dossier_without_appointment_counts_as_on_time():
    assert on_time(dossier(due_at=None, finished_at="2025-03-01 08:00"))


# ── supplements ────────────────────────────────────────────────────────────────────────────


def test_two_supplement_requests_make_a_dossier_still_waiting_for_papers_overdue():
    # Asked twice, the second request (05/03) still unanswered at the period's end: overdue,
    # although the clock stopped before the appointment.
    assert not on_time(
        dossier(
            received_at="2025-03-03 08:00", due_at="2025-03-14 17:00", supplement_count=2,
            supplement_requested_at="2025-03-05 08:00", status="supplement_requested",
        )
    )


def test_two_supplement_requests_answered_are_judged_by_the_times():
    # The portal's rule is for dossiers still waiting for papers: once the second request
    # is answered, the dossier is judged like any other (finished 06/01, due 10/01).
    assert on_time(
        dossier(
            finished_at="2025-01-06 08:00", supplement_count=2,
            supplement_requested_at="2025-01-03 08:00", supplement_completed_at="2025-01-04 08:00",
        )
    )
    # ... and is late when its times say so.
    assert not on_time(
        dossier(
            finished_at="2025-01-16 08:00", supplement_count=2,
            supplement_requested_at="2025-01-03 08:00", supplement_completed_at="2025-01-04 08:00",
        )
    )


def test_completed_supplement_subtracts_the_citizens_time():
    base = {
        "received_at": "2025-01-02 08:00", "due_at": "2025-01-10 17:00", "supplement_count": 1,
        "supplement_requested_at": "2025-01-03 08:00", "supplement_completed_at": "2025-01-08 08:00",
    }
    # Finished 14/01 09:00 minus 5 days with the citizen = 09/01 09:00: on time.
    assert on_time(dossier(**base, finished_at="2025-01-14 09:00"))
    # Finished 16/01 09:00 minus 5 days = 11/01 09:00: overdue.
    assert not on_time(dossier(**base, finished_at="2025-01-16 09:00"))


def test_pending_supplement_at_period_end_stops_the_clock_at_the_request():
    pending = {
        "received_at": "2025-03-03 08:00", "due_at": "2025-03-14 17:00", "supplement_count": 1,
        "status": "supplement_requested",
    }
    assert on_time(dossier(**pending, supplement_requested_at="2025-03-05 08:00"))
    # Asked only after the appointment had passed: the end time is still late.
    assert not on_time(dossier(**pending, supplement_requested_at="2025-03-17 08:00"))


def test_supplement_completed_after_the_period_end_counts_as_pending():
    assert on_time(
        dossier(
            received_at="2025-03-03 08:00", due_at="2025-03-14 17:00", supplement_count=1,
            supplement_requested_at="2025-03-05 08:00", supplement_completed_at="2025-04-02 08:00",
            finished_at="2025-04-20 08:00",
        )
    )


def test_supplement_requested_after_the_end_time_is_ignored():
    # Judged at 31/03 while open and late; the request of 02/04 is after the end time.
    assert not on_time(
        dossier(
            received_at="2025-03-03 08:00", due_at="2025-03-14 17:00", supplement_count=1,
            supplement_requested_at="2025-04-02 08:00",
        )
    )


# ── the received-in-period indicators and "full at ≥ X %" ──────────────────────────────────


def test_online_share_counts_only_online_eligible_procedures_and_is_full_at_half():
    rows = [
        dossier(online_eligible=True, channel="online"),
        dossier(online_eligible=True, channel="counter"),
        dossier(online_eligible=True, channel="post"),
        dossier(online_eligible=True, channel="counter"),
        dossier(online_eligible=False, channel="online"),  # not eligible: ignored
    ]
    r = ind(run_index(rows), "3.3")
    assert (r.numerator, r.denominator, r.rate) == (1, 4, Decimal("0.25"))
    assert r.points == Decimal("6.00")  # 12 × 0,25 ÷ 0,5
    rows[1]["channel"] = "online"
    assert ind(run_index(rows), "3.3").points == Decimal("12.00")  # 50 %: full
    rows[2]["channel"] = "online"
    r = ind(run_index(rows), "3.3")
    assert (r.rate, r.points) == (Decimal("0.75"), Decimal("12.00"))  # capped at the maximum


def test_paid_online_among_dossiers_with_a_fee():
    rows = [
        dossier(has_fee=True, paid_online=True),
        dossier(has_fee=True, paid_online=False),
        dossier(has_fee=True, paid_online=False),
        dossier(has_fee=False, paid_online=True),  # no fee: outside 3.6
    ]
    r = ind(run_index(rows), "3.6")
    assert (r.numerator, r.denominator, r.rate, r.points) == (1, 3, Decimal("0.3333"), Decimal("2.00"))


def test_electronic_results_among_dossiers_that_require_a_result_document():
    rows = [
        dossier(requires_result_document=True, e_result=True),
        dossier(requires_result_document=True, e_result=False),
        dossier(requires_result_document=False, e_result=True),
    ]
    r = ind(run_index(rows), "4.1")
    assert (r.numerator, r.denominator, r.rate, r.points) == (1, 2, Decimal("0.5"), Decimal("3.00"))


def test_digitised_needs_an_e_result_where_one_is_required_and_is_linear():
    rows = [
        dossier(digitised=True),
        dossier(digitised=True, requires_result_document=True, e_result=True),
        dossier(digitised=True, requires_result_document=True, e_result=False),  # not counted
        dossier(digitised=True),
        dossier(digitised=False),
    ]
    r = ind(run_index(rows), "4.2")
    assert (r.numerator, r.denominator, r.rate) == (3, 5, Decimal("0.6"))
    assert r.points == Decimal("2.40")  # 4 × 0,6: no threshold (the portal's 4.2 is linear)


def test_reused_data_is_full_at_80():
    rows = [dossier(reused_data=i < 4) for i in range(5)]
    r = ind(run_index(rows), "4.3")
    assert (r.rate, r.points) == (Decimal("0.8"), Decimal("2.00"))
    rows[3]["reused_data"] = False
    r = ind(run_index(rows), "4.3")
    assert (r.rate, r.points) == (Decimal("0.6"), Decimal("1.50"))


# ── 5.4 satisfaction ──────────────────────────────────────────────────────────────────────


def test_satisfaction_is_one_minus_overdue_and_complaint_or_dislike_rates():
    rows = [dossier(finished_at="2025-01-08 10:00") for _ in range(8)]
    rows += [dossier(finished_at="2025-01-20 10:00") for _ in range(2)]  # overdue: 20 %
    rows[0]["has_complaint"] = True
    rows[1]["rating"] = "dislike"
    rows[2]["rating"] = "dislike"
    rows[2]["has_complaint"] = True  # complaint and dislike on one dossier count once
    rows[3]["rating"] = "like"
    r = ind(run_index(rows), "5.4")
    # 1 − (0,2 + 0,3) = 0,5; points 6 × 0,5 ÷ 0,9 = 3,333… → 3,33
    assert (r.numerator, r.denominator, r.rate, r.points) == (5, 10, Decimal("0.5"), Decimal("3.33"))


def test_satisfaction_is_full_at_90_percent():
    rows = [dossier(finished_at="2025-01-08 10:00") for _ in range(9)]
    rows.append(dossier(finished_at="2025-01-08 10:00", has_complaint=True))
    assert ind(run_index(rows), "5.4").points == Decimal("6.00")


def test_satisfaction_subtracts_an_overdue_dossier_with_a_complaint_once():
    rows = [dossier(finished_at="2025-01-08 10:00") for _ in range(8)]
    rows += [dossier(finished_at="2025-01-20 10:00", has_complaint=True) for _ in range(2)]
    rows[0]["rating"] = "dislike"
    r = ind(run_index(rows), "5.4")
    # Bad: the two overdue dossiers (with complaints, counted once) and the disliked one.
    assert (r.numerator, r.denominator, r.rate) == (7, 10, Decimal("0.7"))
    assert r.points == Decimal("4.67")  # 6 × 0,7 ÷ 0,9 = 4,666…


def test_satisfaction_is_never_negative():
    rows = [dossier(finished_at="2025-01-20 10:00", has_complaint=True), dossier(finished_at="2025-01-08", has_complaint=True)]
    r = ind(run_index(rows), "5.4")
    assert (r.numerator, r.rate, r.points) == (0, Decimal("0"), Decimal("0.00"))


# ── zero denominators, totals, rounding and ranks ──────────────────────────────────────────


def test_zero_denominator_gives_no_rate_and_zero_points():
    carried_only = dossier(received_at="2024-12-20 09:00", due_at="2025-01-06 17:00", finished_at="2025-01-03 10:00")
    result = run_index([carried_only])
    u = unit(result)
    for key in ("3.3", "3.6", "4.1", "4.2", "4.3"):
        assert u.indicators[key].denominator == 0
        assert u.indicators[key].rate is None and u.indicators[key].points == 0
    assert u.points == u.indicators["2.1"].points + u.indicators["5.4"].points
    assert result.to_dict()["units"][0]["indicators"]["3.6"] == {
        "numerator": 0, "denominator": 0, "rate": None, "points": 0.0,
    }


def test_points_come_from_the_exact_rate_not_the_shown_one():
    rows = [dossier(requires_result_document=True, e_result=i == 0) for i in range(48)]
    r = ind(run_index(rows), "4.1")
    assert r.rate == Decimal("0.0208")  # 1/48 shown as 2,08 %
    assert r.points == Decimal("0.13")  # 6 × 1/48 = 0,125 → 0,13 (6 × 0,0208 would be 0,12)


def test_unit_points_are_the_sum_of_the_rounded_indicator_points():
    rows = [dossier(finished_at="2025-01-08 10:00", has_fee=True, paid_online=i == 0, reused_data=i < 2) for i in range(3)]
    u = unit(run_index(rows))
    assert u.points == sum(r.points for r in u.indicators.values())
    # The portal's groups: 3 online service (3.3), 4 online payment (3.6), 5 digitisation.
    assert u.groups["3"] == u.indicators["3.3"].points == 0
    assert u.groups["4"] == u.indicators["3.6"].points == Decimal("2.00")
    assert u.groups["5"] == sum(u.indicators[k].points for k in ("4.1", "4.2", "4.3"))
    assert u.groups["2"] + u.groups["3"] + u.groups["4"] + u.groups["5"] + u.groups["6"] == u.points


def test_ranks_are_competition_ranks_one_two_two_four():
    def good(code: str) -> dict:
        return dossier(unit_code=code, finished_at="2025-01-08 10:00")

    def late(code: str) -> dict:
        return dossier(unit_code=code, finished_at="2025-01-20 10:00")

    rows = [good("A"), good("B"), late("B"), good("C"), late("C"), late("D")]
    result = run_index(rows)
    ranks = {u.unit_code: u.rank for u in result.units}
    assert ranks == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert [u.unit_code for u in result.units] == ["A", "B", "C", "D"]


def test_periods_select_different_dossiers():
    jan = dossier(received_at="2025-01-02 08:00", finished_at="2025-01-08 10:00")
    may = dossier(received_at="2025-05-05 08:00", due_at="2025-05-12 17:00", finished_at="2025-05-20 10:00")
    rows = [jan, may]
    assert ind(run_index(rows, "2025-01"), "2.1").denominator == 1
    assert ind(run_index(rows, "2025-H1"), "2.1").denominator == 2
    assert ind(run_index(rows, "2025"), "2.1").numerator == 1
    assert run_index(rows, "2025-Q2").units[0].indicators["2.1"].denominator == 1
