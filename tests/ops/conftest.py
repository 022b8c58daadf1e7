"""Django for the operations tests: settings from a throw-away data folder.

The environment is set before Django's settings are imported (they are read once from it);
``setdefault`` leaves a configuration chosen by another area's conftest in place.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator

import pytest

_DATA = tempfile.mkdtemp(prefix="cchc-ops-tests-")
os.environ.setdefault("CCHC_ENV", "test")
os.environ.setdefault("CCHC_DATA_DIR", _DATA)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")

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
