"""Decode uploaded text files robustly, including Vietnamese legacy encodings.

Offices still send CSV files saved from old spreadsheets: UTF-8 with or without a BOM,
UTF-16 (Excel's "Unicode text"), Windows-1258 (Vietnamese code page, tone marks as
combining characters) and the pre-Unicode font encodings TCVN3 (ABC, ``.VnTime`` fonts)
and VNI (``VNI-Times`` fonts). ``decode_text`` turns any of them into Unicode NFC.

How the encoding is found (docs/operations.md repeats this):

1. A byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32).
2. Without a BOM, a text whose odd (or even) bytes are mostly NUL is UTF-16 LE (or BE).
3. Bytes that are valid UTF-8 are UTF-8 — unless every character of the text fits in
   Windows-1252 and reading those characters as TCVN3 or VNI makes *more* valid Vietnamese
   syllables: that is a legacy-font spreadsheet saved as "CSV UTF-8" (Excel stores the
   font's code points as Latin-1 letters), and it is repaired.
4. Otherwise the bytes are decoded as Windows-1258, TCVN3 and VNI, and each result is
   scored: +1 for every word with a non-ASCII letter that is a well-formed Vietnamese
   syllable (onset, vowel cluster, final, at most one tone mark), −1 for every such word
   that is not, −1 for every stray symbol (Latin-1 signs such as ``¸ µ ¬``, C0 controls,
   unattached combining marks). The best score wins; if it is not positive, or two
   different readings tie, the encoding cannot be determined and ``TextEncodingError``
   names the file.

Tables: TCVN3 is TCVN 5712:1993 (VN1, the full table with all 134 Vietnamese letters;
its lowercase half and Ă Â Ê Ô Ơ Ư Đ are the VN3 subset used by the ABC ``.VnTime``
fonts). It agrees byte for byte with glibc's ``TCVN5712-1`` converter (a test checks this
when ``iconv`` is present). Uppercase text typed in the ABC "H" fonts (``.VnTimeH``) is
stored with the *lowercase* codes; a word with two or more ASCII letters, all capitals, is
therefore upper-cased as a whole (assumption, documented in docs/operations.md). VNI is the
VNI-Windows layout: a base letter followed by one modifier byte for the tone (and the
circumflex or breve), plus single bytes for đ, ơ, ư, the toned i and ỵ.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16", "windows-1258", "tcvn3", "vni")


class TextEncodingError(ValueError):
    """The bytes of a file cannot be read as text in any supported encoding."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


# ── TCVN3 (TCVN 5712:1993) ────────────────────────────────────────────────────────────
# Bytes 0x80–0xFF; 0xB0–0xB4 are the standard's combining tone marks, 0xA0 no-break space.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)
# The standard also puts twelve capitals on C0 control positions that text never needs.
_TCVN3_LOW = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ",
    0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
}  # fmt: skip
TCVN3_DECODE: dict[int, str] = {b: chr(b) for b in range(0x80)}
TCVN3_DECODE.update(_TCVN3_LOW)
TCVN3_DECODE.update({0x80 + i: ch for i, ch in enumerate(_TCVN3_HIGH)})
_TCVN3_TRANSLATE = {b: ch for b, ch in TCVN3_DECODE.items() if ch != chr(b)}
TCVN3_ENCODE: dict[str, int] = {
    ch: b for b, ch in TCVN3_DECODE.items() if b >= 0x80 or b in _TCVN3_LOW
}

# ── VNI-Windows ───────────────────────────────────────────────────────────────────────
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
TONE_MARKS = frozenset((_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT))
VOWEL_MARKS = frozenset((_CIRCUMFLEX, _BREVE, _HORN))

