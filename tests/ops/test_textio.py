"""Uploaded text files decode to Unicode NFC whatever encoding an office saved them in."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.textio import (
    TCVN3_DECODE,
    TextEncodingError,
    decode_tcvn3,
    decode_text,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    encode_windows1258,
    is_vietnamese_syllable,
    read_text,
    repair_legacy_text,
)

SENTENCES = [
    "Thị xã Hoài Nhơn",
    "Phường Tam Quan Bắc",
    "Xã Hoài Châu Bắc",
    "xếp loại xuất sắc",
    "Ủy ban nhân dân tỉnh Bình Định xếp hạng Thị xã Hoài Nhơn thứ nhất",
]
CSV = (
    "ma_don_vi;ten_don_vi;xep_loai\nHN01;Phường Tam Quan Bắc;xuất sắc\nHN02;Xã Hoài Châu Bắc;tốt\n"
)

# The 134 Vietnamese letters that are not plain ASCII: 12 vowels × 5 tones, ă â ê ô ơ ư
# untoned, đ — lowercase and capital.
_BASES = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
LETTERS = sorted(
    {
        unicodedata.normalize("NFC", base + tone)
        for base in _BASES
        for tone in _TONES
        if base + tone not in "aeiouy"
    }
    | {"đ"}
)
ALL_LETTERS = LETTERS + [letter.upper() for letter in LETTERS]


def test_there_are_134_vietnamese_letters_and_tcvn3_has_every_one():
    assert len(ALL_LETTERS) == 134
    decoded = set(TCVN3_DECODE.values())
    assert [letter for letter in ALL_LETTERS if letter not in decoded] == []


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_every_letter_survives_tcvn3_and_vni(letter):
    assert decode_tcvn3(encode_tcvn3(letter)) == letter
    assert decode_vni(encode_vni(letter)) == letter


# Byte sequences checked by hand against the published code charts, so the tables
# themselves are tested and not only their round trip.
@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"Ho\xb5i Nh\xacn", "Hoài Nhơn"),  # TCVN3: à = B5, ơ = AC
        (b"B\xb6o Th\xbeng", "Bảo Thắng"),  # ả = B6, ắ = BE
        (b"M\xad\xeang Kh\xad\xacng", "Mường Khương"),  # ư = AD, ờ = EA
        (b"\xa7\xb8nh gi\xb8", "Đánh giá"),  # Đ = A7, á = B8
        (b"x\xd5p lo\xb9i", "xếp loại"),  # ế = D5, ạ = B9
        (b"\xa7\xdfa", "Đòa"),  # ò = DF
    ],
)
def test_tcvn3_hand_checked_bytes(raw, text):
    assert decode_tcvn3(raw) == text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"Hoa\xf8i Nh\xf4n", "Hoài Nhơn"),  # à = a+F8, ơ = F4
        (b"Xin cha\xf8o ca\xf9c ba\xefn", "Xin chào các bạn"),  # á = a+F9, ạ = a+EF
        (b"Ba\xe9c", "Bắc"),  # ắ = a+E9
        (b"xe\xe1p loa\xefi xua\xe1t sa\xe9c", "xếp loại xuất sắc"),  # ế = e+E1, ấ = a+E1
        (b"Th\xf2 xa\xf5", "Thị xã"),  # ị = F2 alone, ã = a+F5
        (b"\xd1O\xc0NG", "ĐỒNG"),  # Đ = D1, Ồ = O+C0
        (b"ng\xf6\xf4\xf8i", "người"),  # ư = F6, ờ = F4+F8
    ],
)
def test_vni_hand_checked_bytes(raw, text):
    assert decode_vni(raw) == text


def test_windows_1258_uses_combining_tone_marks():
    assert encode_windows1258("Bắc") == b"B\xe3\xecc"  # ă = E3, combining acute = EC
    assert decode_text(b"B\xe3\xecc Nh\xf5n Ho\xe0i", "x.csv") == "Bắc Nhơn Hoài"


ENCODERS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: t.encode("utf-8-sig"),
    "utf-16-bom": lambda t: t.encode("utf-16"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "windows-1258": encode_windows1258,
    "tcvn3": encode_tcvn3,
    "vni": encode_vni,
}


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
@pytest.mark.parametrize("sentence", [*SENTENCES, CSV])
def test_each_encoding_is_detected_and_decoded(encoding, sentence):
    assert decode_text(ENCODERS[encoding](sentence), "don_vi.csv") == sentence


@pytest.mark.parametrize("encoder", [encode_tcvn3, encode_vni])
def test_legacy_text_saved_as_utf8_by_a_spreadsheet_is_repaired(encoder):
    # Excel keeps a .VnTime / VNI-Times cell as Latin-1 letters and writes them as UTF-8.
    mojibake = encoder(CSV).decode("cp1252")
    assert decode_text(mojibake.encode("utf-8"), "x.csv") == CSV
    assert repair_legacy_text(mojibake) == CSV


def test_real_unicode_is_never_repaired():
    for sentence in SENTENCES:
        assert repair_legacy_text(sentence) == sentence
    assert repair_legacy_text("Café résumé") == "Café résumé"


def test_uppercase_typed_in_vntimeh_fonts_is_upper_cased():
    # .VnTimeH shows capitals for the lowercase codes: THỊ XÃ is stored as "TH\xde X\xb7".
    assert decode_tcvn3(b"TH\xde X\xb7 HO\xb5I NH\xacN") == "THỊ Xã HOÀI NHƠN"


def test_output_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Phường Tam Quan Bắc")
    assert decode_text(decomposed.encode("utf-8"), "x.csv") == "Phường Tam Quan Bắc"


def test_undeterminable_bytes_name_the_file():
    with pytest.raises(TextEncodingError) as err:
        decode_text(bytes(range(0x80, 0x100)) * 3, "bao_cao.csv")
    assert "bao_cao.csv" in str(err.value)
    assert "bảng mã" in str(err.value)


def test_binary_file_is_refused():
    with pytest.raises(TextEncodingError, match="nhị phân"):
        decode_text(b"PK\x03\x04\x00\x00\x00\xff\xfe", "scores.csv")


def test_read_text_names_the_path(tmp_path):
    path = tmp_path / "cu.csv"
    path.write_bytes(encode_vni(CSV))
    assert read_text(path) == CSV


def test_syllable_check():
    for word in ["Hoài", "Nhơn", "nghiêng", "khuyết", "người", "Quan", "gì", "ĐỒNG"]:
        assert is_vietnamese_syllable(word), word
    for word in ["Hoaứi", "xaừ", "Hoµi", "hoàá"]:
        assert not is_vietnamese_syllable(word), word


@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6))
def test_mixtures_of_sentences_decode_in_every_legacy_encoding(parts):
    text = "\n".join(parts)
    for encoder in (encode_tcvn3, encode_vni, encode_windows1258):
        assert decode_text(encoder(text), "x.csv") == text


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv is not installed")
def test_tcvn3_table_agrees_with_glibc():
    for byte in [*range(0x01, 0x18), *range(0x80, 0x100)]:
        out = subprocess.run(
            ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
            input=bytes([byte]),
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        assert TCVN3_DECODE[byte] == out, hex(byte)


def test_line_ends_are_translated_like_text_mode_open():
    raw = "a;b\r\nPhường Tam Quan Bắc;1\rXã Hoài Châu Bắc;2\n"
    expected = "a;b\nPhường Tam Quan Bắc;1\nXã Hoài Châu Bắc;2\n"
    assert decode_text(raw.encode("utf-8"), "x.csv") == expected
    assert decode_text(encode_vni(raw), "x.csv") == expected
