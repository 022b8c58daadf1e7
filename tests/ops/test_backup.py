"""`cchc backup` / `cchc restore`: a populated installation comes back whole in an empty one.

Each installation is a separate data folder (and database), driven through the command
line in its own process, as an operator would. Archives are ``cchc-backup/2``; archives
of the earlier ``cchc-backup/1`` (Django fixtures, written here by V1_WRITER, the old
writer) are still restored.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from ops_instances import instance_env, run_cchc, run_django

POPULATE = r"""
from pathlib import Path
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
# The dossier's content type and permissions get other ids here than in the target, as
# after a model was removed and added back: the archive must refer to them by name.
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.models import ContentType
ContentType.objects.get(app_label="desk", model="dossier").delete()
ContentType.objects.clear_cache()
create_permissions(apps.get_app_config("desk"), verbosity=0)
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
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from cchc.web.accounts.models import User
group = Group.objects.create(name="Tổ kiểm tra hồ sơ")
group.permissions.set(Permission.objects.filter(content_type__model="dossier"))
user = User.objects.order_by("pk").first()
user.groups.add(group)
user.user_permissions.add(Permission.objects.get(codename="view_dossier"))
LogEntry.objects.create(user=user, content_type=ContentType.objects.get(model="dossier"),
                        object_id="1", object_repr="HS-1", action_flag=ADDITION)
"""

# The writer of cchc-backup/1 archives (what `cchc backup` wrote before format 2).
V1_WRITER = r"""
import hashlib, json, sys, zipfile
from datetime import UTC, datetime, time
from pathlib import Path
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from cchc.web.ops.backup import applied_migrations, backed_up_models

class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime | time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)

members, rows = {}, {}
with zipfile.ZipFile(sys.argv[1], "w", compression=zipfile.ZIP_DEFLATED) as zf:
    for number, model in enumerate(backed_up_models(), start=1):
        label = model._meta.label_lower
        rows[label] = model._base_manager.count()
        if rows[label]:
            name = f"data/{number:03d}_{label}.json"
            data = serializers.serialize("json", model._base_manager.order_by("pk"),
                                         use_natural_foreign_keys=True, cls=FullPrecisionEncoder)
            zf.writestr(name, data.encode())
            members[name] = {"sha256": hashlib.sha256(data.encode()).hexdigest(),
                             "size": len(data.encode())}
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = "media/" + path.relative_to(root).as_posix()
        zf.write(path, name)
        members[name] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                         "size": path.stat().st_size}
    zf.writestr("manifest.json", json.dumps({
        "format": "cchc-backup/1", "created_at": datetime.now(UTC).isoformat(),
        "database_vendor": "sqlite", "migrations": applied_migrations(), "rows": rows,
        "members": members}))
"""

# A row added after a restore gets a fresh id (PostgreSQL's sequences were moved on).
NEW_ROW = r"""
from cchc.web.ops.audit import record
from cchc.web.ops.models import AuditEntry
from cchc.web.units.models import Unit
largest = (AuditEntry.objects.order_by("-pk").first().pk, Unit.objects.order_by("-pk").first().pk)
entry = record(actor="quantri", action="restore.test", object_type="site", object_id="1")
unit = Unit.objects.create(code="MOI", name="Đơn vị mới", level="commune")
print(largest[0], entry.pk, largest[1], unit.pk)
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


