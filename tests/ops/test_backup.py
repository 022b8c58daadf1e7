"""`cchc backup` / `cchc restore`: a populated installation comes back whole in an empty one.

Each installation is a separate data folder (and database), driven through the command
line in its own process, as an operator would.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from ops_instances import instance_env, run_cchc, run_django

POPULATE = r"""
from pathlib import Path
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
from cchc.web import demo
ctx = demo.DemoContext()
# The campaign part of the demo (the dossier ledger step is slow and adds no new kind of row
# that matters here: every table is compared either way).
for step in (demo.load_units, demo.load_campaigns, demo.load_accounts):
    step(ctx)
from cchc.web.campaigns.models import CriterionScore, Evidence
from cchc.web.ops.audit import record
cs = CriterionScore.objects.order_by("pk").first()
files = {
    "evidence/1/1/minh-chung-tieu-chi-1.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "evidence/1/1/Ảnh hiện trường.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 5000,
}
for rel, data in files.items():
    path = Path(settings.MEDIA_ROOT) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    Evidence.objects.create(criterion_score=cs, file=rel, original_name=Path(rel).name,
                            content_type="application/octet-stream", size=len(data))
record(actor="quantri", action="backup.test", object_type="site", object_id="1",
       reason="dữ liệu kiểm thử sao lưu")
"""

SNAPSHOT = r"""
import hashlib, json
from pathlib import Path
from django.conf import settings
from django.core import serializers
from cchc.web.ops.backup import backed_up_models
tables = {}
for model in backed_up_models():
    rows = serializers.serialize("python", model._base_manager.order_by("pk"),
                                 use_natural_foreign_keys=True)
    tables[model._meta.label_lower] = json.loads(json.dumps(rows, default=str))
root = Path(settings.MEDIA_ROOT)
files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(root.rglob("*")) if p.is_file()} if root.exists() else {}
print(json.dumps({"tables": tables, "files": files}, ensure_ascii=False))
"""


def snapshot(env: dict[str, str]) -> dict:
    return json.loads(run_django(env, SNAPSHOT).stdout)


def _backup_and_restore(tmp_path: Path, src_env: dict[str, str], dst_env: dict[str, str]) -> None:
    run_django(src_env, POPULATE)
    archive = tmp_path / "sao-luu.zip"
    made = run_cchc(src_env, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert "tệp tải lên" in made.stdout

    restored = run_cchc(dst_env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr

    before, after = snapshot(src_env), snapshot(dst_env)
    assert sorted(after["tables"]) == sorted(before["tables"])
    for table, rows in before["tables"].items():
        assert after["tables"][table] == rows, f"table {table} differs after restore"
    assert len(before["files"]) == 2
    assert after["files"] == before["files"]
    # Non-trivial content really travelled.
    assert len(before["tables"]["campaigns.criterionscore"]) >= 50
    assert len(before["tables"]["ops.auditentry"]) >= 50

    verified = run_cchc(dst_env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "toàn vẹn" in verified.stdout


@pytest.mark.slow
def test_sqlite_backup_restores_into_an_empty_installation(tmp_path):
    _backup_and_restore(tmp_path, instance_env(tmp_path / "goc"), instance_env(tmp_path / "moi"))


@pytest.mark.slow
@pytest.mark.postgres
def test_a_sqlite_office_moves_to_postgresql(tmp_path, pg_database):
    _backup_and_restore(
        tmp_path, instance_env(tmp_path / "goc"), instance_env(tmp_path / "moi", pg_database)
    )


def _archive(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    src = instance_env(tmp_path / "goc")
    run_django(
        src,
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\n"
        "from cchc.web.ops.audit import record\n"
        "record(actor='a', action='t', object_type='x', object_id=1)\n",
    )
    archive = tmp_path / "b.zip"
    assert run_cchc(src, "backup", str(archive)).returncode == 0
    return archive, src


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path):
    archive, _ = _archive(tmp_path)
    damaged = tmp_path / "hong.zip"
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("data/") and "auditentry" in item.filename:
                data = data.replace(b'"t"', b'"u"')
            zout.writestr(item, data)
    dst = instance_env(tmp_path / "moi")
    out = run_cchc(dst, "restore", str(damaged))
    assert out.returncode == 2
    assert "auditentry" in out.stderr and "SHA-256" in out.stderr
    assert "Traceback" not in out.stderr
    left = run_django(
        dst, "from cchc.web.ops.models import AuditEntry\nprint(AuditEntry.objects.count())"
    )
    assert left.stdout.strip() == "0"


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    archive, src = _archive(tmp_path)
    out = run_cchc(src, "restore", str(archive))
    assert out.returncode == 2
    assert "không trống" in out.stderr


def test_backup_refuses_to_overwrite_and_restore_names_a_missing_file(tmp_path):
    archive, src = _archive(tmp_path)
    again = run_cchc(src, "backup", str(archive))
    assert again.returncode == 2 and "--force" in again.stderr
    missing = run_cchc(src, "restore", str(tmp_path / "khong-co.zip"))
    assert missing.returncode == 2 and "khong-co.zip" in missing.stderr
    not_zip = tmp_path / "x.zip"
    not_zip.write_text("hello")
    bad = run_cchc(instance_env(tmp_path / "khac"), "restore", str(not_zip))
    assert bad.returncode == 2 and "ZIP" in bad.stderr
