"""Circular 01/2018 per-dossier score: indicators 1 and 7 from the ledger, unit bands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from ledger_builders import dossier, ledger

from cchc.service.circular01 import classify_unit, scheme, unit_quality
from cchc.service.engines import duckdb_from_arrow


def quality(rows, **kw):
    return unit_quality(duckdb_from_arrow(ledger(rows)), "2025-Q1", **kw)


def test_time_and_attitude_points_are_averaged_to_one_decimal():
    rows = [
        dossier(finished_at="2025-01-08 10:00"),  # early: 2 / 2
        dossier(finished_at="2025-01-10 16:00"),  # on time (the appointment's day): 1 / 1
        dossier(finished_at="2025-01-13 10:00"),  # overdue: 0 / 0
        dossier(finished_at="2025-01-08 10:00", has_complaint=True),  # early, complaint: 2 / 0
        dossier(finished_at="2025-01-08 10:00", status="refused"),  # not scored: no result
        dossier(),  # open: not scored
    ]
    (unit,) = quality(rows)
    assert unit.dossiers == 4
    assert unit.means == {1: Decimal("1.3"), 7: Decimal("0.8")}  # 5/4 = 1,25 → 1,3; 3/4 → 0,8
    assert unit.total is None and unit.band is None  # 2 of 9 indicators: no classification


def test_overdue_attitude_is_configurable():
    rows = [dossier(finished_at="2025-01-13 10:00")]
    assert quality(rows)[0].means[7] == Decimal("0.0")
    assert quality(rows, overdue_attitude=1)[0].means[7] == Decimal("1.0")


def test_with_the_other_seven_indicators_a_unit_is_classified():
    rows = [dossier(finished_at="2025-01-08 10:00")]
    others = {"U1": dict.fromkeys((2, 3, 4, 5, 6, 8, 9), 1.5)}
    (unit,) = quality(rows, other_means=others)
    assert unit.total == Decimal("2.0") * 2 + Decimal("1.5") * 7  # 14,5
    assert unit.band == "Tốt"


@pytest.mark.parametrize(
    ("total", "band"),
    [(18, "Xuất sắc"), (15, "Xuất sắc"), (14.9, "Tốt"), (12, "Tốt"), (11.9, "Khá"), (9, "Khá"),
     (8.9, "Trung bình"), (6, "Trung bình"), (5.9, "Yếu"), (0, "Yếu")],
)
def test_unit_bands_of_article_15(total, band):
    assert classify_unit(total) == band


def test_the_indicators_without_data_are_listed_honestly():
    assert set(scheme().missing_indicators) == {2, 3, 4, 5, 6, 8, 9}
