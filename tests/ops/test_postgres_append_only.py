"""On PostgreSQL the database itself refuses to change or delete an audit entry."""

from __future__ import annotations

import psycopg
import pytest
from ops_instances import instance_env, run_cchc, run_django

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_update_and_delete_are_refused_by_a_trigger(tmp_path, pg_database):
    env = instance_env(tmp_path / "pg", pg_database)
    run_django(
        env,
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from cchc.web.ops.audit import record\n"
        "for i in range(3):\n"
        "    record(actor='thamdinh', action='score.appraised_score',\n"
        "           object_type='criterion_score', object_id=i, new=str(i))\n",
    )
    with psycopg.connect(pg_database, autocommit=True) as conn:
        for sql in (
            "UPDATE ops_auditentry SET reason = 'sửa lén' WHERE seq = 2",
            "DELETE FROM ops_auditentry WHERE seq = 3",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(sql)
        assert conn.execute("SELECT count(*) FROM ops_auditentry").fetchone() == (3,)
    verified = run_cchc(env, "audit", "verify")
    assert verified.returncode == 0 and "toàn vẹn: 3 bản ghi" in verified.stdout

    # A database owner can still switch the trigger off: the hash chain then tells.
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("ALTER TABLE ops_auditentry DISABLE TRIGGER ops_audit_append_only")
        conn.execute("UPDATE ops_auditentry SET new = '9' WHERE seq = 2")
    broken = run_cchc(env, "audit", "verify")
    assert broken.returncode == 1
    assert "số 2" in broken.stdout