# Modifier byte → (vowel mark, tone mark). Lowercase letters take the first column's byte,
# capitals the second (the capital glyph sits higher), e.g. "á" = b"a\xf9", "Á" = b"A\xd9".
_VNI_MODIFIERS: list[tuple[int, int, str, str]] = [
    (0xF8, 0xD8, "", _GRAVE),
    (0xF9, 0xD9, "", _ACUTE),
    (0xFB, 0xDB, "", _HOOK),
    (0xF5, 0xD5, "", _TILDE),
    (0xEF, 0xCF, "", _DOT),
    (0xE2, 0xC2, _CIRCUMFLEX, ""),
    (0xE0, 0xC0, _CIRCUMFLEX, _GRAVE),
    (0xE1, 0xC1, _CIRCUMFLEX, _ACUTE),
    (0xE5, 0xC5, _CIRCUMFLEX, _HOOK),
    (0xE3, 0xC3, _CIRCUMFLEX, _TILDE),
    (0xE4, 0xC4, _CIRCUMFLEX, _DOT),
    (0xEA, 0xCA, _BREVE, ""),
    (0xE8, 0xC8, _BREVE, _GRAVE),
    (0xE9, 0xC9, _BREVE, _ACUTE),
    (0xFA, 0xDA, _BREVE, _HOOK),
    (0xFC, 0xDC, _BREVE, _TILDE),
    (0xEB, 0xCB, _BREVE, _DOT),
]
VNI_MODIFIER: dict[int, tuple[str, str]] = {}
for _low, _up, _vowel, _tone in _VNI_MODIFIERS:
    VNI_MODIFIER[_low] = (_vowel, _tone)
    VNI_MODIFIER[_up] = (_vowel, _tone)
# Letters with their own byte: đ, ơ, ư, the five toned i and ỵ (and their capitals).
VNI_SINGLE: dict[int, str] = {
    0xF1: "đ", 0xD1: "Đ", 0xF4: "ơ", 0xD4: "Ơ", 0xF6: "ư", 0xD6: "Ư",
    0xEC: "ì", 0xED: "í", 0xE6: "ỉ", 0xF3: "ĩ", 0xF2: "ị",
    0xCC: "Ì", 0xCD: "Í", 0xC6: "Ỉ", 0xD3: "Ĩ", 0xD2: "Ị",
    0xEE: "ỵ", 0xCE: "Ỵ",
}  # fmt: skip
_VNI_BASES = frozenset("aeouyiAEOUYIơưƠƯ")
_VNI_TAKES = {_CIRCUMFLEX: frozenset("aeoAEO"), _BREVE: frozenset("aA"), "": _VNI_BASES}


