"""Django for the operations tests: settings from a throw-away data folder.

The environment is set before Django's settings are imported (they are read once from it).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator

import pytest

# The same environment as tests/web/conftest.py: whichever conftest is imported first sets
# Django up for the whole session, so both must describe the same installation.
_DATA = tempfile.mkdtemp(prefix="cchc-ops-tests-")
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.web.settings"
os.environ["CCHC_ENV"] = "test"
os.environ["CCHC_DATA_DIR"] = _DATA
os.environ.setdefault("CCHC_SECRET_KEY", "tests-only-" + "k" * 40)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
if os.environ.get("CCHC_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["CCHC_TEST_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402  (the environment above must come first)

django.setup()

from ops_instances import instance_env, run_cchc, run_django  # noqa: E402,F401


@pytest.fixture
def pg_database(postgres_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the test server; dropped afterwards."""
    import psycopg

    name = f"cchc_ops_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
