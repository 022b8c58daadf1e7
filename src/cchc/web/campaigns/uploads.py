"""Evidence upload checks: size, type (by extension AND content signature), safe stored names.

Accepted: PDF, images (PNG, JPEG, GIF, WebP) and Office files (Word, Excel, PowerPoint,
OpenDocument) — what offices attach as proof. The browser's content type is not
trusted; the file's first bytes must match its extension.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from cchc import safety
from cchc.fmt import format_number
from cchc.safety import FileKind

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
    if safety.KINDS.get(kind.name) is kind:
        # One implementation of the signature check for the kinds cchc.safety knows.
        try:
            safety.check_upload(name, size, head, allowed_kinds=(kind.name,), max_bytes=size)
        except safety.UploadRejected:
            return False
        return True
    matches = any(head.startswith(magic) for magic in kind.magics)
    return matches and (kind is not WEBP or head[8:12] == b"WEBP")


def check_upload(name: str, size: int, head: bytes, *, max_bytes: int) -> CheckedUpload:
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
    if ext not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(e.lstrip(".") for e in ALLOWED_TYPES))
        raise UploadRejected(
            f"Tệp {original!r}: loại tệp không được chấp nhận (chỉ nhận {allowed})."
        )
    content_type, kind = ALLOWED_TYPES[ext]
    if not _content_matches(kind, original, size, head):
        raise UploadRejected(f"Tệp {original!r}: nội dung không đúng định dạng {ext}.")
    return CheckedUpload(original, stored_name(original), content_type, size)


def read_head(stream: IO[bytes], n: int = 16) -> bytes:
    """The first bytes of an uploaded file, leaving the stream at its start."""
    pos = stream.tell()
    head = stream.read(n)
    stream.seek(pos)
    return head
