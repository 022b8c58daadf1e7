"""Match unit names as other systems write them to registry units.

Other systems name a unit in many ways: "UBND Phường Bồng Sơn", "P. Bồng Sơn", "phuong bong
son", "UBND xã Lâm Thao - Tỉnh Phú Thọ" (the national portal's department names), NFD text
from old spreadsheets. A name is reduced to a kind (phường, xã, …, when it says one) and a
key (the rest, lower case, without diacritics or spaces), then compared with the units valid
on a date:

- ``khớp`` (certain): exactly one unit has that key (and that kind, when the name gives one);
- ``cần xem lại`` (review): several units share the key (the same name in two provinces, or
  the kind is missing and a xã and a phường share the name), or the closest key is only
  similar (a typo); the candidates are listed for a person to choose;
- ``không tìm thấy`` (not found): nothing close, e.g. a department (sở) that is not an
  administrative unit.

The thresholds are assumptions (documented in docs/units.md) and arguments of ``match_name``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from cchc.units.registry import Unit, UnitRegistry

__all__ = ["Match", "MatchStatus", "Matcher", "match_name", "name_key"]


class MatchStatus(StrEnum):
    CERTAIN = "khớp"
    REVIEW = "cần xem lại"
    NOT_FOUND = "không tìm thấy"


# Longest first, so "thị xã" is not read as "xã" and "thành phố" not as "phố".
_KINDS = (
    ("thanh pho", "thành phố"),
    ("thi tran", "thị trấn"),
    ("thi xa", "thị xã"),
    ("dac khu", "đặc khu"),
    ("phuong", "phường"),
    ("huyen", "huyện"),
    ("quan", "quận"),
    ("tinh", "tỉnh"),
    ("xa", "xã"),
)
_ABBREVIATIONS = {
    "tp": "thanh pho", "tt": "thi tran", "tx": "thi xa", "p": "phuong", "x": "xa",
    "h": "huyen", "q": "quan", "t": "tinh", "dk": "dac khu",
}
_NOISE = re.compile(r"^(uy ban nhan dan|ubnd|ub)\s+")


def _plain(text: str) -> str:
    """Lower case, no diacritics (đ → d), punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", stripped).split())


def name_key(name: str) -> tuple[str | None, str]:
    """(kind, key) of a unit name: ("phường", "bongson") for "UBND P. Bồng Sơn"."""
    text = name.split(" - ")[0]  # "UBND xã Lâm Thao - Tỉnh Phú Thọ": the province is context
    text = re.sub(r"\b(tp|tt|tx|p|x|h|q|t|dk)\s*\.\s*", lambda m: _ABBREVIATIONS[m.group(1).lower()] + " ", _plain_keep_dots(text))
    plain = _NOISE.sub("", _plain(text))
    for ascii_kind, kind in _KINDS:
        if plain == ascii_kind or plain.startswith(ascii_kind + " "):
            return kind, plain[len(ascii_kind):].replace(" ", "")
    return None, plain.replace(" ", "")


def _plain_keep_dots(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _province_hint(name: str) -> str | None:
    """The province a portal name names after " - " ("… - Tỉnh Phú Thọ" → key "phutho")."""
    if " - " not in name:
        return None
    kind, key = name_key(name.rsplit(" - ", 1)[1])
    return key if kind in ("tỉnh", "thành phố") else None


@dataclass(frozen=True)
class Match:
    name: str
    status: MatchStatus
    unit: Unit | None = None
    candidates: tuple[Unit, ...] = field(default_factory=tuple)
    similarity: float = 0.0


class Matcher:
    """Matches names against the units valid on one date (within one province when given);
    build it once for a whole file."""

    def __init__(
        self, registry: UnitRegistry, on: dt.date, province: str | None = None,
        similar: float = 0.85,
    ) -> None:
        self.similar = similar
        self._keyed: list[tuple[Unit, str | None, str, str]] = []
        for unit in registry.units(on=on, province=province):
            chain = registry.ancestors(unit.key)
            top = chain[-1].key if chain else unit.key
            self._keyed.append((unit, *name_key(unit.name), top))
        self._provinces = {
            key: u.key for u, _, key, _ in self._keyed if u.level == "province"
        }

    def match(self, name: str) -> Match:
        kind, key = name_key(name)
        if not key:
            return Match(name, MatchStatus.NOT_FOUND)
        keyed = self._keyed
        hint = _province_hint(name)
        if hint is not None and hint in self._provinces:
            keyed = [row for row in keyed if row[3] == self._provinces[hint]]
        exact = [u for u, k, uk, _ in keyed if uk == key and (kind is None or k == kind)]
        if len(exact) == 1:
            return Match(name, MatchStatus.CERTAIN, exact[0], (exact[0],), 1.0)
        if exact:
            return Match(name, MatchStatus.REVIEW, None, tuple(exact), 1.0)
        scored = sorted(
            ((difflib.SequenceMatcher(None, key, uk).ratio(), u) for u, k, uk, _ in keyed
             if kind is None or k == kind),
            key=lambda pair: -pair[0],
        )
        close = [(r, u) for r, u in scored[:5] if r >= self.similar]
        if close:
            return Match(name, MatchStatus.REVIEW, None, tuple(u for _, u in close), close[0][0])
        return Match(name, MatchStatus.NOT_FOUND)


def match_name(
    registry: UnitRegistry, name: str, on: dt.date, province: str | None = None,
    similar: float = 0.85,
) -> Match:
    """The registry unit valid on ``on`` (within ``province`` when given) that ``name`` names."""
    return Matcher(registry, on, province, similar).match(name)
