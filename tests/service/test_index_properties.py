"""Properties of the index arithmetic: rates, points, totals and ranks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ledger_builders import dossier, ledger

from cchc.service.engines import LedgerError, compute_index, duckdb_from_arrow, duckdb_index
from cchc.service.index import INDICATOR_IDS, score
from cchc.service.portal766 import competition_ranks, indicator
from cchc.service.portal766 import score as indicator_score

INDICATORS = {key: indicator(key) for key in INDICATOR_IDS}


@given(st.lists(st.integers(0, 50), min_size=1, max_size=30))
def test_competition_ranks(values):
    decimals = [Decimal(v) for v in values]
    ranks = competition_ranks(decimals)
    for value, rank in zip(decimals, ranks, strict=True):
        # A unit's rank is one more than the number of units strictly ahead of it.
        assert rank == 1 + sum(other > value for other in decimals)


@given(key=st.sampled_from(sorted(INDICATORS)), den=st.integers(1, 10**7), data=st.data())
def test_rate_and_points_are_rounded_half_up_and_bounded(key, den, data):
    num = data.draw(st.integers(0, den))
    ind = INDICATORS[key]
    r = indicator_score(ind, num, den)
    exact = Decimal(num) / Decimal(den)
    assert r.rate is not None
    assert abs(r.rate - exact) <= Decimal("0.00005")
    assert Decimal(0) <= r.points <= ind.max
    if ind.full_at is not None and exact >= ind.full_at:
        assert r.points == ind.max
    rate = exact if ind.rate_places is None else r.rate
    share = rate if ind.full_at is None else min(Decimal(1), rate / ind.full_at)
    # Half-up from the (exact, or for online payment the shown) rate: within half a cent.
    assert abs(r.points - ind.max * share) <= Decimal("0.005")


@given(st.integers(0, 100))
def test_zero_denominator_is_no_rate_and_zero_points(num):
    r = indicator_score(INDICATORS["2.1"], num, 0)
    assert (r.rate, r.points) == (None, Decimal("0.00"))


@given(
    st.lists(
        st.fixed_dictionaries(
            {k: st.integers(0, 30) for k in ("in_scope", "received")}
        ).flatmap(
            lambda base: st.fixed_dictionaries(
                {
                    "in_scope": st.just(base["in_scope"] + base["received"]),
                    "received": st.just(base["received"]),
                    "on_time": st.integers(0, base["in_scope"] + base["received"]),
                    "satisfied": st.integers(0, base["in_scope"] + base["received"]),
                    **{k: st.integers(0, base["received"]) for k in ("eligible", "with_fee", "need_result", "digitised", "reused")},
                    **{k: st.just(0) for k in ("online", "paid_online", "e_result")},
                }
            )
        ),
        min_size=1,
        max_size=8,
    )
)
def test_unit_points_are_the_sum_of_rounded_indicator_points(rows):
    named = [{"unit_code": f"U{i}", **row} for i, row in enumerate(rows)]
    result = score(named, "2025")
    for unit in result.units:
        assert unit.points == sum((r.points for r in unit.indicators.values()), Decimal(0))
        assert unit.points == sum(unit.groups.values(), Decimal(0))
    assert [u.rank for u in result.units] == sorted(u.rank for u in result.units)


def test_a_parquet_ledger_with_bad_values_is_refused_not_miscounted(tmp_path):
    path = tmp_path / "bad.parquet"
    pq.write_table(ledger([dossier(), dossier(status="done"), dossier(channel="fax")]), path)
    with pytest.raises(LedgerError, match="2 hồ sơ"):
        duckdb_index(path, "2025-Q1")


def test_invalid_values_outside_the_period_do_not_stop_the_period(tmp_path):
    # The whole-ledger check finds the bad status of 2024; the in-period count then says
    # 2025-Q1 has none, and the index is the Ibis backend's.
    path = tmp_path / "old-bad.parquet"
    rows = [dossier(), dossier(unit_code="U2"), dossier(received_at="2024-03-01 08:00",
            due_at="2024-03-08 17:00", finished_at="2024-03-05 10:00", status="done")]
    pq.write_table(ledger(rows), path)
    fast = duckdb_index(path, "2025-Q1")
    assert fast is not None
    assert fast.to_dict() == compute_index(duckdb_from_arrow(ledger(rows)), "2025-Q1").to_dict()
    with pytest.raises(LedgerError, match="1 hồ sơ"):
        duckdb_index(path, "2024")


@pytest.mark.parametrize(
    "bad", [{"status": None}, {"status": "Finished"}, {"channel": None}, {"channel": "fax"}, {"unit_code": None}]
)
def test_every_invalid_value_is_found_by_the_whole_ledger_check(bad, tmp_path):
    # Another system's Parquet file: the interchange types, but columns that allow nulls.
    schema = pa.schema([f.with_nullable(True) for f in ledger([dossier()]).schema])
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist([dossier(), dossier(**bad)], schema=schema), path)
    with pytest.raises(LedgerError, match="1 hồ sơ"):
        duckdb_index(path, "2025-Q1")


def test_a_valid_ledger_gives_the_same_counts_with_and_without_the_in_period_check():
    from cchc.service import compiled
    from cchc.service.engines import run_compiled

    table = ledger([dossier(), dossier(unit_code="U2", channel="online", online_eligible=True),
                    dossier(finished_at="2025-01-08 10:00", has_complaint=True)])
    bounds = {"start": dt.datetime(2025, 1, 1), "end": dt.datetime(2025, 4, 1)}
    checked = run_compiled(table, compiled.INDEX.template(), bounds)
    unchecked = run_compiled(table, compiled.INDEX_UNCHECKED.template(), bounds)
    assert checked is not None and unchecked is not None
    def by_unit(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda row: row["unit_code"])  # a GROUP BY has no order

    assert by_unit([{**row, "invalid": 0} for row in unchecked]) == by_unit(checked)
    assert sum(row["in_scope"] for row in checked) == 3