def _cp1252_char(byte: int) -> str:
    # Windows-1252 leaves five bytes undefined; keep them as their Latin-1 code points.
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _as_cp1252(text: str) -> bytes | None:
    """The bytes a legacy-font text was typed as, or None if it holds a real Unicode letter.

    C1 code points (U+0080–U+009F, how some tools keep TCVN3's capitals 0x80–0x9F) map to
    their byte; the first character outside Windows-1252 ends the search (fast for the
    usual case, a genuine Unicode file).
    """
    out = bytearray()
    pos = 0
    while True:
        try:
            out += text[pos:].encode("cp1252")
            return bytes(out)
        except UnicodeEncodeError as exc:
            stop = pos + exc.start
            out += text[pos:stop].encode("cp1252")
            if not 0x80 <= ord(text[stop]) <= 0x9F:
                return None
            out.append(ord(text[stop]))
            pos = stop + 1


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 bytes → Unicode NFC (with the ``.VnTimeH`` capitals rule, see module doc)."""
    text = unicodedata.normalize("NFC", data.decode("latin-1").translate(_TCVN3_TRANSLATE))
    return _CAPITALS_WORD.sub(_upper_if_capital_word, text)


def _upper_if_capital_word(match: re.Match[str]) -> str:
    word = match.group(0)
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    # Two capitals at least: "Xã" (one capital, a lowercase letter) is a capitalised word.
    if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
        return word.upper()
    return word


def _vni_char(byte: int) -> str:
    return VNI_SINGLE.get(byte) or (chr(byte) if byte < 0x80 else _cp1252_char(byte))


# Every valid base + modifier pair (as Latin-1 text) → its letter; one regex pass then
# touches only the non-ASCII positions of a file.
_VNI_PAIRS: dict[str, str] = {}
for _base in _VNI_BASES:
    _base_byte = next((b for b, ch in VNI_SINGLE.items() if ch == _base), ord(_base))
    for _mod, (_vowel, _tone) in VNI_MODIFIER.items():
        if _base in _VNI_TAKES[_vowel] and not (_vowel and _base in "ơưƠƯ"):
            _VNI_PAIRS[chr(_base_byte) + chr(_mod)] = unicodedata.normalize(
                "NFC", _base + _vowel + _tone
            )
_VNI_PATTERN = re.compile(
    "[" + re.escape("".join(sorted({pair[0] for pair in _VNI_PAIRS}))) + "]"
    "[" + re.escape("".join(sorted({pair[1] for pair in _VNI_PAIRS}))) + "]|[\x80-\xff]"
)


def _vni_match(match: re.Match[str]) -> str:
    found = match.group(0)
    return _VNI_PAIRS.get(found) or "".join(_vni_char(ord(c)) for c in found)


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes → Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(_vni_match, data.decode("latin-1")))


def encode_tcvn3(text: str) -> bytes:
    """Unicode → TCVN3 bytes (for tests and for feeding legacy systems)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if ord(char) < 0x80:
            out.append(ord(char))
        elif char in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[char])
        else:
            raise ValueError(f"{char!r} has no TCVN3 code")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """Unicode → VNI-Windows bytes (for tests and for feeding legacy systems)."""
    single = {ch: b for b, ch in VNI_SINGLE.items()}
    modifier = {(v, t, up == b): b for low, up, v, t in _VNI_MODIFIERS for b in (low, up)}
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if ord(char) < 0x80:
            out.append(ord(char))
            continue
        if char in single:
            out.append(single[char])
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        vowel = next((m for m in marks if m in VOWEL_MARKS), "")
        tone = next((m for m in marks if m in TONE_MARKS), "")
        if vowel == _HORN:  # ơ / ư have their own byte, the tone follows it
            head = single[unicodedata.normalize("NFC", base + _HORN)]
            vowel = ""
        else:
            head = ord(base)
        key = (vowel, tone, base.isupper())
        if not base.isascii() or key not in modifier:
            raise ValueError(f"{char!r} has no VNI code")
        out += bytes([head, modifier[key]])
    return bytes(out)


def encode_windows1258(text: str) -> bytes:
    """Unicode → Windows-1258 bytes: precomposed where the code page has the letter,
    otherwise base letter (with its circumflex, breve or horn) plus a combining tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out += (base + tone).encode("cp1258")  # raises for letters outside Vietnamese
    return bytes(out)


# ── Plausibility of Vietnamese text ──────────────────────────────────────────────────
_WORD = re.compile(r"[^\W\d_]+")
# Words with at least two capital ASCII letters (candidates of the .VnTimeH rule).
_CAPITALS_WORD = re.compile(r"\b(?=[^\W\d_]*?[A-Z][^\W\d_]*?[A-Z])[^\W\d_]+")
_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]"
# Vowel clusters (glides included) after removing the tone; longest first.
_NUCLEI = (
    "uyê|uya|uyu|iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|"
    "ưa|ưi|ươ|ưu|yê|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(rf"^(?:{_ONSETS})?(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?$")
_SYMBOLS = (
    frozenset(chr(c) for c in range(0xA1, 0xC0))
    | {"\ufffd"}
    | frozenset(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")
)


@lru_cache(maxsize=65536)  # words repeat: a ledger has a few thousand distinct ones
def is_vietnamese_syllable(word: str) -> bool:
    """A well-formed Vietnamese syllable (any case, at most one tone mark)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in TONE_MARKS)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return bool(_SYLLABLE.match(bare))


