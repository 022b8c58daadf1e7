"""Evidence upload checks: size, type (by extension AND content signature), safe stored names.

Accepted: PDF, images (PNG, JPEG, GIF, WebP) and Office files (Word, Excel, PowerPoint,
OpenDocument) — what offices attach as proof (issue 4). The browser's content type is not
trusted; the file's first bytes must match its extension.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

from cchc.fmt import format_number

# extension → (content type, accepted leading bytes)
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy .doc/.xls/.ppt
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".ppt": ("application/vnd.ms-powerpoint", _OLE),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
}


class UploadRejected(ValueError):
    """The file is refused; the message (Vietnamese) says why."""


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    stored_name: str
    content_type: str
    size: int


def display_name(name: str) -> str:
    """The user's file name reduced to a safe display name: no folders, no control
    characters, no leading dots, at most 200 characters ("../../etc/passwd" → "passwd")."""
    base = PureWindowsPath(PurePosixPath(name).name).name  # strips both / and \ folders
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = base.replace("/", "_").replace("\\", "_").strip().lstrip(".")
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 1] + dot + ext) if dot else base[:200]
    return base or "tep"


def stored_name(original: str) -> str:
    """A generated ASCII name keeping only the (checked) extension: nothing the user typed
    reaches the file system path."""
    ext = PurePosixPath(original).suffix.lower()
    stem = unicodedata.normalize("NFKD", PurePosixPath(original).stem)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem.encode("ascii", "ignore").decode()).strip("-")
    return f"{secrets.token_hex(8)}-{stem[:40] or 'tep'}{ext}"


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
    content_type, signatures = ALLOWED_TYPES[ext]
    if not any(head.startswith(sig) for sig in signatures) or (
        ext == ".webp" and head[8:12] != b"WEBP"
    ):
        raise UploadRejected(f"Tệp {original!r}: nội dung không đúng định dạng {ext}.")
    return CheckedUpload(original, stored_name(original), content_type, size)


def read_head(stream: IO[bytes], n: int = 16) -> bytes:
    """The first bytes of an uploaded file, leaving the stream at its start."""
    pos = stream.tell()
    head = stream.read(n)
    stream.seek(pos)
    return head
