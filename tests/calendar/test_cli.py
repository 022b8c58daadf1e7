"""`cchc calendar` as a user types it: output format, exit status 2 and stderr on bad input."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cchc.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["calendar", *args])
    return result.exit_code, result.stdout, result.stderr


def test_deadline_prints_the_date_as_offices_write_it() -> None:
    # Friday 26/04/2024 + 3 working days → Saturday 04/05/2024 (Công văn 2450/VPCP-KGVX).
    assert run("deadline", "2024-04-26", "3") == (0, "04/05/2024\n", "")


def test_deadline_with_a_time_after_the_cut_off() -> None:
    assert run("deadline", "2025-03-12T16:00", "1")[:2] == (0, "14/03/2025\n")


def test_deadline_in_hours_prints_a_date_time() -> None:
    assert run("deadline", "2025-03-12T11:00", "2", "--unit", "hours")[:2] == (
        0,
        "12/03/2025 14:00\n",
    )


def test_deadline_in_calendar_days() -> None:
    assert run("deadline", "2025-03-03", "12", "--unit", "days")[:2] == (0, "17/03/2025\n")


def test_office_settings_on_the_command_line() -> None:
    # Friday 07/03/2025: with Saturdays counted, 1 working day is Saturday 08/03.
    assert run("deadline", "2025-03-07", "1", "--saturday")[:2] == (0, "08/03/2025\n")
    # 16:00 is before a 16:30 cut-off, so Wednesday counts as the day of receipt.
    assert run("deadline", "2025-03-12T16:00", "1", "--cutoff", "16:30")[:2] == (
        0,
        "13/03/2025\n",
    )
    assert run("deadline", "2025-03-12T16:00", "1", "--no-cutoff")[:2] == (0, "13/03/2025\n")
    # March 2025 has 21 weekdays and 5 Saturdays, no holiday.
    assert run("working-days", "2025-03-01", "2025-03-31", "--saturday")[:2] == (0, "26\n")


def test_working_days_prints_an_integer() -> None:
    # 2025: 261 weekdays − 12 weekday holidays + Saturday 26/04 worked (6150/TB-LĐTBXH).
    assert run("working-days", "2025-01-01", "2025-12-31")[:2] == (0, "250\n")


def test_holidays_lists_days_off_and_saturdays_worked() -> None:
    code, out, _ = run("holidays", "2026")
    assert code == 0
    assert "10/01/2026" in out and "12729/VPCP-KGVX" in out
    assert "24/11/2026" in out


def test_holidays_speak_to_the_officer_without_developer_notes() -> None:
    # The data file labels unconfirmed facts "(assumed)" (docs/calendar.md); the officer
    # reads a plain Vietnamese caution instead, and no pointer to a developer file.
    for year in ("2021", "2026"):
        code, out, _ = run("holidays", year)
        assert code == 0
        assert "lưu ý, chưa xác minh" in " ".join(out.replace("│", " ").split())
        assert "(assumed)" not in out and ".md" not in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("deadline", "2025-13-01", "1"), "START"),
        (("deadline", "2025-01-01", "x"), "N"),
        (("deadline", "--", "2025-01-01", "-1"), "âm"),
        (("deadline", "2025-01-01", "-1"), "-1"),
        (("deadline", "2025-01-01", "1", "--unit", "weeks"), "--unit"),
        (("working-days", "2025-02-01", "2025-01-01"), "trước"),
        (("working-days", "01/02/2025", "2025-03-01"), "FROM"),
        (("holidays", "năm"), "YEAR"),
        (("deadline", "1700-01-01", "1"), "phạm vi"),
        (("deadline", "2025-01-01", "1", "--cutoff", "3pm"), "--cutoff"),
    ],
)
def test_bad_input_exits_2_with_a_message_on_stderr(args: tuple[str, ...], fragment: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert "Traceback" not in err
