"""Check a spreadsheet's ZIP container against ``TableLimits`` before any reader opens it.

What is checked, in this order (each failure is a ``TableError`` naming the file and the
limit, in Vietnamese):

1. The container: a ZIP, not encrypted, members stored or deflated only, at most
   ``max_members`` of them.
2. What the ZIP declares: each member's uncompressed size and compression ratio, their
   total, the shared-strings file's size.
3. What the ZIP really holds: every member is inflated by streaming (never held whole),
   counting its bytes; a member that inflates beyond its declared size (a lying header)
   or beyond the limits is refused on the spot. The XML is scanned as it streams
   (``xml.parsers.expat``, no tree): a DTD is refused (entity expansion), each sheet's
   declared ``<dimension ref>`` and its real extent (highest row and column of its cells)
   are checked against the rows, columns and cells limits, and every text (shared
   string, inline string, cell value) against ``max_cell_chars``.

The real extent counts from A1, as the reader allocates a rectangle from A1 to the last
cell. Figures come from ECMA-376 Part 1 (SpreadsheetML: ``dimension``, ``row/@r``,
``c/@r``, ``sst/si``) and the ZIP format (PKWARE APPNOTE 4.3.7: local file header).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any

from cchc.fmt import format_int
from cchc.tables.limits import DEFAULT_LIMITS, MIB, TableLimits
from cchc.tables.problems import TableError

__all__ = ["check_workbook"]

_CHUNK = 256 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_REF = re.compile(r"^\$?([A-Za-z]{1,7})\$?([0-9]{1,10})$")
# Below this size a member's ratio says nothing (a 2 KB XML of spaces compresses 100×).
_RATIO_FLOOR = MIB


def _mb(size: int) -> str:
    return f"{format_int(round(size / MIB))} MB" if size >= MIB else f"{format_int(size)} byte"


def column_number(letters: str) -> int:
    """'A' → 1, 'XFD' → 16384."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _ref(text: str) -> tuple[int, int] | None:
    """'B12' → (row 12, column 2); None if it is not a cell reference."""
    match = _REF.match(text.strip())
    if not match:
        return None
    return int(match.group(2)), column_number(match.group(1))


class _Refused(Exception):
    """Raised inside the XML handlers to stop the stream at the first exceeded limit."""


class _Scanner:
    """Streams one XML member, tracking a sheet's extent and the longest text."""

    def __init__(self, file: str, member: str, limits: TableLimits) -> None:
        from xml.parsers import expat

        self.file, self.member, self.limits = file, member, limits
        self.max_row = self.max_column = 0
        self._row = 0  # the row being read
        self._column = 0  # the last cell's column in it
        self._text: list[int] | None = None  # characters of the current string, if any
        self._depth_si = 0
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._chars
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype

    def refuse(self, reason: str) -> TableError:
        return TableError.single(self.file, reason)

    def _doctype(self, *_args: Any) -> None:
        raise _Refused(f"phần {self.member} của bảng tính có khai báo DTD (không được phép)")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            number = attrs.get("r")
            self._row = int(number) if number and number.isdigit() else self._row + 1
            self._column = 0
            self._extent(self._row, 0)
        elif local == "c" and self._row:
            ref = _ref(attrs.get("r", ""))
            self._column = ref[1] if ref else self._column + 1
            self._extent(self._row, self._column)
        elif local == "dimension":
            self._dimension(attrs.get("ref", ""))
        elif local == "si":
            self._depth_si += 1
            self._text = [0]
        elif local in ("t", "v") and self._text is None:
            self._text = [0]

    def _end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "si" or (local in ("t", "v") and not self._depth_si):
            if local == "si":
                self._depth_si -= 1
            self._text = None

    def _chars(self, data: str) -> None:
        if self._text is None:
            return
        self._text[0] += len(data)
        if self._text[0] > self.limits.max_cell_chars:
            raise _Refused(
                f"bảng tính có một ô chữ dài hơn {format_int(self.limits.max_cell_chars)} ký tự "
                "(giới hạn số ký tự của một ô)"
            )

    def _dimension(self, ref: str) -> None:
        corners = [_ref(part) for part in ref.split(":")]
        if not ref or any(c is None for c in corners):
            return  # the reader ignores a dimension it cannot read
        rows = max(c[0] for c in corners if c)
        columns = max(c[1] for c in corners if c)
        self._check(rows, columns, f"khai báo vùng dữ liệu {ref}")

    def _extent(self, row: int, column: int) -> None:
        if row > self.max_row or column > self.max_column:
            self.max_row = max(self.max_row, row)
            self.max_column = max(self.max_column, column)
            self._check(self.max_row, self.max_column, "có dữ liệu tới")

    def _check(self, rows: int, columns: int, what: str) -> None:
        limits = self.limits
        if what.startswith("có"):
            what = f"{what} dòng {format_int(rows)}, cột {format_int(columns)}"
        if rows > limits.max_rows:
            raise _Refused(
                f"bảng tính {what}: {format_int(rows)} dòng, vượt giới hạn "
                f"{format_int(limits.max_rows)} dòng"
            )
        if columns > limits.max_columns:
            raise _Refused(
                f"bảng tính {what}: {format_int(columns)} cột, vượt giới hạn "
                f"{format_int(limits.max_columns)} cột"
            )
        if rows * columns > limits.max_cells:
            raise _Refused(
                f"bảng tính {what}: {format_int(rows)} dòng × {format_int(columns)} cột = "
                f"{format_int(rows * columns)} ô, vượt giới hạn {format_int(limits.max_cells)} ô"
            )

    def feed(self, data: bytes, final: bool = False) -> None:
        from xml.parsers import expat

        try:
            self.parser.Parse(data, final)
        except _Refused as exc:
            raise self.refuse(str(exc)) from None
        except expat.ExpatError as exc:
            raise self.refuse(f"phần {self.member} của bảng tính hỏng ({exc})") from None


