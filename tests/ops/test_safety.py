"""Exports cannot carry formulas, upload names cannot escape, uploads are what they claim."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.safety import (
    FORMULA_PREFIXES,
    MAX_FILENAME_CHARS,
    UploadRejected,
    check_upload,
    safe_cell,
    safe_filename,
    safe_row,
)

PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
ZIP_HEAD = b"PK\x03\x04\x14\x00\x06\x00"
OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","bấm")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Thị xã Hoài Nhơn", "88,41", "", "a=b", None, 88.41, -3, 0])
def test_ordinary_values_pass_unchanged(value):
    assert safe_cell(value) == value


def test_safe_row():
    assert safe_row(["=1", 2, "x"]) == ["'=1", 2, "x"]


@given(st.text())
def test_no_neutralised_cell_starts_a_formula(text):
    out = safe_cell(text)
    assert isinstance(out, str)
    assert not out.startswith(FORMULA_PREFIXES)
    assert out.endswith(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("C:\\Users\\Cán bộ\\Minh chứng tiêu chí 1.pdf", "Minh chứng tiêu chí 1.pdf"),
        ("Báo cáo CCHC năm 2022.docx", "Báo cáo CCHC năm 2022.docx"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("a\x00b\x1fc.pdf", "ab_c.pdf"),
        ('x<y>:"|?*.pdf', "x_y______.pdf"),
        ("...", "tep"),
        ("", "tep"),
        (".htaccess", "htaccess"),
        ("bao cao. ", "bao cao"),
        ("a\u202egpj.exe", "agpj.exe"),  # right-to-left override hides the real extension
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_decomposed_vietnamese_becomes_nfc():
    import unicodedata

    assert safe_filename(unicodedata.normalize("NFD", "Phường.pdf")) == "Phường.pdf"


def test_long_names_keep_their_extension():
    out = safe_filename("x" * 500 + ".pdf")
    assert len(out) <= MAX_FILENAME_CHARS
    assert out.endswith(".pdf")


@given(st.text())
def test_any_name_becomes_one_harmless_component(name):
    out = safe_filename(name)
    assert out
    assert "/" not in out and "\\" not in out and "\x00" not in out
    assert out not in (".", "..") and not out.startswith(".")
    assert len(out) <= MAX_FILENAME_CHARS


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("minh-chung.pdf", PDF_HEAD, "pdf"),
        ("anh.PNG", PNG_HEAD, "png"),
        ("anh.jpeg", JPEG_HEAD, "jpeg"),
        ("anh.jpg", JPEG_HEAD, "jpeg"),
        ("bao-cao.docx", ZIP_HEAD, "docx"),
        ("bang.xlsx", ZIP_HEAD, "xlsx"),
        ("cu.doc", OLE_HEAD, "doc"),
        ("cu.xls", OLE_HEAD, "xls"),
    ],
)
def test_accepted_uploads(name, head, kind):
    assert check_upload(name, 1000, head).name == kind


def test_extension_and_content_must_agree():
    with pytest.raises(UploadRejected, match="không phải PDF"):
        check_upload("virus.pdf", 1000, b"MZ\x90\x00")
    with pytest.raises(UploadRejected, match="không phải"):
        check_upload("anh.png", 1000, JPEG_HEAD)


def test_disallowed_extension_is_named():
    with pytest.raises(UploadRejected, match=r"“.exe”"):
        check_upload("cai-dat.exe", 1000, b"MZ")
    with pytest.raises(UploadRejected, match="chỉ nhận: PDF"):
        check_upload("bang.xlsx", 1000, ZIP_HEAD, allowed_kinds=("pdf",))


def test_oversized_and_empty_uploads():
    with pytest.raises(UploadRejected, match="vượt quá giới hạn 20,0 MB"):
        check_upload("lon.pdf", 21 * 1024 * 1024, PDF_HEAD)
    with pytest.raises(UploadRejected, match="rỗng"):
        check_upload("rong.pdf", 0, b"")


def test_hostile_name_is_never_echoed_raw():
    with pytest.raises(UploadRejected) as err:
        check_upload("../../<script>.exe", 10, b"MZ")
    assert "<script>" not in str(err.value) and "../" not in str(err.value)
