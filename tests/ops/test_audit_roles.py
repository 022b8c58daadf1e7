"""The audit log on PostgreSQL with the roles docs/operations.md sets up.

The application's role cannot empty the log, delete entries or switch the triggers off; the
tables' owner cannot TRUNCATE either (a BEFORE TRUNCATE trigger; before it, one statement
emptied the log). What the owner can still do — disable the triggers, empty the log and
reset its head row — verifies as an intact empty chain, and is caught by the head recorded
outside the database (the backup's manifest, the `cchc.audit` log line).
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from pathlib import Path

import psycopg
import pytest
from ops_instances import REPO, instance_env, run_cchc, run_django

GENESIS = "0" * 64


def _documented_sql() -> list[str]:
    text = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    start = text.index("### Database roles")
    end = text.find("\n## ", start)
    blocks = re.findall(r"```sql\n(.*?)```", text[start:end], re.S)
    assert len(blocks) == 2, "docs/operations.md: the roles section has two SQL blocks"
    return blocks


def _names(sql: str, owner: str, app: str, database: str) -> str:
    sql = re.sub(r"\bcchc_owner\b", owner, sql)
    sql = re.sub(r"\bcchc_app\b", app, sql)
    return re.sub(r"\bDATABASE cchc\b", f"DATABASE {database}", sql)


def _url(base: str, role: str, database: str) -> str:
    # postgresql://postgres@host:port/db → postgresql://ROLE@host:port/DATABASE
    rest = base.split("://", 1)[1].split("@", 1)[1].rsplit("/", 1)[0]
    return f"postgresql://{role}@{rest}/{database}"


@pytest.fixture
def roles(postgres_url: str):
    tag = uuid.uuid4().hex[:8]
    owner, app, database = f"cchc_owner_{tag}", f"cchc_app_{tag}", f"cchc_roles_{tag}"
    first, second = (_names(block, owner, app, database) for block in _documented_sql())
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        for statement in filter(str.strip, first.split(";")):
            conn.execute(statement)
    try:
        with psycopg.connect(_url(postgres_url, "postgres", database), autocommit=True) as conn:
            conn.execute(second)
        yield (
            _url(postgres_url, owner, database),
            _url(postgres_url, app, database),
            _url(postgres_url, "postgres", database),
        )
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{owner}"')
            conn.execute(f'DROP ROLE IF EXISTS "{app}"')


APPEND = (
    "from cchc.web.ops.audit import record\n"
    "for n in range({n}):\n"
    "    record(actor='thamdinh', action='score.appraised_score', object_type='criterion_score',"
    " object_id=n, new=str(n))\n"
)


@pytest.mark.postgres
@pytest.mark.slow
def test_the_application_role_cannot_empty_the_log_and_a_reset_head_is_caught(
    tmp_path: Path, roles: tuple[str, str, str]
) -> None:
    owner_url, app_url, _superuser_url = roles
    migrated = run_cchc(instance_env(tmp_path / "owner", owner_url), "manage", "migrate")
    assert migrated.returncode == 0, migrated.stderr
    app = instance_env(tmp_path / "app", app_url)

    appended = run_django(app, APPEND.format(n=3))
    logged = re.findall(r"cchc\.audit audit #(\d+) ([0-9a-f]{64})", appended.stderr)
    assert [int(seq) for seq, _ in logged] == [1, 2, 3]

    archive = tmp_path / "sao-luu.zip"
    made = run_cchc(app, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(archive) as zf:
        recorded = json.loads(zf.read("manifest.json"))["audit_head"]
    assert recorded == {"seq": 3, "hash": logged[-1][1]}
    assert recorded["hash"] in made.stdout

    # The application's role: no TRUNCATE, no DELETE (trigger), no way to switch triggers off.
    with psycopg.connect(app_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("TRUNCATE ops_auditentry")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("DELETE FROM ops_auditentry")
        for sql in (
            "ALTER TABLE ops_auditentry DISABLE TRIGGER USER",
            "DROP TRIGGER ops_audit_append_only ON ops_auditentry",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="owner"):
                conn.execute(sql)
    # The owner has the TRUNCATE privilege; the trigger refuses it.
    with psycopg.connect(owner_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="TRUNCATE refused"):
            conn.execute("TRUNCATE ops_auditentry")
        assert conn.execute("SELECT count(*) FROM ops_auditentry").fetchone() == (3,)

    # The log goes on: a head recorded earlier is still passed through.
    run_django(app, APPEND.format(n=2))
    grown = run_cchc(app, "audit", "verify", "--expect-head", recorded["hash"])
    assert grown.returncode == 0, grown.stdout
    assert "toàn vẹn: 5 bản ghi" in grown.stdout

    # The owner switches the triggers off, empties the log and resets the head row.
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE ops_auditentry DISABLE TRIGGER USER")
        conn.execute("TRUNCATE ops_auditentry")
        conn.execute("UPDATE ops_audithead SET seq = 0, hash = %s", [GENESIS])
        conn.execute("ALTER TABLE ops_auditentry ENABLE TRIGGER USER")

    alone = run_cchc(app, "audit", "verify")
    assert alone.returncode == 0 and "toàn vẹn: 0 bản ghi" in alone.stdout  # cannot know
    caught = run_cchc(app, "audit", "verify", "--expect-head", recorded["hash"])
    assert caught.returncode == 1, caught.stdout
    assert "KHÔNG toàn vẹn" in caught.stdout and recorded["hash"][:12] in caught.stdout
    checked = run_cchc(app, "check", "--expect-head", recorded["hash"])
    assert checked.returncode == 1
    assert "✗ Nhật ký kiểm toán bị thay đổi" in checked.stdout


def test_a_malformed_expected_head_is_a_usage_error(tmp_path: Path) -> None:
    out = run_cchc(instance_env(tmp_path / "x"), "audit", "verify", "--expect-head", "76d18f")
    assert out.returncode == 2 and "64" in out.stderr