def vietnamese_score(text: str) -> int:
    """How much a decoding looks like Vietnamese: see the module docstring, step 4."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        score += 1 if is_vietnamese_syllable(word) else -1
    score -= sum(1 for c in text if c in _SYMBOLS or unicodedata.combining(c))
    return score


# The encoding is chosen on the first bytes (cut at a line end): enough words to decide,
# and the whole file is then decoded once, with the winner.
SAMPLE_BYTES = 64 * 1024

_LEGACY: dict[str, Callable[[bytes], str]] = {
    "Windows-1258": lambda data: unicodedata.normalize("NFC", data.decode("cp1258", "replace")),
    "TCVN3": lambda data: decode_tcvn3(data),
    "VNI": lambda data: decode_vni(data),
}


def _sample(data: bytes) -> bytes:
    if len(data) <= SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, SAMPLE_BYTES)
    return data[: cut + 1] if cut > 0 else data[:SAMPLE_BYTES]


def _best(source: str, data: bytes) -> str:
    sample = _sample(data)
    scored: dict[str, tuple[int, str]] = {}
    for name, decode in _LEGACY.items():
        text = decode(sample)
        scored.setdefault(text, (vietnamese_score(text), name))
    ranked = sorted(scored.values(), reverse=True)
    best_score, best_name = ranked[0]
    if best_score <= 0 or (len(ranked) > 1 and ranked[1][0] == best_score):
        tried = ", ".join(_LEGACY)
        raise TextEncodingError(
            source,
            f"không xác định được bảng mã của tệp (đã thử UTF-8, {tried}); "
            "hãy mở tệp và lưu lại dưới dạng CSV UTF-8",
        )
    return _LEGACY[best_name](data)


def repair_legacy_text(text: str) -> str:
    """Text that is really TCVN3/VNI shown as Latin-1 letters (e.g. "Ho¸i Nh¬n") → Unicode.

    Spreadsheet cells typed in a legacy font hold such text; it is returned unchanged unless
    a legacy reading makes strictly more valid Vietnamese syllables.
    """
    if text.isascii():
        return unicodedata.normalize("NFC", text)
    data = _as_cp1252(text)
    text = unicodedata.normalize("NFC", text)
    if data is None:
        return text  # a letter no legacy font could produce: real Unicode
    best, best_score = text, vietnamese_score(text)
    for candidate in (decode_tcvn3(data), decode_vni(data)):
        score = vietnamese_score(candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    odd_nul = data[1::2].count(0) / (len(data) // 2)
    even_nul = data[0::2].count(0) / (len(data) // 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, source: str) -> str:
    """Decode an uploaded text file to Unicode NFC; ``source`` names it in errors.

    Line ends are translated as ``open()`` in text mode does ("\\r\\n" and a lone "\\r"
    become "\\n"), so it replaces ``path.read_text(encoding=...)`` one for one. Raises
    ``TextEncodingError`` (a ``ValueError``) when no supported encoding fits.
    """
    return _universal_newlines(_decode(data, source))


def _universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _decode(data: bytes, source: str) -> str:
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return unicodedata.normalize("NFC", data.decode(codec))
            except UnicodeDecodeError as exc:
                raise TextEncodingError(
                    source, f"tệp có dấu BOM {codec} nhưng byte {exc.start} không hợp lệ"
                ) from exc
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return unicodedata.normalize("NFC", data.decode(utf16))
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise TextEncodingError(source, "tệp nhị phân (có byte 0), không phải văn bản")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return repair_legacy_text(text)
    return _best(source, data)


def read_text(path: Path | str) -> str:
    """Read a text file from disk with ``decode_text`` (the path names it in errors)."""
    path = Path(path)
    return decode_text(path.read_bytes(), str(path))


def fold(text: str) -> str:
    """``text`` for matching as people type it: lower case, no tone or vowel marks, đ → d,
    runs of spaces as one ("Chứng  THỰC" and "chung thuc" both give "chung thuc")."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())
