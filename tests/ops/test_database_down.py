"""Database unavailable: the health check fails and pages answer a clear error (no
traceback). Migrations run forward on both engines with nothing left to generate."""

from __future__ import annotations

import json

import pytest
from ops_instances import instance_env, run_django

DOWN = "postgresql://postgres@127.0.0.1:1/khong_co"

PROBE = r"""
import json
from django.test import Client
c = Client(raise_request_exception=False)
health = c.get("/healthz")
home = c.get("/")
print(json.dumps({"health": [health.status_code, health.json()],
                  "home": [home.status_code, home.content.decode()]}, ensure_ascii=False))
"""


def test_with_the_database_down_health_fails_and_pages_say_so(tmp_path):
    seen = json.loads(run_django(instance_env(tmp_path / "x", DOWN), PROBE).stdout.splitlines()[-1])
    assert seen["health"] == [503, {"status": "error", "database": "unreachable"}]
    status, page = seen["home"]
    assert status == 500
    assert "Lỗi hệ thống" in page and "Traceback" not in page


@pytest.mark.slow
@pytest.mark.postgres
def test_migrations_run_forward_on_postgresql_and_sqlite_with_none_missing(tmp_path, pg_database):
    code = (
        "from django.core.management import call_command\n"
        "call_command('makemigrations', check=True, dry_run=True, verbosity=0)\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.db import connection\n"
        "from django.db.migrations.executor import MigrationExecutor\n"
        "ex = MigrationExecutor(connection)\n"
        "print(connection.vendor, len(ex.migration_plan(ex.loader.graph.leaf_nodes())))\n"
    )
    for env in (instance_env(tmp_path / "pg", pg_database), instance_env(tmp_path / "lite")):
        vendor, pending = run_django(env, code).stdout.split()[-2:]
        assert vendor in ("postgresql", "sqlite") and pending == "0"
