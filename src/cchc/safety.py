"""Defences for what crosses the system boundary: exported cells, file names, uploads.

- ``safe_cell``: spreadsheet formula injection (OWASP "CSV Injection"): a cell whose text
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
  Excel/LibreOffice when a user opens the export. Such text is prefixed with an apostrophe
  ``'``, the neutraliser OWASP recommends; numbers stay numbers (a negative score is data,
  not a formula).
- ``safe_filename``: upload names become one harmless file name: no folders, no ``..``, no
  control characters, no Windows reserved names (CON, PRN, AUX, NUL, COM1–9, LPT1–9), no
  characters Windows forbids, bounded length; Vietnamese letters are kept (NFC).
- ``check_upload``: a file is accepted only if BOTH its extension and its first bytes
  (magic numbers) say it is one of the allowed kinds, and it is not larger than allowed.
  Messages are Vietnamese because they are shown to the person who uploaded the file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """An exported cell value that a spreadsheet will show, never execute.

    ``int``/``float``/``Decimal``/dates/``None`` pass unchanged; text that a spreadsheet would
    read as a formula gets a leading apostrophe.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: list[object] | tuple[object, ...]) -> list[object]:
    """``safe_cell`` over a whole row."""
    return [safe_cell(v) for v in values]


_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_FORBIDDEN_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_FILENAME_CHARS = 120


def safe_filename(name: str, default: str = "tep") -> str:
    """One safe file name from what a browser sent (which may be a path or hostile)."""
    name = unicodedata.normalize("NFC", name or "")
    # Browsers on Windows may send the full path; keep the last component of either style.
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    name = _FORBIDDEN_CHARS.sub("_", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # format/control
    name = name.strip(" .")  # Windows drops trailing dots/spaces; leading dots hide files
    # Windows reserves "CON", "con.txt", "Com1.tar.gz": the part before the first dot counts.
    if name.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        name = "_" + name
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot and stem else ""
        head = (stem if ext else name)[: MAX_FILENAME_CHARS - len(ext) - 1].rstrip(" .")
        name = f"{head}.{ext}" if ext else head
    return name or default


@dataclass(frozen=True)
class FileKind:
    """An accepted type of upload: its extensions and how its first bytes look."""

    name: str
    label: str
    extensions: tuple[str, ...]
    magics: tuple[bytes, ...]


PDF = FileKind("pdf", "PDF", (".pdf",), (b"%PDF-",))
PNG = FileKind("png", "ảnh PNG", (".png",), (b"\x89PNG\r\n\x1a\n",))
JPEG = FileKind("jpeg", "ảnh JPEG", (".jpg", ".jpeg"), (b"\xff\xd8\xff",))
# DOCX and XLSX are ZIP containers (ECMA-376); DOC and XLS are OLE2 compound files.
DOCX = FileKind("docx", "Word (.docx)", (".docx",), (b"PK\x03\x04",))
XLSX = FileKind("xlsx", "Excel (.xlsx)", (".xlsx",), (b"PK\x03\x04",))
DOC = FileKind("doc", "Word 97–2003 (.doc)", (".doc",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",))
XLS = FileKind("xls", "Excel 97–2003 (.xls)", (".xls",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",))
KINDS: dict[str, FileKind] = {k.name: k for k in (PDF, PNG, JPEG, DOCX, XLSX, DOC, XLS)}
EVIDENCE_KINDS = tuple(KINDS)  # what a unit may attach as evidence (docs/workflow.md)


class UploadRejected(ValueError):
    """An upload is refused; the message is meant for the person who sent it."""


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(size, 0) // 1024} KB"


def check_upload(
    name: str,
    size: int,
    head_bytes: bytes,
    allowed_kinds: tuple[str, ...] | list[str] = EVIDENCE_KINDS,
    max_bytes: int = 20 * 1024 * 1024,
) -> FileKind:
    """Accept an upload or raise ``UploadRejected`` saying why, in Vietnamese.

    ``head_bytes`` are the first bytes of the file (16 are enough). Returns the kind found.
    """
    kinds = [KINDS[k] for k in allowed_kinds]
    labels = ", ".join(k.label for k in kinds)
    if size <= 0:
        raise UploadRejected(f"Tệp “{safe_filename(name)}” rỗng.")
    if size > max_bytes:
        raise UploadRejected(
            f"Tệp “{safe_filename(name)}” có dung lượng {_size_text(size)}, vượt quá giới hạn "
            f"{_size_text(max_bytes)}."
        )
    clean = safe_filename(name)
    ext = ("." + clean.rpartition(".")[2].lower()) if "." in clean else ""
    by_ext = [k for k in kinds if ext in k.extensions]
    if not by_ext:
        raise UploadRejected(
            f"Tệp “{clean}” có phần mở rộng “{ext or '(không có)'}” không được chấp nhận; "
            f"chỉ nhận: {labels}."
        )
    for kind in by_ext:
        if any(head_bytes.startswith(magic) for magic in kind.magics):
            return kind
    raise UploadRejected(
        f"Nội dung tệp “{clean}” không phải {by_ext[0].label} như phần mở rộng ghi; "
        "tệp có thể bị hỏng hoặc bị đổi tên."
    )


#: Options for every ``xlsxwriter.Workbook`` we create: text that looks like a formula is
#: stored as text, never as a formula (OWASP "CSV injection" applies to XLSX too).
XLSX_OPTIONS: dict[str, object] = {"strings_to_formulas": False}

