"""``cchc backup`` / ``cchc restore``: the database and the uploaded files in one ZIP.

Format (``cchc-backup/1``)::

    manifest.json            what, when, from which schema, SHA-256 and size of every member
    data/NNN_app.model.json  one Django JSON fixture per model, in dependency order
    media/<path>             every uploaded file, as stored under MEDIA_ROOT

Why Django's JSON serialisation and not pg_dump: it is database-agnostic (a SQLite laptop
instance restores into PostgreSQL, which is how an office moves to a server), it needs no
client binaries, and it goes through the same migrations that define the schema. Natural
keys replace the ids of content types and permissions, which ``migrate`` recreates with
other ids; every other row keeps its primary key, so references (audit entries naming an
object id, evidence paths containing ids) stay true. Sessions are not kept (a restored
instance signs everyone out). For very large dossier ledgers (millions of rows) pg_dump of
PostgreSQL is faster; docs/operations.md says when to prefer it.

Restore is all-or-nothing: every member's checksum is verified before anything is written,
the target must be an empty, fully migrated database with the same migrations, the rows are
loaded in one transaction, and the media files are staged next to MEDIA_ROOT and moved in
only after the database commit.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as dt_time
from pathlib import Path, PurePosixPath
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "cchc-backup/1"
# Recreated by ``migrate`` (content types, permissions) or transient (sessions).
SKIPPED_MODELS = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session"})


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a restore must give back what was saved."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | dt_time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class BackupError(RuntimeError):
    """A backup cannot be made or restored; the message says why (Vietnamese)."""


@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0


def backed_up_models() -> list[type[models.Model]]:
    """Models whose rows go into a backup, parents before children."""
    app_list = {cfg: None for cfg in apps.get_app_configs()}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.label_lower not in SKIPPED_MODELS and not m._meta.proxy and m._meta.managed
    ]


def applied_migrations() -> list[str]:
    """``app.name`` of every applied migration, sorted."""
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(out: Path) -> BackupSummary:
    """Write the whole instance (rows and uploaded files) to the ZIP ``out``."""
    out = Path(out)
    media_root = Path(settings.MEDIA_ROOT)
    summary = BackupSummary(path=out)
    members: dict[str, dict[str, Any]] = {}
    tmp = out.with_name(out.name + ".partial")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for number, model in enumerate(backed_up_models(), start=1):
                label = model._meta.label_lower
                queryset = model._base_manager.order_by("pk")
                summary.rows[label] = queryset.count()
                if not summary.rows[label]:
                    continue
                name = f"data/{number:03d}_{label}.json"
                digest = hashlib.sha256()
                with zf.open(name, "w") as raw:
                    hashing = _HashingWriter(raw, digest)
                    text = io.TextIOWrapper(cast(Any, hashing), encoding="utf-8", newline="\n")
                    serializers.serialize(
                        "json",
                        queryset.iterator(chunk_size=2000),
                        stream=text,
                        use_natural_foreign_keys=True,
                        cls=FullPrecisionEncoder,
                    )
                    text.flush()
                    text.detach()
                members[name] = {"sha256": digest.hexdigest(), "size": hashing.size}
            for path in _media_files(media_root):
                rel = path.relative_to(media_root).as_posix()
                name = f"media/{rel}"
                zf.write(path, name)
                members[name] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
                summary.files += 1
                summary.bytes += path.stat().st_size
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(),
                "database_vendor": connection.vendor,
                "migrations": applied_migrations(),
                "rows": summary.rows,
                "members": members,
            }
            zf.writestr(
                "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
            )
        os.replace(tmp, out)  # a crash mid-backup never leaves a truncated OUT.zip
    finally:
        tmp.unlink(missing_ok=True)
    return summary


class _HashingWriter(io.RawIOBase):
    """Pass bytes through to a ZIP member while hashing and counting them."""

    def __init__(self, raw: Any, digest: Any) -> None:
        self.raw = raw
        self.digest = digest
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        block = bytes(data)
        self.digest.update(block)
        self.size += len(block)
        self.raw.write(block)
        return len(block)


def read_manifest(zf: zipfile.ZipFile, source: str) -> dict[str, Any]:
    """The manifest of a backup, with every member's checksum verified."""
    try:
        manifest: dict[str, Any] = json.loads(zf.read("manifest.json"))
    except KeyError as exc:
        raise BackupError(f"{source}: không có manifest.json, không phải bản sao lưu cchc") from exc
    except ValueError as exc:
        raise BackupError(f"{source}: manifest.json hỏng ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: định dạng {manifest.get('format')!r}, cần {FORMAT}")
    names = set(zf.namelist()) - {"manifest.json"}
    listed = set(manifest["members"])
    if names != listed:
        extra = sorted(names - listed)[:3]
        missing = sorted(listed - names)[:3]
        raise BackupError(
            f"{source}: danh sách tệp không khớp manifest (thừa {extra}, thiếu {missing})"
        )
    for name, meta in manifest["members"].items():
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or path.parts[0] not in ("data", "media"):
            raise BackupError(f"{source}: đường dẫn không hợp lệ trong bản sao lưu: {name!r}")
        digest = hashlib.sha256()
        size = 0
        with zf.open(name) as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
                size += len(block)
        if digest.hexdigest() != meta["sha256"] or size != meta["size"]:
            raise BackupError(f"{source}: tệp {name} bị hỏng hoặc bị sửa (sai mã kiểm tra SHA-256)")
    return manifest


