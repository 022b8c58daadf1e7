"""Dossier codes (Circular 01/2018 Art. 19) and index periods (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.service.code import (
    DossierCodeError,
    check_received,
    is_valid_code,
    make_code,
    parse_code,
    validate_code,
)
from cchc.service.period import PeriodError, parse_period


def test_code_is_agency_date_of_receipt_and_four_digit_daily_sequence():
    assert make_code("H12.22", dt.date(2025, 3, 5), 7) == "H12.22-250305-0007"


def test_agency_ids_with_dots_and_dashes_parse_from_the_right():
    code = parse_code("000.00.12.H12-GL-250305-0123")
    assert (code.agency_id, code.received_on, code.sequence) == ("000.00.12.H12-GL", dt.date(2025, 3, 5), 123)


@given(
    agency=st.from_regex(r"[A-Z0-9]{1,5}(\.[A-Z0-9]{1,3}){0,3}", fullmatch=True),
    day=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),  # two-digit years: 2000-2099
    seq=st.integers(1, 9999),
)
def test_make_then_parse_round_trips(agency, day, seq):
    parsed = parse_code(make_code(agency, day, seq))
    assert (parsed.agency_id, parsed.received_on, parsed.sequence) == (agency, day, seq)


@pytest.mark.parametrize(
    "bad", ["", "H12-25035-0001", "H12-250305-001", "H12-250230-0001", "H12-250305-0000", "-250305-0001", "H 12-250305-0001"]
)
def test_malformed_codes_are_rejected_with_a_reason(bad):
    assert not is_valid_code(bad)
    with pytest.raises(DossierCodeError, match="mã hồ sơ"):
        parse_code(bad)


def test_sequence_out_of_range_cannot_be_made():
    with pytest.raises(DossierCodeError):
        make_code("H12", dt.date(2025, 1, 1), 10000)


def test_code_date_must_be_the_date_of_receipt():
    validate_code("H12-250305-0001", dt.datetime(2025, 3, 5, 16, 0))
    with pytest.raises(DossierCodeError, match="05/03/2025"):
        validate_code("H12-250305-0001", dt.datetime(2025, 3, 6, 8, 0))


def test_an_agency_checks_that_the_code_is_its_own():
    validate_code("000.00.12.H12-250305-0001", agency_id="000.00.12.H12")
    with pytest.raises(DossierCodeError, match="mang mã cơ quan 'BSO', không phải mã của cơ quan tiếp nhận 'H12'"):
        validate_code("BSO-250305-9999", dt.date(2025, 3, 5), agency_id="H12")
    # A prefix of another agency's identifier is not the identifier.
    with pytest.raises(DossierCodeError):
        validate_code("12.H12-250305-0001", agency_id="000.00.12.H12")


def test_nothing_is_received_in_the_future():
    now = dt.datetime(2025, 3, 5, 9, 0)
    check_received(now, now)
    with pytest.raises(DossierCodeError, match="ở tương lai"):
        check_received(now + dt.timedelta(minutes=1), now)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", dt.datetime(2025, 1, 1), dt.datetime(2026, 1, 1)),
        ("2025-H1", dt.datetime(2025, 1, 1), dt.datetime(2025, 7, 1)),
        ("2025-H2", dt.datetime(2025, 7, 1), dt.datetime(2026, 1, 1)),
        ("2025-Q1", dt.datetime(2025, 1, 1), dt.datetime(2025, 4, 1)),
        ("2025-Q4", dt.datetime(2025, 10, 1), dt.datetime(2026, 1, 1)),
        ("2024-02", dt.datetime(2024, 2, 1), dt.datetime(2024, 3, 1)),
        ("2025-12", dt.datetime(2025, 12, 1), dt.datetime(2026, 1, 1)),
    ],
)
def test_periods_are_half_open_intervals(text, start, end):
    period = parse_period(text)
    assert (period.label, period.start, period.end) == (text, start, end)
    assert period.last_day == (end - dt.timedelta(days=1)).date()


@pytest.mark.parametrize("bad", ["2025-Q5", "2025-H3", "2025-13", "2025-00", "25-Q1", "2025Q1", "Q1-2025", ""])
def test_bad_periods_are_refused(bad):
    with pytest.raises(PeriodError, match="kỳ"):
        parse_period(bad)


def test_quarter_of_a_day():
    import datetime as dt

    from cchc.service.period import quarter_of

    assert quarter_of(dt.date(2025, 5, 14)).label == "2025-Q2"
    assert quarter_of(dt.date(2025, 12, 31)).label == "2025-Q4"
    assert quarter_of(dt.date(2026, 1, 1)).start == dt.datetime(2026, 1, 1)


@pytest.mark.parametrize("bad", ["1899", "2301", "9999-Q4", "9999-12"])
def test_periods_outside_the_calendars_years_are_refused(bad):
    with pytest.raises(PeriodError, match="ngoài phạm vi 1900–2300"):
        parse_period(bad)


# --- The look-up's reading of a typed code (issue 14, item 8) ----------------------------------

from cchc.service.code import typed_code_spellings  # noqa: E402


@pytest.mark.parametrize(
    "typed",
    [
        "hnh-261207-0001",
        " HNH-261207-0001 ",
        "Hnh - 261207 - 0001",
        "hnh\u2013261207\u20130001",  # en dashes from a phone's keyboard
        "ＨＮＨ-２６１２０７-０００１",  # full-width characters
        "HNH-261207-0001\n",
    ],
)
def test_a_typed_code_is_read_in_capitals_without_spaces(typed: str) -> None:
    assert typed_code_spellings(typed)[0] == "HNH-261207-0001"


def test_a_code_typed_in_lower_case_is_also_tried_as_typed_and_nonsense_gives_nothing() -> None:
    assert typed_code_spellings("h12.22-250305-0007") == ("H12.22-250305-0007", "h12.22-250305-0007")
    assert typed_code_spellings("HNH-261207-0001") == ("HNH-261207-0001",)
    assert typed_code_spellings("HNH-%-0001") == ()
    assert typed_code_spellings("") == ()