def _backup_and_restore(
    tmp_path: Path, src_env: dict[str, str], dst_env: dict[str, str], *, format_1: bool = False
) -> None:
    run_django(src_env, POPULATE)
    archive = tmp_path / "sao-luu.zip"
    if format_1:
        run_django(src_env, f"import sys\nsys.argv = ['', {str(archive)!r}]\n" + V1_WRITER)
    else:
        made = run_cchc(src_env, "backup", str(archive))
        assert made.returncode == 0, made.stderr
        assert "tệp tải lên" in made.stdout
        with zipfile.ZipFile(archive) as zf:
            manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "cchc-backup/2"
        assert manifest["rows"]["accounts.user_user_permissions"] == 1

    restored = run_cchc(dst_env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr

    before, after = snapshot(src_env), snapshot(dst_env)
    assert sorted(after["tables"]) == sorted(before["tables"])
    for table, rows in before["tables"].items():
        assert after["tables"][table] == rows, f"table {table} differs after restore"
    assert len(before["files"]) == 2
    assert after["files"] == before["files"]
    # Non-trivial content really travelled, natural keys included.
    assert len(before["tables"]["campaigns.criterionscore"]) >= 50
    assert len(before["tables"]["ops.auditentry"]) >= 50
    assert len(before["tables"]["auth.group"][0]["fields"]["permissions"]) == 4
    assert before["tables"]["admin.logentry"][0]["fields"]["content_type"] == ["desk", "dossier"]

    verified = run_cchc(dst_env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "toàn vẹn" in verified.stdout

    last_entry, new_entry, last_unit, new_unit = map(
        int, run_django(dst_env, NEW_ROW).stdout.split()
    )
    assert new_entry > last_entry and new_unit > last_unit


@pytest.mark.slow
def test_sqlite_backup_restores_into_an_empty_installation(tmp_path):
    _backup_and_restore(tmp_path, instance_env(tmp_path / "goc"), instance_env(tmp_path / "moi"))


@pytest.mark.slow
@pytest.mark.postgres
def test_a_sqlite_office_moves_to_postgresql(tmp_path, pg_database):
    _backup_and_restore(
        tmp_path, instance_env(tmp_path / "goc"), instance_env(tmp_path / "moi", pg_database)
    )


@pytest.mark.slow
@pytest.mark.postgres
def test_a_postgresql_server_comes_back_on_a_sqlite_laptop(tmp_path, pg_database):
    _backup_and_restore(
        tmp_path, instance_env(tmp_path / "goc", pg_database), instance_env(tmp_path / "moi")
    )


@pytest.mark.slow
def test_an_archive_of_format_1_is_still_restored(tmp_path):
    _backup_and_restore(
        tmp_path, instance_env(tmp_path / "goc"), instance_env(tmp_path / "moi"), format_1=True
    )


@pytest.mark.slow
@pytest.mark.postgres
def test_an_archive_of_format_1_is_still_restored_into_postgresql(tmp_path, pg_database):
    _backup_and_restore(
        tmp_path,
        instance_env(tmp_path / "goc"),
        instance_env(tmp_path / "moi", pg_database),
        format_1=True,
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


def test_an_archive_whose_rows_do_not_fit_together_is_refused_whole(tmp_path):
    archive, src = _archive(tmp_path)
    run_django(
        src,
        "from cchc.web import demo\nfrom cchc.web.accounts.models import User\n"
        "from cchc.web.units.lookup import find_unit\ndemo.load_units(demo.DemoContext())\n"
        "User.objects.create(username='motcua.bso', unit=find_unit('BSO'))\n",
    )
    archive.unlink()
    assert run_cchc(src, "backup", str(archive)).returncode == 0
    # The unit table loses its rows; checksums and counts are redone, so only the account's
    # reference to its missing unit can tell.
    edited = tmp_path / "sua.zip"
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(edited, "w") as zout:
        manifest = json.loads(zin.read("manifest.json"))
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith("_units.unit.jsonl"):
                data = data.splitlines(keepends=True)[0]
                manifest["members"][item.filename] = {
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                }
                manifest["rows"]["units.unit"] = 0
            if item.filename != "manifest.json":
                zout.writestr(item, data)
        zout.writestr("manifest.json", json.dumps(manifest))
    dst = instance_env(tmp_path / "moi")
    out = run_cchc(dst, "restore", str(edited))
    assert out.returncode == 2, out.stdout
    assert "không nhất quán" in out.stderr and "Traceback" not in out.stderr
    left = run_django(
        dst,
        "from cchc.web.ops.backup import backed_up_models\n"
        "print(sum(m._base_manager.count() for m in backed_up_models()))",
    )
    assert left.stdout.strip() == "1"  # migrate's empty audit head, nothing restored
