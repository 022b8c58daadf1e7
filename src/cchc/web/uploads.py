"""The one upload receiver: every file a person sends goes through ``receive``.

It checks the size (``CCHC_UPLOAD_MAX_MB``), the type by extension AND content signature
(the browser's content type is not trusted) and reduces the name to a safe display name;
what it returns carries the upload's own binary stream, which the core readers take with
that name (nothing is copied to a temporary file). What each upload may be:

- ``EVIDENCE``: PDF, images (PNG, JPEG, GIF, WebP) and Office files (Word, Excel,
  PowerPoint, OpenDocument) — what offices attach as proof.
- ``TABLES``: CSV or XLSX (score files, survey answer files).
- ``PORTAL_FILES``: the national portal's saved JSON responses and Excel exports.
- ``LEDGERS``: CSV, XLSX or Parquet (dossier ledgers: the desk import, page and API, and
  the survey sampling frame).

Tables in uploads are then read with ``table_limits()`` (``CCHC_TABLE_*``), so a
spreadsheet bomb is refused before it is decoded. A refusal is ``UploadRejected`` or a
``cchc.tables.TableError``, both with a Vietnamese message: the desk import (page and API)
and the survey pages answer 422 with it; the campaign pages (evidence, survey scores) show
it as their other refusals, a message after the redirect.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from cchc import safety
from cchc.fmt import format_number
from cchc.safety import FileKind
from cchc.tables import TableLimits

# The kinds cchc.safety knows are used as they are; the others evidence may also be
# (images and presentations offices attach) are declared here the same way.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy .doc/.xls/.ppt
GIF = FileKind("gif", "ảnh GIF", (".gif",), (b"GIF87a", b"GIF89a"))
WEBP = FileKind("webp", "ảnh WebP", (".webp",), (b"RIFF",))  # + "WEBP" at byte 8, checked below
PPT = FileKind("ppt", "PowerPoint 97–2003 (.ppt)", (".ppt",), _OLE)
PPTX = FileKind("pptx", "PowerPoint (.pptx)", (".pptx",), _ZIP)
ODT = FileKind("odt", "OpenDocument văn bản (.odt)", (".odt",), _ZIP)
ODS = FileKind("ods", "OpenDocument bảng tính (.ods)", (".ods",), _ZIP)

# A CSV has no signature: it is accepted unless its first bytes are those of a binary file.
CSV = FileKind("csv", "CSV", (".csv",), ())
# A saved JSON response of the national portal: text, like a CSV.
JSON = FileKind("json", "JSON", (".json",), ())
PARQUET = FileKind("parquet", "Parquet", (".parquet",), (b"PAR1",))
_BINARY = (
    b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8",
    b"PAR1", b"RIFF", b"\x7fELF", b"MZ", b"\x1f\x8b",
)

Accepted = Mapping[str, tuple[str, FileKind]]
"""extension → (content type stored with the file, kind checked)."""

# extension → (content type stored with the evidence, kind checked)
ALLOWED_TYPES: dict[str, tuple[str, FileKind]] = {
    ".pdf": ("application/pdf", safety.PDF),
    ".png": ("image/png", safety.PNG),
    ".jpg": ("image/jpeg", safety.JPEG),
    ".jpeg": ("image/jpeg", safety.JPEG),
    ".gif": ("image/gif", GIF),
    ".webp": ("image/webp", WEBP),
    ".doc": ("application/msword", safety.DOC),
    ".xls": ("application/vnd.ms-excel", safety.XLS),
    ".ppt": ("application/vnd.ms-powerpoint", PPT),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        safety.DOCX,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", safety.XLSX),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        PPTX,
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", ODT),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ODS),
}


EVIDENCE: Accepted = ALLOWED_TYPES
_XLSX = ALLOWED_TYPES[".xlsx"]
TABLES: Accepted = {".csv": ("text/csv", CSV), ".xlsx": _XLSX}
LEDGERS: Accepted = {**TABLES, ".parquet": ("application/vnd.apache.parquet", PARQUET)}
#: The national portal's 766 files: its saved JSON responses and its Excel exports.
PORTAL_FILES: Accepted = {".json": ("application/json", JSON), ".xlsx": _XLSX}


class UploadRejected(safety.UploadRejected):
    """The file is refused; the message (Vietnamese) says why."""


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    stored_name: str
    content_type: str
    size: int


def display_name(name: str) -> str:
    """The user's file name reduced to a safe display name (``cchc.safety.safe_filename``):
    no folders, no control characters, no leading dots ("../../etc/passwd" → "passwd")."""
    return safety.safe_filename(name)


def stored_name(original: str) -> str:
    """A generated ASCII name keeping only the (checked) extension: nothing the user typed
    reaches the file system path."""
    ext = PurePosixPath(original).suffix.lower()
    stem = unicodedata.normalize("NFKD", PurePosixPath(original).stem)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem.encode("ascii", "ignore").decode()).strip("-")
    return f"{secrets.token_hex(8)}-{stem[:40] or 'tep'}{ext}"


def _content_matches(kind: FileKind, name: str, size: int, head: bytes) -> bool:
    if kind is CSV or kind is JSON:  # text: no signature, only "not a binary file"
        return not head.startswith(_BINARY)
    if safety.KINDS.get(kind.name) is kind:
        # One implementation of the signature check for the kinds cchc.safety knows.
        try:
            safety.check_upload(name, size, head, allowed_kinds=(kind.name,), max_bytes=size)
        except safety.UploadRejected:
            return False
        return True
    matches = any(head.startswith(magic) for magic in kind.magics)
    return matches and (kind is not WEBP or head[8:12] == b"WEBP")


def check_upload(
    name: str, size: int, head: bytes, *, max_bytes: int, accept: Accepted = EVIDENCE
) -> CheckedUpload:
    """Accept or refuse a file given its name, size and first bytes."""
    original = display_name(name)
    if size <= 0:
        raise UploadRejected(f"Tệp {original!r} rỗng.")
    if size > max_bytes:
        raise UploadRejected(
            f"Tệp {original!r} có dung lượng {format_number(size / 1048576, 1)} MB, vượt "
            f"giới hạn {format_number(max_bytes / 1048576, 1, trim=True)} MB."
        )
    ext = PurePosixPath(original).suffix.lower()
    if ext not in accept:
        allowed = ", ".join(sorted(e.lstrip(".") for e in accept))
        raise UploadRejected(
            f"Tệp {original!r}: loại tệp không được chấp nhận (chỉ nhận {allowed})."
        )
    content_type, kind = accept[ext]
    if not _content_matches(kind, original, size, head):
        raise UploadRejected(f"Tệp {original!r}: nội dung không đúng định dạng {ext}.")
    return CheckedUpload(original, stored_name(original), content_type, size)


def read_head(stream: IO[bytes], n: int = 16) -> bytes:
    """The first bytes of an uploaded file, leaving the stream at its start."""
    pos = stream.tell()
    head = stream.read(n)
    stream.seek(pos)
    return head


@dataclass(frozen=True)
class Received:
    """An accepted upload: its safe names, checked type and size, and its binary stream
    (at its start) for a core reader that takes a stream and a name."""

    name: str
    stored_name: str
    content_type: str
    size: int
    stream: IO[bytes]


def receive(upload: Any, accept: Accepted = EVIDENCE, *, max_bytes: int | None = None) -> Received:
    """Check an upload (Django's ``UploadedFile``, also what django-ninja gives) or raise
    ``UploadRejected``; ``max_bytes`` may only lower ``CCHC_UPLOAD_MAX_MB``."""
    limit = settings.CCHC_UPLOAD_MAX_BYTES
    if max_bytes is not None:
        limit = min(limit, max_bytes)
    stream: IO[bytes] = upload.file
    stream.seek(0)
    checked = check_upload(
        upload.name or "", upload.size or 0, read_head(stream), max_bytes=limit, accept=accept
    )
    return Received(checked.original_name, checked.stored_name, checked.content_type, checked.size, stream)


def table_limits() -> TableLimits:
    """The limits tables in uploads are read with (``CCHC_TABLE_*`` settings)."""
    limits: TableLimits = settings.CCHC_TABLE_LIMITS
    return limits


class LimitedUploadHandler(FileUploadHandler):
    """First of Django's upload handlers: past ``CCHC_UPLOAD_MAX_MB`` the rest of a file is
    counted and dropped, never handed to the handlers that keep it in memory or on disk;
    the file then arrives empty with its real size, and ``receive`` refuses it by size."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.over or self.received > settings.CCHC_UPLOAD_MAX_BYTES:
            self.over = True
            return None  # the later handlers never see it
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.over:
            return None  # the next handler (memory or temporary file) completes it
        import io

        return UploadedFile(io.BytesIO(), name=self.file_name, size=self.received)
