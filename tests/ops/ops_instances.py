"""Helpers that drive separate cchc installations in their own processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def instance_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a separate installation (its own data folder and database)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CCHC_", "DJANGO_", "DATABASE_URL", "PYTEST_"))
    }
    env.update(CCHC_ENV="test", CCHC_DATA_DIR=str(data_dir))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_cchc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``cchc ARGS`` in another process, as an operator would run it."""
    return subprocess.run(
        [sys.executable, "-c", "from cchc.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_django(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    """Python ``code`` with Django set up for the installation ``env`` describes."""
    prelude = (
        "import os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cchc.web.settings')\n"
        "django.setup()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return out
