"""Totals while a unit is still scoring (its self-assessment page and report): per component
and in all, by the same roll-up that ranks (docs/par.md, "Values at any level")."""

from __future__ import annotations

import pytest

from cchc.par.tree import Subtotal, grand_total, roll_up, subtotals
from cchc.par.values import NOT_APPLICABLE

# The ``tree`` fixture: A (A1 20 + A2 40 = 60) and B (40).


def test_a_component_sums_what_is_given_and_counts_what_is_missing(tree):
    rows, total = subtotals(tree, {"A1": 15.5})
    assert rows == [Subtotal("A", rows[0].name, 15.5, 60.0, 60.0, ("A2",)), Subtotal("B", rows[1].name, None, 40.0, 40.0, ("B",))]
    assert (total.score, total.max, total.applicable_max, total.missing) == (15.5, 100.0, 100.0, ("A2", "B"))


def test_a_criterion_that_does_not_apply_leaves_the_applicable_maximum_not_the_framework_maximum(tree):
    rows, total = subtotals(tree, {"A1": 10.0, "A2": NOT_APPLICABLE, "B": 30.0})
    a = rows[0]
    assert (a.score, a.max, a.applicable_max, a.missing) == (10.0, 60.0, 20.0, ())
    assert (total.score, total.max, total.applicable_max) == (40.0, 100.0, 60.0)


def test_left_out_components_count_neither_as_points_maxima_nor_missing(tree):
    rows, total = subtotals(tree, {"A1": 20.0, "A2": 30.0, "B": 35.0}, leave_out={"B"})
    assert [r.code for r in rows] == ["A"]
    assert (total.score, total.max, total.applicable_max, total.missing) == (50.0, 60.0, 60.0, ())


def test_nothing_given_is_no_score_rather_than_zero(tree):
    _, total = subtotals(tree, {})
    assert total.score is None and total.missing == ("A1", "A2", "B")


@pytest.mark.parametrize("values", [{"A1": 20.0, "A2": 40.0, "B": 40.0}, {"A1": 12.25, "A2": NOT_APPLICABLE, "B": 33.5}])
def test_a_complete_unit_totals_as_the_ranking_does(tree, values):
    rolled, _ = roll_up(tree, values)
    _, total = subtotals(tree, values)
    assert (total.score, total.applicable_max) == grand_total(tree, rolled)
