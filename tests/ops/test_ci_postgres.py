"""CI runs what it claims: tests marked postgres run on PostgreSQL there, never skipped.

scripts/test leaves them out of its SQLite pass and runs every one in its PostgreSQL pass
(not only tests/web); tests/postgres_guard.py turns a skip of such a test into a failure
when ``CI=true``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = '''
import pytest

@pytest.mark.postgres
def test_needs_postgresql():
    pytest.skip("SQLite here")

def test_other():
    pytest.skip("not marked: may skip")
'''


def run(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    env = {**os.environ, "CI": ci, "PYTHONPATH": f"{ROOT / 'tests'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "postgres_guard", "-p", "no:cacheprovider", "-q",
         "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path / "test_sample.py")],
        env=env, capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip


def test_in_ci_a_skipped_postgres_test_fails(tmp_path: Path) -> None:
    result = run(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 skipped" in result.stdout
    assert "a test marked postgres must run on PostgreSQL" in result.stdout


def test_outside_ci_it_may_skip(tmp_path: Path) -> None:
    result = run(tmp_path, "")
    assert result.returncode == 0 and "2 skipped" in result.stdout, result.stdout


def test_the_postgresql_pass_of_scripts_test_covers_every_test_marked_for_it() -> None:
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if re.match(r"\s*(CCHC_TEST_DATABASE_URL=\S+\s+)?pytest\b", line)]
    first, *postgres = lines
    # The SQLite pass leaves the marked tests to the PostgreSQL pass...
    assert '-m "not postgres"' in first
    # ...which runs the web folder and every marked test, on the PostgreSQL database.
    assert all(line.startswith('CCHC_TEST_DATABASE_URL="$pg_url"') for line in postgres), postgres
    assert any(" tests/web" in line for line in postgres)
    assert any("-m postgres" in line and line.rstrip().endswith(" tests") for line in postgres), postgres


def test_the_guard_is_on_for_the_whole_suite(request: object) -> None:
    config = request.config  # type: ignore[attr-defined]
    assert config.pluginmanager.has_plugin("postgres_guard")