def _inflate(stream: IO[bytes], info: zipfile.ZipInfo, file: str) -> Iterator[bytes]:
    """The member's real content, chunk by chunk, from its local header (not trusting
    the declared size: the caller counts)."""
    stream.seek(info.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise TableError.single(file, f"phần {info.filename} của bảng tính hỏng (ZIP không hợp lệ)")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    stream.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        chunk = stream.read(min(left, _CHUNK))
        if not chunk:
            break
        left -= len(chunk)
        if inflater is None:
            yield chunk
            continue
        try:
            data = inflater.decompress(chunk, _CHUNK)
            while True:
                yield data
                if not inflater.unconsumed_tail:
                    break
                data = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        except zlib.error as exc:
            raise TableError.single(
                file, f"phần {info.filename} của bảng tính hỏng ({exc})"
            ) from None
    if inflater is not None:
        yield inflater.flush()


def check_workbook(stream: IO[bytes], file: str, limits: TableLimits = DEFAULT_LIMITS) -> None:
    """Refuse an XLSX (a seekable binary stream) that breaks ``limits``; leave it at 0."""
    try:
        _check(stream, file, limits)
    finally:
        stream.seek(0)


def _check(stream: IO[bytes], file: str, limits: TableLimits) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise TableError.single(file, f"không phải tệp Excel (.xlsx) hợp lệ ({exc})") from None
    with archive:
        members = archive.infolist()
    if len(members) > limits.max_members:
        raise TableError.single(
            file,
            f"bảng tính có {format_int(len(members))} tệp thành phần, vượt giới hạn "
            f"{format_int(limits.max_members)}",
        )
    declared = 0
    for info in members:
        _check_declared(info, file, limits)
        declared += info.file_size
    if declared > limits.max_uncompressed_bytes:
        raise TableError.single(
            file,
            f"bảng tính khi giải nén có {_mb(declared)}, vượt giới hạn "
            f"{_mb(limits.max_uncompressed_bytes)}",
        )
    real = 0
    for info in members:
        if info.is_dir():
            continue
        scanner = (
            _Scanner(file, info.filename, limits)
            if info.filename.lower().endswith((".xml", ".rels"))
            else None
        )
        size = 0
        for data in _inflate(stream, info, file):
            size += len(data)
            real += len(data)
            if size > info.file_size:
                raise TableError.single(
                    file,
                    f"phần {info.filename} của bảng tính giải nén ra nhiều hơn kích thước khai "
                    f"báo ({_mb(info.file_size)}): tệp ZIP bị làm giả",
                )
            if real > limits.max_uncompressed_bytes:  # unreachable unless sizes lie
                raise TableError.single(
                    file,
                    f"bảng tính khi giải nén vượt giới hạn {_mb(limits.max_uncompressed_bytes)}",
                )
            if scanner is not None and data:
                scanner.feed(data)
        if scanner is not None:
            scanner.feed(b"", final=True)


def _check_declared(info: zipfile.ZipInfo, file: str, limits: TableLimits) -> None:
    if info.flag_bits & 0x1:
        raise TableError.single(file, "bảng tính được mã hóa bằng mật khẩu; hãy gỡ mật khẩu")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise TableError.single(
            file, f"phần {info.filename} của bảng tính dùng kiểu nén không hỗ trợ"
        )
    if info.file_size > limits.max_uncompressed_bytes:
        raise TableError.single(
            file,
            f"phần {info.filename} của bảng tính khi giải nén có {_mb(info.file_size)}, vượt "
            f"giới hạn {_mb(limits.max_uncompressed_bytes)}",
        )
    if info.filename.lower().endswith("sharedstrings.xml") and (
        info.file_size > limits.max_shared_strings_bytes
    ):
        raise TableError.single(
            file,
            f"phần chuỗi dùng chung (sharedStrings.xml) của bảng tính có {_mb(info.file_size)}, "
            f"vượt giới hạn {_mb(limits.max_shared_strings_bytes)}",
        )
    if info.file_size > _RATIO_FLOOR:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise TableError.single(
                file,
                f"phần {info.filename} của bảng tính nén {format_int(round(ratio))} lần "
                f"(quá giới hạn {format_int(limits.max_compression_ratio)} lần): nghi là bom nén",
            )
