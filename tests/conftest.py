"""Fixtures shared by the whole suite. Each area keeps its own in tests/<area>/conftest.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# In CI a test marked postgres that skips fails instead (tests/postgres_guard.py).
pytest_plugins = ["postgres_guard"]

POSTGRES_URL = os.environ.get("CCHC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
SEED = Path(__file__).resolve().parents[1] / "src" / "cchc" / "demo" / "data"
# The suite's fixtures address the demo's units by the codes they had before the official
# ids (HNH, BSO); the demo with official ids is tested on its own (tests/web/test_units_official.py).
os.environ.setdefault("CCHC_DEMO_UNIT_CODES", "home-made")


def require_postgres() -> str:
    """The URL of the real PostgreSQL server; skip when absent, but fail in CI where it must run."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception as exc:  # any connection failure means "not here"
        message = f"PostgreSQL is not reachable at {POSTGRES_URL}: {exc}"
        if IN_CI:
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(message)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return require_postgres()


@pytest.fixture
def tmp_cwd(tmp_path: Path) -> Iterator[Path]:
    """Run a test inside an empty folder (for CLI commands that write next to themselves)."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
