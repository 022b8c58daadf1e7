"""Hostile spreadsheets, built in the test itself: what an attacker would upload.

Each builder returns the bytes of an .xlsx file. They start from a genuine workbook
written by xlsxwriter and change one part, so everything but the attack is valid.
"""

from __future__ import annotations

import io
import struct
import zipfile

SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"


def workbook(rows: list[list[object]]) -> bytes:
    """A genuine one-sheet workbook."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The same workbook with some of its ZIP members replaced (deflated)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.get(info.filename, source.read(info.filename)))
        for name in parts.keys() - set(source.namelist()):
            target.writestr(name, parts[name])
    return out.getvalue()


def part(data: bytes, member: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(member)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def minimal(dimension: str = "A1:B2") -> bytes:
    """The smallest workbook a reader opens (five parts, ~1,5 KB): unit_code, unit_name and
    one row X, Xã X, as inline strings; its sheet declares ``dimension``."""
    def cells(row: int, values: tuple[str, str]) -> str:
        return f'<row r="{row}">' + "".join(
            f'<c r="{col}{row}" t="inlineStr"><is><t>{v}</t></is></c>'
            for col, v in zip("AB", values, strict=True)
        ) + "</row>"

    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_DOC}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        SHEET: (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
            f'<dimension ref="{dimension}"/><sheetData>'
            + cells(1, ("unit_code", "unit_name")) + cells(2, ("X", "Xã X"))
            + "</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, text in parts.items():
            target.writestr(name, text.encode())
    return out.getvalue()


def dimension_bomb() -> bytes:
    """About 1,6 KB: the sheet claims the whole Excel grid A1:XFD1048576 and has a cell in
    its last corner, so the reader reserves 17 billion cells (~512 GiB) and aborts."""
    data = minimal("A1:XFD1048576")
    corner = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    return replace_parts(data, {SHEET: part(data, SHEET).replace(b"</sheetData>", corner)})


def far_cell(row: int, column: str = "B") -> bytes:
    """A sheet declaring A1:B2 whose one extra cell sits at ``column``+``row``."""
    data = workbook([["unit_code", "unit_name"], ["X", "Xã X"]])
    cell = f'<row r="{row}"><c r="{column}{row}"><v>1</v></c></row></sheetData>'.encode()
    sheet = part(data, SHEET).replace(b"</sheetData>", cell)
    return replace_parts(data, {SHEET: sheet})


def long_shared_string(chars: int) -> bytes:
    """A workbook whose first shared string is ``chars`` characters long."""
    data = workbook([["unit_code", "unit_name"], ["X", "Xã X"]])
    shared = part(data, SHARED)
    start = shared.index(b"<si><t>") + len(b"<si><t>")
    end = shared.index(b"</t>", start)
    shared = shared[:start] + b"a" * chars + shared[end:]
    return replace_parts(data, {SHARED: shared})


def zip_bomb(megabytes: int = 64) -> bytes:
    """A workbook carrying a member of ``megabytes`` MB of zeros (~1000× compression)."""
    data = workbook([["unit_code", "unit_name"], ["X", "Xã X"]])
    return replace_parts(data, {"xl/media/padding.bin": bytes(megabytes * 1024 * 1024)})


def lying_sizes(member: str = SHEET, padding: int = 4 * 1024 * 1024) -> bytes:
    """A workbook whose ``member`` inflates to ``padding`` more bytes than its headers declare."""
    data = workbook([["unit_code", "unit_name"], ["X", "Xã X"]])
    real = part(data, member).replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
    built = bytearray(replace_parts(data, {member: real}))
    declared = 600
    name = member.encode()
    # Local file header: uncompressed size at offset 22; central directory entry: at 24.
    local = built.index(name) - 30
    assert built[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<L", built, local + 22, declared)
    central = built.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", built, central + 28)[0]
        if built[central + 46 : central + 46 + name_length] == name:
            break
        central = built.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<L", built, central + 24, declared)
    return bytes(built)


def with_doctype() -> bytes:
    """A sheet with an internal DTD (entity expansion, "billion laughs")."""
    data = workbook([["unit_code", "unit_name"], ["X", "Xã X"]])
    sheet = part(data, SHEET).replace(
        b"?>", b'?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>', 1
    )
    return replace_parts(data, {SHEET: sheet})


def sheet_with(cells_xml: str, padding: int = 0, prefix: str = "") -> bytes:
    """The minimal workbook whose sheet's data is ``cells_xml`` (after ``padding`` spaces);
    with ``prefix`` every SpreadsheetML element carries that namespace prefix."""
    data = minimal()
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{_MAIN}"' if prefix else f'xmlns="{_MAIN}"'
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}><{p}sheetData>'
        + " " * padding + cells_xml.replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
        + f"</{p}sheetData></{p}worksheet>"
    )
    return replace_parts(data, {SHEET: sheet.encode()})


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
