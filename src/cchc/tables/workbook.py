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


class _Fallback(Exception):
    """The fast scan met rows or cells without a reference: parse the part with expat."""


class _Extent:
    """A sheet's extent so far, checked against the limits at every growth."""

    def __init__(self, file: str, member: str, limits: TableLimits) -> None:
        self.file, self.member, self.limits = file, member, limits
        self.max_row = self.max_column = 0

    def refuse(self, reason: str) -> TableError:
        return TableError.single(self.file, reason)

    def _too_long(self) -> _Refused:
        return _Refused(
            f"bảng tính có một ô chữ dài hơn {format_int(self.limits.max_cell_chars)} ký tự "
            "(giới hạn số ký tự của một ô)"
        )

    def _doctype(self, *_args: Any) -> None:
        raise _Refused(f"phần {self.member} của bảng tính có khai báo DTD (không được phép)")

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


# The fast scan: C-speed regular expressions over each inflated chunk instead of a Python
# call per XML element (a 100 000-row sheet has a million cells). Each pattern starts with
# a literal, which the regular-expression engine finds fast. A part whose elements carry a
# namespace prefix (``x:c``), or whose rows or cells have no reference, is parsed by expat.
_ROW_REF = re.compile(rb'<row\s[^>]*?\br="(\d{1,10})"')
_CELL_COLUMN = re.compile(rb' r="([A-Za-z]{1,7})\d')
_CELL_ROW = re.compile(rb' r="[A-Za-z]{1,7}(\d{1,10})"')
_DIMENSION = re.compile(rb'<dimension\s[^>]*?\bref="([^"]*)"')
_SHARED = re.compile(rb"<si>(.*?)</si>", re.DOTALL)
_TAG = re.compile(rb"<[^>]*>")
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:row|c|si|dimension)[\s/>]")
_PREFIXED_NAMES = (b":row", b":c ", b":c>", b":si>", b":dimension")
_ENTITY_BYTES = 10  # the longest way XML can write one character: "&#x10FFFF;"


class _FastScanner(_Extent):
    """Scans a sheet, or with ``shared`` the shared strings, with regular expressions."""

    def __init__(self, file: str, member: str, limits: TableLimits, *, shared: bool = False) -> None:
        super().__init__(file, member, limits)
        self._shared = shared
        self._carry = b""
        self._in_data = False  # past <sheetData>: no more <dimension>
        # A tag, a text or a shared string split by a chunk end is carried over; beyond
        # this it is longer than any text the limits allow.
        self._max_carry = _ENTITY_BYTES * limits.max_cell_chars + 4096
        self._long_text = re.compile(rb">([^<]{%d,})" % (limits.max_cell_chars + 1))

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self._feed(data, final)
        except _Refused as exc:
            raise self.refuse(str(exc)) from None

    def _cut(self, buffer: bytes) -> int:
        """Where the complete part of the buffer ends: before the last tag, or before the
        last shared string still open."""
        cut = buffer.rfind(b"<")
        if self._shared:
            opened = buffer.rfind(b"<si>")
            if opened > buffer.rfind(b"</si>"):
                cut = opened
        return cut if cut >= 0 else len(buffer)

    def _feed(self, data: bytes, final: bool) -> None:
        buffer = self._carry + data
        cut = len(buffer) if final else self._cut(buffer)
        if len(buffer) - cut > self._max_carry:
            raise self._too_long()
        chunk, self._carry = buffer[:cut], buffer[cut:]
        if not chunk:
            return
        if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
            self._doctype()
        if any(name in chunk for name in _PREFIXED_NAMES) and _PREFIXED.search(chunk):
            raise _Fallback
        if self._shared:
            self._strings(chunk)
            return
        if not self._in_data:
            for match in _DIMENSION.finditer(chunk):
                self._dimension(match.group(1).decode("ascii", "replace"))
            self._in_data = b"<sheetData" in chunk
        rows = _ROW_REF.findall(chunk)
        columns = _CELL_COLUMN.findall(chunk)
        if len(rows) != _count(chunk, b"<row") or len(columns) != _count(chunk, b"<c"):
            raise _Fallback  # an element without a reference: its position is counted
        row = max(map(int, rows), default=0)
        column = 0
        if columns:
            letters = {c.upper() for c in set(columns)}
            longest = max(len(x) for x in letters)
            column = column_number(max(x for x in letters if len(x) == longest).decode())
            row = max(row, max(map(int, _CELL_ROW.findall(chunk))))
        if row or column:
            self._extent(row, column)
        # Only a text longer than the limit in bytes can be longer in characters.
        for text in self._long_text.findall(chunk):
            if text.strip() and _chars(text) > self.limits.max_cell_chars:
                raise self._too_long()

    def _strings(self, chunk: bytes) -> None:
        # A shared string may be written in runs (rich text): its length is their sum.
        if chunk.count(b"<si>") != chunk.count(b"</si>") or b"<si " in chunk:
            raise _Fallback
        limit = self.limits.max_cell_chars
        for content in _SHARED.findall(chunk):
            if len(content) > limit and _chars(_TAG.sub(b"", content)) > limit:
                raise self._too_long()


def _count(chunk: bytes, tag: bytes) -> int:
    """How many elements the chunk opens with this (unprefixed) tag, whatever follows the
    name (XML allows a tab or a line end before an attribute)."""
    return sum(chunk.count(tag + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))


def _chars(raw: bytes) -> int:
    """Characters of raw XML text (entities resolved)."""
    import html

    return len(html.unescape(raw.decode("utf-8", "replace")))


class _Scanner(_Extent):
    """Streams one XML part through expat, one Python call per element: for the parts the
    fast scan leaves (prefixed names; rows or cells without a reference, whose positions
    are counted)."""

    def __init__(self, file: str, member: str, limits: TableLimits) -> None:
        from xml.parsers import expat

        super().__init__(file, member, limits)
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
            # The reader places a cell by its own reference, whatever its row says.
            self._extent(ref[0] if ref else self._row, self._column)
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
            raise self._too_long()

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
        name = info.filename.lower()
        if not name.endswith((".xml", ".rels")):
            real += _inflate_counted(stream, info, file, limits, real, None)
            continue
        scanner: _Scanner | _FastScanner = _FastScanner(
            file, info.filename, limits, shared=name.endswith("sharedstrings.xml")
        )
        try:
            size = _inflate_counted(stream, info, file, limits, real, scanner)
        except _Fallback:
            scanner = _Scanner(file, info.filename, limits)
            size = _inflate_counted(stream, info, file, limits, real, scanner)
        real += size


def _inflate_counted(
    stream: IO[bytes], info: zipfile.ZipInfo, file: str, limits: TableLimits,
    before: int, scanner: _Scanner | _FastScanner | None,
) -> int:
    """Inflate one part, counting its real bytes against its declaration and the limit
    (``before``: the bytes of the parts already counted), feeding the scanner."""
    size = 0
    for data in _inflate(stream, info, file):
        size += len(data)
        if size > info.file_size:
            raise TableError.single(
                file,
                f"phần {info.filename} của bảng tính giải nén ra nhiều hơn kích thước khai "
                f"báo ({_mb(info.file_size)}): tệp ZIP bị làm giả",
            )
        if before + size > limits.max_uncompressed_bytes:  # unreachable unless sizes lie
            raise TableError.single(
                file, f"bảng tính khi giải nén vượt giới hạn {_mb(limits.max_uncompressed_bytes)}"
            )
        if scanner is not None and data:
            scanner.feed(data)
    if scanner is not None:
        scanner.feed(b"", final=True)
    return size


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
