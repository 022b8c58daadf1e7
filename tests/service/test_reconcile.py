"""Reconciliation: the unit's ledger against the portal's counts of the same period."""

from __future__ import annotations

from decimal import Decimal

from ledger_builders import dossier, ledger, run_index

from cchc.service import reconcile as rc
from cchc.service.period import parse_period
from cchc.service.portal766 import Count

Q1 = parse_period("2025-Q1")


def rows() -> list[dict[str, object]]:
    return [
        dossier(dossier_code="U1-250102-0001", received_at="2025-01-02 08:00", finished_at="2025-01-05 10:00"),
        dossier(dossier_code="U1-250103-0002", received_at="2025-01-03 08:00", finished_at="2025-01-20 10:00"),
        dossier(dossier_code="U1-250330-0003", received_at="2025-03-30 08:00", due_at="2025-04-10 17:00",
                has_fee=True, paid_online=True),
        dossier(dossier_code="U1-250331-0004", received_at="2025-03-31 16:00", due_at="2025-04-10 17:00",
                digitised=True),
    ]


def members() -> list[rc.Member]:
    return rc.ledger_members(ledger(rows()), Q1)


def test_the_ledgers_counts_are_the_index_counts() -> None:
    counts = {(c.unit_code, c.indicator): (c.numerator, c.denominator) for c in rc.member_counts(members())}
    index = run_index(rows()).units[0].indicators
    for ind in ("2.1", "3.6", "4.1", "4.2", "4.3", "5.4"):
        assert counts[("U1", ind)] == (index[ind].numerator, index[ind].denominator), ind


def test_more_here_than_in_the_portals_denominator_is_not_synchronised_newest_first() -> None:
    ours = rc.member_counts(members(), {"U1": "Sở Tư pháp"})
    portal = [Count("H44.20", "Sở Tư pháp", "2.1", 2, 2), Count("H44.20", "Sở Tư pháp", "4.2", 1, 4)]
    result = rc.reconcile("2025-Q1", ours, portal, members(), {"U1": "H44.20"})
    by = {line.indicator: line for line in result.lines}
    late = by["2.1"]
    assert (late.ours_numerator, late.ours_denominator) == (3, 4)
    assert (late.portal_numerator, late.portal_denominator) == (2, 2)
    assert (late.numerator_difference, late.denominator_difference) == (1, 2)
    assert late.status == rc.NOT_SYNCED
    assert late.dossiers == ("U1-250331-0004", "U1-250330-0003")  # received last, checked first
    assert by["4.2"].status == rc.SAME
    assert by["3.6"].status == rc.ONLY_HERE  # the portal file had no payment tree


def test_the_same_dossiers_judged_differently_list_the_ledgers_side() -> None:
    ours = rc.member_counts(members())
    portal = [Count("U1", "U1", "2.1", 4, 4)]  # the portal counts all four on time
    [line] = [x for x in rc.reconcile("2025-Q1", ours, portal, members()).lines if x.indicator == "2.1"]
    assert line.status == rc.JUDGED_DIFFERENTLY
    assert line.dossiers == ("U1-250103-0002",)  # the one the ledger counts late


def test_fewer_here_means_dossiers_missing_from_the_ledger() -> None:
    ours = rc.member_counts(members())
    portal = [Count("U1", "U1", "4.2", 1, 10)]
    [line] = [x for x in rc.reconcile("2025-Q1", ours, portal, members()).lines if x.indicator == "4.2"]
    assert line.status == rc.MISSING_HERE
    assert line.denominator_difference == -6


def test_received_against_the_portals_synchronised_dossiers() -> None:
    ours = rc.member_counts(members())
    portal = [Count("U1", "U1", "1.4", 3, 3)]
    [sync] = [x for x in rc.reconcile("2025-Q1", ours, portal, members()).lines if x.indicator == "1.4"]
    assert sync.status == rc.NOT_SYNCED
    assert sync.dossiers == ("U1-250331-0004",)


def test_units_only_on_the_portal_are_listed_and_numbers_stay_numbers() -> None:
    result = rc.reconcile("2025-Q1", [], [Count("H44.01", "VP UBND", "2.1", Decimal(5), 6)])
    [line] = result.lines
    assert line.status == rc.ONLY_PORTAL
    doc = rc.to_dict(result)
    assert doc["lines"][0]["portal"] == {"numerator": 5, "denominator": 6}
    assert rc.rows(result)[0][5] == 5