def _existing_rows() -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in backed_up_models():
        n = model._base_manager.count()
        if n:
            counts[model._meta.label_lower] = n
    # A freshly migrated database already holds the audit chain's empty head row.
    if counts.get("ops.audithead") == 1:
        from cchc.web.ops.models import AuditHead

        if AuditHead.objects.filter(pk=1, seq=0).exists():
            del counts["ops.audithead"]
    return counts


def restore_backup(src: Path) -> BackupSummary:
    """Restore a backup into this instance's empty, migrated database and media folder."""
    src = Path(src)
    if not src.is_file():
        raise BackupError(f"{src}: không tìm thấy tệp sao lưu")
    try:
        zf = zipfile.ZipFile(src)
    except zipfile.BadZipFile as exc:
        raise BackupError(f"{src}: không phải tệp ZIP hợp lệ") from exc
    with zf:
        manifest = read_manifest(zf, str(src))
        here = applied_migrations()
        if manifest["migrations"] != here:
            theirs, ours = set(manifest["migrations"]), set(here)
            raise BackupError(
                f"{src}: lược đồ dữ liệu khác nhau (bản sao lưu thiếu {sorted(ours - theirs)[:3]}, "
                f"thừa {sorted(theirs - ours)[:3]}); hãy chạy cùng phiên bản cchc rồi khôi phục"
            )
        existing = _existing_rows()
        if existing:
            sample = ", ".join(f"{k} ({v})" for k, v in list(existing.items())[:3])
            raise BackupError(
                f"Cơ sở dữ liệu đích không trống ({sample}); chỉ khôi phục vào một cài đặt mới"
            )
        media_root = Path(settings.MEDIA_ROOT)
        if _media_files(media_root):
            raise BackupError(f"Thư mục tệp tải lên {media_root} không trống")
        summary = BackupSummary(path=src, rows=dict(manifest["rows"]))
        with tempfile.TemporaryDirectory(prefix="cchc-restore-") as work:
            work_dir = Path(work)
            fixtures = []
            for name in sorted(manifest["members"]):
                if name.startswith("data/"):
                    target = work_dir / PurePosixPath(name).name
                    target.write_bytes(zf.read(name))
                    fixtures.append(str(target))
            media_root.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
            try:
                for name, meta in manifest["members"].items():
                    if name.startswith("media/"):
                        target = staging.joinpath(*PurePosixPath(name).parts[1:])
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with zf.open(name) as fh, target.open("wb") as out:
                            shutil.copyfileobj(fh, out)
                        summary.files += 1
                        summary.bytes += int(meta["size"])
                if fixtures:
                    # One loaddata call = one transaction; sequences are reset afterwards.
                    call_command("loaddata", *fixtures, verbosity=0)
                media_root.mkdir(parents=True, exist_ok=True)
                for item in staging.iterdir():
                    os.replace(item, media_root / item.name)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    return summary
