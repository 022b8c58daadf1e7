"""In CI a test marked ``postgres`` must run: its skip is reported as a failure.

Registered by tests/conftest.py. scripts/test leaves these tests out of the first pass
(SQLite) and runs every one of them in its PostgreSQL pass, where nothing may skip them —
a test that skipped itself there (say, because the database was SQLite after all) would
claim a check CI never made.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if (
        report.skipped
        and in_ci()
        and item.get_closest_marker("postgres") is not None
        and not hasattr(report, "wasxfail")
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true: a test marked postgres must run on PostgreSQL, not skip ({reason})"
