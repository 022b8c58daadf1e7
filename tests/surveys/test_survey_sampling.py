"""Stratified draw of respondents from the dossier ledger: sizes, proportions, reproducibility."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.surveys import (
    SurveyInputError,
    allocate,
    draw_sample,
    parse_period,
    sample_size,
    token_digest,
)

YEAR_2025 = parse_period("2025")


def ledger(
    spec: dict[tuple[str, str], int], *, extra: list[dict] | None = None, shuffle: int | None = None
) -> pa.Table:
    """``spec`` maps (unit, procedure) to a number of dossiers finished in 2025."""
    rows: list[dict] = []
    for (unit, procedure), count in spec.items():
        for i in range(count):
            rows.append(
                {
                    "dossier_code": f"{unit}-{procedure}-{i:05d}",
                    "unit_code": unit,
                    "procedure_code": procedure,
                    "received_at": dt.datetime(2025, 1, 2, 8),
                    "finished_at": dt.datetime(2025, 1, 1) + dt.timedelta(hours=7 * i % 8000),
                    "status": "finished" if i % 2 else "returned",
                }
            )
    rows.extend(extra or [])
    if shuffle is not None:
        random.Random(shuffle).shuffle(rows)
    return pa.Table.from_pylist(rows)


def drawn_codes(sample, role: str = "sample") -> list[str]:
    return sorted(r.dossier_code for r in sample.respondents if r.role == role)


def test_each_unit_gets_its_own_sample_size():
    sample = draw_sample(
        ledger({("A", "P1"): 1000, ("B", "P1"): 100, ("C", "P1"): 3}), YEAR_2025, seed=1
    )
    taken = Counter(r.unit_code for r in sample.respondents if r.role == "sample")
    assert taken == {"A": sample_size(1000), "B": sample_size(100), "C": 3}
    assert taken["A"] == 286


def test_only_dossiers_finished_in_the_period_are_respondents():
    extra = [
        {
            "dossier_code": "open",
            "unit_code": "A",
            "procedure_code": "P1",
            "received_at": None,
            "finished_at": None,
            "status": "processing",
        },
        {
            "dossier_code": "refused",
            "unit_code": "A",
            "procedure_code": "P1",
            "received_at": None,
            "finished_at": dt.datetime(2025, 3, 1),
            "status": "refused",
        },
        {
            "dossier_code": "last-year",
            "unit_code": "A",
            "procedure_code": "P1",
            "received_at": None,
            "finished_at": dt.datetime(2024, 12, 31, 16),
            "status": "finished",
        },
        {
            "dossier_code": "new-year-eve",
            "unit_code": "A",
            "procedure_code": "P1",
            "received_at": None,
            "finished_at": dt.datetime(2025, 12, 31, 23, 59),
            "status": "FINISHED",
        },
    ]
    sample = draw_sample(ledger({("A", "P1"): 2}, extra=extra), YEAR_2025, seed=1)
    assert sample.strata[0].population == 3
    assert drawn_codes(sample) == ["A-P1-00000", "A-P1-00001", "new-year-eve"]


def test_timestamps_as_iso_text_and_with_a_time_zone_are_read_as_local_time():
    table = pa.Table.from_pylist(
        [
            {
                "dossier_code": "a",
                "unit_code": "A",
                "procedure_code": "P",
                "finished_at": "2025-01-01T08:00:00",
                "status": "finished",
            },
            # 31/12/2024 18:00 UTC is 01/01/2025 01:00 in Hà Nội: inside 2025.
            {
                "dossier_code": "b",
                "unit_code": "A",
                "procedure_code": "P",
                "finished_at": "2024-12-31T18:00:00+00:00",
                "status": "finished",
            },
            {
                "dossier_code": "c",
                "unit_code": "A",
                "procedure_code": "P",
                "finished_at": "2024-12-31T16:00:00",
                "status": "finished",
            },
        ]
    )
    assert drawn_codes(draw_sample(table, YEAR_2025, seed=3)) == ["a", "b"]


def test_same_seed_same_people_whatever_the_row_order_new_tokens_each_time():
    spec = {("A", "P1"): 500, ("A", "P2"): 120, ("B", "P1"): 80}
    first = draw_sample(ledger(spec), YEAR_2025, seed=42, by_procedure=True)
    again = draw_sample(ledger(spec, shuffle=7), YEAR_2025, seed=42, by_procedure=True)
    assert drawn_codes(first) == drawn_codes(again)
    assert drawn_codes(first, "reserve") == drawn_codes(again, "reserve")
    assert {r.token for r in first.respondents}.isdisjoint({r.token for r in again.respondents})
    other = draw_sample(ledger(spec), YEAR_2025, seed=43, by_procedure=True)
    assert drawn_codes(first) != drawn_codes(other)


def test_adding_a_unit_does_not_change_the_other_units_draw():
    alone = draw_sample(ledger({("A", "P1"): 300}), YEAR_2025, seed=5)
    together = draw_sample(ledger({("A", "P1"): 300, ("B", "P1"): 50}), YEAR_2025, seed=5)
    assert drawn_codes(alone) == [c for c in drawn_codes(together) if c.startswith("A-")]


def test_procedure_strata_get_proportional_shares():
    # N = 1000 → n = 286; quotas 171,6 / 85,8 / 28,6 → floors 171 / 85 / 28 (284), the two
    # left go to the largest remainders: P2 (0,8) then P1 (0,6, ahead of P3 by code).
    sample = draw_sample(
        ledger({("A", "P1"): 600, ("A", "P2"): 300, ("A", "P3"): 100}),
        YEAR_2025,
        seed=9,
        by_procedure=True,
    )
    shares = {p.stratum: p.sample for p in sample.strata}
    assert shares == {"P1": 172, "P2": 86, "P3": 28}
    taken = Counter(r.procedure_code for r in sample.respondents if r.role == "sample")
    assert taken == shares


def test_reserve_list_per_stratum_is_disjoint_ordered_and_capped():
    sample = draw_sample(
        ledger({("A", "P1"): 100, ("A", "P2"): 4}), YEAR_2025, seed=1, by_procedure=True
    )
    plans = {p.stratum: p for p in sample.strata}
    # n(104) = ⌈104 / 1,26⌉ = 83; P1 gets 80 → reserve ⌈40⌉ capped at 100 − 80 = 20.
    assert (plans["P1"].sample, plans["P1"].reserve) == (80, 20)
    # P2 gets 3 → reserve ⌈1,5⌉ = 2, capped at the 1 dossier left.
    assert (plans["P2"].sample, plans["P2"].reserve) == (3, 1)
    assert set(drawn_codes(sample)).isdisjoint(drawn_codes(sample, "reserve"))
    orders = [r.order for r in sample.respondents if r.role == "reserve" and r.stratum == "P1"]
    assert orders == list(range(1, 21))


def test_tokens_are_unique_url_safe_and_digestible():
    sample = draw_sample(ledger({("A", "P1"): 200}), YEAR_2025, seed=1)
    tokens = [r.token for r in sample.respondents]
    assert len(set(tokens)) == len(tokens)
    assert all(len(t) >= 20 and t.replace("-", "").replace("_", "").isalnum() for t in tokens)
    assert len(token_digest(tokens[0])) == 64 and token_digest(tokens[0]) != token_digest(tokens[1])


def test_ledger_errors_name_row_and_column():
    table = pa.Table.from_pylist(
        [
            {
                "dossier_code": "a",
                "unit_code": "A",
                "procedure_code": "P",
                "finished_at": "2025-01-01",
                "status": "finished",
            },
            {
                "dossier_code": "a",
                "unit_code": "A",
                "procedure_code": "P",
                "finished_at": "2025-01-02",
                "status": "finished",
            },
            {
                "dossier_code": "c",
                "unit_code": "A",
                "procedure_code": "P",
                "finished_at": "hôm qua",
                "status": "finished",
            },
            {
                "dossier_code": "d",
                "unit_code": "",
                "procedure_code": "P",
                "finished_at": "2025-01-02",
                "status": "finished",
            },
        ]
    )
    with pytest.raises(SurveyInputError) as exc:
        draw_sample(table, YEAR_2025, seed=1, file="ledger.csv", first_row=2)
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (3, "dossier_code"),
        (4, "finished_at"),
        (5, "unit_code"),
    ]
    assert "ledger.csv, dòng 4, cột finished_at" in str(exc.value)
    with pytest.raises(SurveyInputError, match="status"):
        draw_sample(table.drop(["status"]), YEAR_2025, seed=1)


@given(st.integers(0, 2000), st.lists(st.integers(0, 500), min_size=1, max_size=8))
def test_allocation_sums_to_the_total_and_stays_within_one_of_the_quota(total, sizes_list):
    sizes = {f"S{i}": s for i, s in enumerate(sizes_list)}
    population = sum(sizes.values())
    shares = allocate(total, sizes)
    assert sum(shares.values()) == min(total, population)
    for key, size in sizes.items():
        assert 0 <= shares[key] <= size
        if population:
            assert abs(shares[key] - min(total, population) * size / population) < 1


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025-H2", dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_periods(label, start, end):
    period = parse_period(label)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("bad", ["25", "2025-Q5", "2025-13", "2025-H3", "năm 2025"])
def test_bad_periods(bad):
    with pytest.raises(ValueError, match="không hợp lệ"):
        parse_period(bad)


def test_many_strata_each_respondent_comes_from_its_own_stratum():
    spec = {(unit, f"P{p}"): 20 + 7 * p for unit in ("A", "B") for p in range(25)}
    sample = draw_sample(ledger(spec, shuffle=3), YEAR_2025, seed=11, by_procedure=True)
    assert all(r.procedure_code == r.stratum for r in sample.respondents)
    assert all(r.dossier_code.startswith(f"{r.unit_code}-{r.stratum}-") for r in sample.respondents)
    drawn = Counter((r.unit_code, r.stratum, r.role) for r in sample.respondents)
    for plan in sample.strata:
        assert plan.population == spec[(plan.unit_code, plan.stratum)]
        assert drawn[(plan.unit_code, plan.stratum, "sample")] == plan.sample
        assert drawn[(plan.unit_code, plan.stratum, "reserve")] == plan.reserve
