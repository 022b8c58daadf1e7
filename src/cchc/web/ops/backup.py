"""``cchc backup`` / ``cchc restore``: the database and the uploaded files in one ZIP.

Format (``cchc-backup/2``)::

    manifest.json             what, when, from which schema, rows per table, the audit
                              chain's head, SHA-256 and size of every member
    manifest.sig              with CCHC_BACKUP_KEY set: HMAC-SHA256 of manifest.json's bytes
    data/NNN_app.model.jsonl  the rows of one table (models in dependency order, then the
                              many-to-many link tables), streamed: see backup_rows.py
    media/<path>              every uploaded file, as stored under MEDIA_ROOT

``cchc-backup/1`` archives (one Django JSON fixture per model, ``data/NNN_app.model.json``)
are still restored, through ``loaddata``.

Why a logical dump and not pg_dump: it is database-agnostic (a SQLite laptop instance
restores into PostgreSQL, which is how an office moves to a server), it needs no client
binaries, and it goes through the same migrations that define the schema. Natural keys
replace the ids of content types and permissions, which ``migrate`` recreates with other
ids; every other row keeps its primary key, so references (audit entries naming an object
id, evidence paths containing ids) stay true. Sessions are not kept (a restored instance
signs everyone out). Rows are streamed in chunks both ways, so memory stays flat at a
province's ledger size (docs/operations.md has the figures).

A backup reads every table in one transaction, so the archive is one consistent state even
while the instance is in use (REPEATABLE READ on PostgreSQL; on SQLite writers wait while
it reads). Restore is all-or-nothing: every member's checksum is verified before anything
is written, the target must be an empty, fully migrated database with the same migrations,
the rows are loaded in one transaction, and the media files are staged next to MEDIA_ROOT
and moved in only after the database commit.

Checksums alone only detect damage: whoever edits a row can recompute its SHA-256 and the
manifest. With ``CCHC_BACKUP_KEY`` the manifest is signed (HMAC-SHA256, the key never in the
archive), so an edit is refused unless the editor holds the key. A key-holding restore
refuses an unsigned archive, and a keyless restore a signed one, unless ``allow_unsigned``
(``cchc restore --allow-unsigned``) says the operator accepts checksums only. Archives hold
password hashes and personal data: they are created readable by their owner only (0600).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import queue
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from cchc.web.ops import backup_rows

FORMAT = "cchc-backup/2"
FORMAT_V1 = "cchc-backup/1"  # Django JSON fixtures; restored, no longer written
SIGNATURE = "manifest.sig"
SIGNATURE_ALGORITHM = "HMAC-SHA256"
# Recreated by ``migrate`` (content types, permissions) or transient (sessions).
SKIPPED_MODELS = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session"})


class BackupError(RuntimeError):
    """A backup cannot be made or restored; the message says why (Vietnamese)."""


@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    audit_head: tuple[int, str] | None = None  # (seq, hash) of the chain when backed up


def backed_up_models() -> list[type[models.Model]]:
    """Models whose rows go into a backup, parents before children."""
    app_list = {cfg: None for cfg in apps.get_app_configs()}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.label_lower not in SKIPPED_MODELS and not m._meta.proxy and m._meta.managed
    ]


def archived_models() -> list[type[models.Model]]:
    """Models whose rows a ``cchc-backup/2`` archive holds: the backed-up models, then their
    many-to-many link tables (Django's fixtures kept those inside each row)."""
    ordered = backed_up_models()
    return [*ordered, *backup_rows.link_models(ordered)]


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


def backup_key() -> bytes | None:
    """``CCHC_BACKUP_KEY`` as bytes, or ``None`` when backups are not signed."""
    key = getattr(getattr(settings, "CONFIG", None), "backup_key", None)
    return key.encode("utf-8") if key else None


def sign_manifest(manifest: bytes, key: bytes) -> str:
    """The hex HMAC-SHA256 of the manifest's exact bytes."""
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def _private_file(path: Path) -> IO[bytes]:
    """``path`` opened for writing, created (or truncated) readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)  # a leftover file keeps its old mode through O_CREAT
    return os.fdopen(fd, "wb")


def _audit_head() -> dict[str, Any]:
    from cchc.web.ops.audit import head

    seq, digest = head()
    return {"seq": seq, "hash": digest}


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """Read every table from the same committed state, without blocking PostgreSQL writers."""
    nested = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not nested:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def create_backup(out: Path) -> BackupSummary:
    """Write the whole instance (rows and uploaded files) to the ZIP ``out``."""
    out = Path(out)
    media_root = Path(settings.MEDIA_ROOT)
    summary = BackupSummary(path=out)
    members: dict[str, dict[str, Any]] = {}
    tmp = out.with_name(out.name + ".partial")
    key = backup_key()
    try:
        with _private_file(tmp) as fh, zipfile.ZipFile(
            fh, "w", compression=zipfile.ZIP_DEFLATED
        ) as zf:
            with _one_snapshot():
                keys = backup_rows.natural_keys()
                for number, model in enumerate(archived_models(), start=1):
                    label = model._meta.label_lower
                    if not model._base_manager.exists():
                        summary.rows[label] = 0
                        continue
                    name = f"data/{number:03d}_{label}.jsonl"
                    digest = hashlib.sha256()
                    with zf.open(name, "w", force_zip64=True) as raw:
                        writer = _MemberWriter(raw, digest)
                        try:
                            summary.rows[label] = backup_rows.write_table(model, writer, keys)
                        finally:
                            writer.close()
                    members[name] = {"sha256": digest.hexdigest(), "size": writer.size}
                migrations = applied_migrations()
                audit_head = _audit_head()
                summary.audit_head = (audit_head["seq"], audit_head["hash"])
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
                "migrations": migrations,
                "rows": summary.rows,
                # Kept outside the database: `cchc audit verify --expect-head` compares with it.
                "audit_head": audit_head,
                "members": members,
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
            zf.writestr("manifest.json", text.encode("utf-8"))
            if key is not None:
                signature = {
                    "algorithm": SIGNATURE_ALGORITHM,
                    "signature": sign_manifest(text.encode("utf-8"), key),
                }
                zf.writestr(SIGNATURE, json.dumps(signature) + "\n")
        os.replace(tmp, out)  # a crash mid-backup never leaves a truncated OUT.zip
    finally:
        tmp.unlink(missing_ok=True)
    return summary


class _MemberWriter:
    """A ZIP member's bytes, hashed, compressed and written by a second thread while the
    first reads and encodes the next rows. zlib and hashlib release the GIL on large blocks,
    so with two cores a backup's compression hides behind the database's reading."""

    def __init__(self, raw: IO[bytes], digest: Any) -> None:
        self.raw = raw
        self.digest = digest
        self.size = 0
        self.error: BaseException | None = None
        self.blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)  # ≤ 8 chunks waiting
        self.thread = threading.Thread(target=self._drain, name="cchc-backup-writer")
        self.thread.start()

    def write(self, data: bytes) -> int:
        if self.error is not None:
            raise self.error
        self.blocks.put(data)
        self.size += len(data)
        return len(data)

    def _drain(self) -> None:
        while (data := self.blocks.get()) is not None:
            if self.error is None:
                try:
                    self.digest.update(data)
                    self.raw.write(data)
                except BaseException as exc:  # re-raised in the reading thread
                    self.error = exc

    def close(self) -> None:
        """Wait until every block is written; raise the writing thread's error, if any."""
        self.blocks.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def _check_signature(
    zf: zipfile.ZipFile, raw: bytes, source: str, *, allow_unsigned: bool
) -> None:
    """Refuse a manifest whose signature does not match the key (see the module's text)."""
    key = backup_key()
    signed = SIGNATURE in zf.namelist()
    if not signed:
        if key is not None and not allow_unsigned:
            raise BackupError(
                f"{source}: bản sao lưu không có chữ ký trong khi CCHC_BACKUP_KEY đã đặt; không "
                "thể biết nó có bị sửa hay không (nếu chắc chắn về nguồn gốc, dùng "
                "--allow-unsigned)"
            )
        return
    if key is None:
        if allow_unsigned:
            return
        raise BackupError(
            f"{source}: bản sao lưu có chữ ký nhưng CCHC_BACKUP_KEY chưa đặt; hãy đặt khóa đã "
            "dùng khi sao lưu (hoặc dùng --allow-unsigned để chỉ kiểm tra mã SHA-256)"
        )
    try:
        signature = json.loads(zf.read(SIGNATURE))
        algorithm, value = signature["algorithm"], str(signature["signature"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{source}: {SIGNATURE} hỏng ({exc})") from exc
    if algorithm != SIGNATURE_ALGORITHM:
        raise BackupError(f"{source}: thuật toán chữ ký {algorithm!r} không được hỗ trợ")
    if not hmac.compare_digest(value, sign_manifest(raw, key)):
        raise BackupError(
            f"{source}: chữ ký của bản sao lưu không khớp với CCHC_BACKUP_KEY: bản sao lưu đã "
            "bị sửa, hoặc được ký bằng một khóa khác"
        )


def read_manifest(
    zf: zipfile.ZipFile, source: str, *, allow_unsigned: bool = False
) -> dict[str, Any]:
    """The manifest of a backup, its signature and every member's checksum verified."""
    try:
        raw = zf.read("manifest.json")
    except KeyError as exc:
        raise BackupError(f"{source}: không có manifest.json, không phải bản sao lưu cchc") from exc
    _check_signature(zf, raw, source, allow_unsigned=allow_unsigned)
    try:
        manifest: dict[str, Any] = json.loads(raw)
    except ValueError as exc:
        raise BackupError(f"{source}: manifest.json hỏng ({exc})") from exc
    if manifest.get("format") not in (FORMAT, FORMAT_V1):
        raise BackupError(
            f"{source}: định dạng {manifest.get('format')!r}, cần {FORMAT} hoặc {FORMAT_V1}"
        )
    names = set(zf.namelist()) - {"manifest.json", SIGNATURE}
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


def restore_backup(src: Path, *, allow_unsigned: bool = False) -> BackupSummary:
    """Restore a backup into this instance's empty, migrated database and media folder.

    ``allow_unsigned`` accepts an archive whose signature cannot be checked (none while a key
    is set, or one while no key is set); a signature that does not match is always refused.
    """
    src = Path(src)
    if not src.is_file():
        raise BackupError(f"{src}: không tìm thấy tệp sao lưu")
    try:
        zf = zipfile.ZipFile(src)
    except zipfile.BadZipFile as exc:
        raise BackupError(f"{src}: không phải tệp ZIP hợp lệ") from exc
    with zf:
        manifest = read_manifest(zf, str(src), allow_unsigned=allow_unsigned)
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
            data = sorted(name for name in manifest["members"] if name.startswith("data/"))
            if manifest["format"] == FORMAT_V1:
                _load_fixtures(zf, data)
            else:
                _load_tables(zf, data, manifest["rows"], str(src))
            media_root.mkdir(parents=True, exist_ok=True)
            for item in staging.iterdir():
                os.replace(item, media_root / item.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return summary


def _load_fixtures(zf: zipfile.ZipFile, names: list[str]) -> None:
    """``cchc-backup/1``: Django fixtures, loaded by ``loaddata`` in one transaction."""
    if not names:
        return
    with tempfile.TemporaryDirectory(prefix="cchc-restore-") as work:
        fixtures = []
        for name in names:
            target = Path(work) / PurePosixPath(name).name
            with zf.open(name) as fh, target.open("wb") as out:
                shutil.copyfileobj(fh, out)
            fixtures.append(str(target))
        # One loaddata call = one transaction; sequences are reset afterwards.
        call_command("loaddata", *fixtures, verbosity=0)


def _load_tables(zf: zipfile.ZipFile, names: list[str], rows: dict[str, int], src: str) -> None:
    """``cchc-backup/2``: every table's rows, a line at a time, in one transaction; foreign
    keys checked before the commit; id sequences moved past the restored rows."""
    by_label = {m._meta.label_lower: m for m in archived_models()}
    loaded: list[type[models.Model]] = []
    with transaction.atomic():
        if rows.get("ops.audithead"):
            # migrate's empty head row (see _existing_rows) gives way to the archived one.
            from cchc.web.ops.models import AuditHead

            AuditHead.objects.all().delete()
        ids = backup_rows.natural_ids()
        for name in names:
            try:
                with zf.open(name) as fh:
                    rows_in = backup_rows.lines(fh)
                    header = json.loads(next(rows_in, b"null"))
                    label = header.get("model") if isinstance(header, dict) else None
                    model = by_label.get(str(label))
                    if model is None:
                        raise backup_rows.TableError(f"bảng {label!r} không có trong phiên bản này")
                    loader = backup_rows.TableLoader(model, header)
                    loader.use_natural_keys(ids)
                    count = loader.load(rows_in)
            except (ValueError, TypeError, DatabaseError) as exc:  # an edited or foreign member
                raise BackupError(f"{src}: {name}: {exc}") from exc
            if count != rows.get(str(label)):
                raise BackupError(
                    f"{src}: {name}: {count} dòng, manifest ghi {rows.get(str(label))}"
                )
            loaded.append(model)
        try:
            # Foreign keys are checked here rather than at commit, so the error names the table.
            connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
        except IntegrityError as exc:
            raise BackupError(f"{src}: dữ liệu không nhất quán, không khôi phục ({exc})") from exc
        # Rows kept their ids: PostgreSQL's sequences must continue after the largest one.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                cursor.execute(sql)
