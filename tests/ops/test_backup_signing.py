"""Signed backups (``CCHC_BACKUP_KEY``) and the file modes of backups and the SQLite file.

A checksum without a key only detects damage: whoever edits a row can recompute its SHA-256
and rewrite the manifest, and such an archive used to restore. With a key the manifest
(which carries every member's SHA-256) is signed with HMAC-SHA256, and restore refuses an
archive whose signature does not match. Archives and the database hold password hashes
and personal data, so they are created readable by their owner only.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from ops_instances import instance_env, run_cchc, run_django

KEY = "khoa-ky-sao-luu-" + "x7Qp" * 8
OTHER_KEY = "mot-khoa-khac-hoan-toan-" + "Zr4m" * 8


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask (022): files are world-readable unless the program says otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _installation(tmp_path: Path, name: str, key: str | None = None) -> dict[str, str]:
    env = instance_env(tmp_path / name)
    if key is not None:
        env["CCHC_BACKUP_KEY"] = key
    return env


def _populated_archive(tmp_path: Path, key: str | None) -> Path:
    src = _installation(tmp_path, "goc", key)
    run_django(
        src,
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\n"
        "from cchc.web.ops.audit import record\n"
        "for n in range(3):\n"
        "    record(actor='quantri', action='diem.sua', object_type='diem', object_id=n,"
        " old='70', new='75')\n",
    )
    archive = tmp_path / f"sao-luu-{'ky' if key else 'khong-ky'}.zip"
    made = run_cchc(src, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    return archive


def _edit_a_row_and_recompute_its_checksum(archive: Path, out: Path) -> None:
    """What an attacker without the key can do: change a score in the audit table, fix the
    member's SHA-256 and size in the manifest, keep the old signature."""
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(out, "w") as zout:
        manifest = json.loads(zin.read("manifest.json"))
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("data/") and "auditentry" in item.filename:
                assert b'"75"' in data
                data = data.replace(b'"75"', b'"95"')
                manifest["members"][item.filename] = {
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                }
            if item.filename != "manifest.json":
                zout.writestr(item, data)
        zout.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))


def _audit_rows(env: dict[str, str]) -> int:
    out = run_django(env, "from cchc.web.ops.models import AuditEntry\nprint(AuditEntry.objects.count())")
    return int(out.stdout.strip())


def test_backups_and_a_new_sqlite_database_are_readable_by_their_owner_only(
    tmp_path: Path, loose_umask: None
) -> None:
    archive = _populated_archive(tmp_path, key=None)
    assert _mode(archive) == 0o600
    assert _mode(tmp_path / "goc" / "cchc.sqlite3") == 0o600
    # Overwriting (--force) an archive someone made world-readable makes it private again.
    archive.chmod(0o644)
    again = run_cchc(_installation(tmp_path, "goc"), "backup", "--force", str(archive))
    assert again.returncode == 0, again.stderr
    assert _mode(archive) == 0o600


def test_an_edited_row_with_a_recomputed_checksum_is_refused_when_signed(tmp_path: Path) -> None:
    archive = _populated_archive(tmp_path, key=KEY)
    with zipfile.ZipFile(archive) as zf:
        assert "manifest.sig" in zf.namelist()
        signature = json.loads(zf.read("manifest.sig"))
        assert signature["algorithm"] == "HMAC-SHA256"
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["audit_head"]["seq"] == 3 and len(manifest["audit_head"]["hash"]) == 64

    edited = tmp_path / "sua.zip"
    _edit_a_row_and_recompute_its_checksum(archive, edited)
    target = _installation(tmp_path, "moi", KEY)
    refused = run_cchc(target, "restore", str(edited))
    assert refused.returncode == 2, refused.stdout
    assert "chữ ký" in refused.stderr and "Traceback" not in refused.stderr
    # Refused whatever the flag: --allow-unsigned accepts no signature, not a wrong one.
    forced = run_cchc(target, "restore", "--allow-unsigned", str(edited))
    assert forced.returncode == 2 and "chữ ký" in forced.stderr
    assert _audit_rows(target) == 0

    # The archive as written restores with the key that signed it, and not with another.
    wrong = run_cchc(_installation(tmp_path, "khac", OTHER_KEY), "restore", str(archive))
    assert wrong.returncode == 2 and "khóa khác" in wrong.stderr
    restored = run_cchc(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert _audit_rows(target) == 3


def test_a_signature_that_cannot_be_checked_needs_the_explicit_flag(tmp_path: Path) -> None:
    unsigned = _populated_archive(tmp_path, key=None)
    with zipfile.ZipFile(unsigned) as zf:
        assert "manifest.sig" not in zf.namelist()
    keyed = _installation(tmp_path, "co-khoa", KEY)
    refused = run_cchc(keyed, "restore", str(unsigned))
    assert refused.returncode == 2 and "không có chữ ký" in refused.stderr
    assert "--allow-unsigned" in refused.stderr
    accepted = run_cchc(keyed, "restore", "--allow-unsigned", str(unsigned))
    assert accepted.returncode == 0, accepted.stderr

    # A signed archive on an installation that has lost its key.
    (tmp_path / "goc").rename(tmp_path / "goc-1")
    signed = _populated_archive(tmp_path, key=KEY)
    keyless = _installation(tmp_path, "khong-khoa")
    refused = run_cchc(keyless, "restore", str(signed))
    assert refused.returncode == 2 and "CCHC_BACKUP_KEY chưa đặt" in refused.stderr
    accepted = run_cchc(keyless, "restore", "--allow-unsigned", str(signed))
    assert accepted.returncode == 0, accepted.stderr


def test_a_short_backup_key_is_refused_with_the_variable_named(tmp_path: Path) -> None:
    from cchc.web.config import ConfigError, Settings

    with pytest.raises(ConfigError, match="CCHC_BACKUP_KEY"):
        Settings.from_env({"CCHC_DATA_DIR": str(tmp_path), "CCHC_BACKUP_KEY": "ngan"})
    assert Settings.from_env({"CCHC_DATA_DIR": str(tmp_path), "CCHC_BACKUP_KEY": KEY}).backup_key == KEY
