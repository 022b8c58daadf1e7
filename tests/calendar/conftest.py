"""Fixtures for the calendar tests: the shipped calendar and a package-only one."""

from __future__ import annotations

import pytest

from cchc.calendar import WorkCalendar, default_calendar


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    """The default office: Monday–Friday, cut-off 15:00, package + shipped notices."""
    return default_calendar()


@pytest.fixture(scope="session")
def package_only() -> WorkCalendar:
    """The `holidays` package alone, without the shipped notice table."""
    return WorkCalendar(overrides=())
