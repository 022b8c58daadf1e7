"""The dossier code ``<agency id>-YYMMDD-NNNN``.

Circular 01/2018/TT-VPCP Art. 19: every received dossier gets a code made of the
receiving agency's identifier, the date of receipt (two-digit year, month, day) and a
four-digit sequence number within that day. Agency identifiers on the national portal
contain dots and dashes themselves (e.g. ``000.00.12.H12``), so the code is parsed from
the right.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

#: A regular expression any engine (Arrow, DuckDB, PostgreSQL) can use to check a code.
CODE_PATTERN: Final = r"^[0-9A-Za-z.]+(-[0-9A-Za-z.]+)*-[0-9]{6}-[0-9]{4}$"
_CODE = re.compile(CODE_PATTERN)
MAX_SEQUENCE: Final = 9999


class DossierCodeError(ValueError):
    """A dossier code that does not follow Circular 01/2018 Art. 19."""


@dataclass(frozen=True, slots=True)
class DossierCode:
    """The three parts of a dossier code."""

    agency_id: str
    received_on: dt.date
    sequence: int

    def __str__(self) -> str:
        return make_code(self.agency_id, self.received_on, self.sequence)


def make_code(agency_id: str, received_on: dt.date, sequence: int) -> str:
    """Build a code: ``make_code("H12.22", date(2025, 3, 5), 7)`` → ``"H12.22-250305-0007"``."""
    if not agency_id or not re.fullmatch(r"[0-9A-Za-z.]+(-[0-9A-Za-z.]+)*", agency_id):
        raise DossierCodeError(
            f"mã cơ quan '{agency_id}' không hợp lệ: chỉ gồm chữ, số, dấu chấm và gạch ngang"
        )
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise DossierCodeError(
            f"số thứ tự {sequence} nằm ngoài khoảng 1-{MAX_SEQUENCE} trong ngày"
        )
    return f"{agency_id}-{received_on:%y%m%d}-{sequence:04d}"


def parse_code(code: str) -> DossierCode:
    """Split a code into agency, date of receipt and sequence; raise on any deviation."""
    text = code.strip()
    if not _CODE.match(text):
        raise DossierCodeError(
            f"mã hồ sơ '{code}' không đúng dạng <mã cơ quan>-YYMMDD-NNNN (Thông tư 01/2018, Điều 19)"
        )
    agency, yymmdd, seq = text.rsplit("-", 2)
    try:
        # Two-digit years are 2000-2099: one-stop codes exist only since 2018.
        received_on = dt.date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        raise DossierCodeError(f"mã hồ sơ '{code}': '{yymmdd}' không phải ngày hợp lệ") from None
    sequence = int(seq)
    if sequence == 0:
        raise DossierCodeError(f"mã hồ sơ '{code}': số thứ tự bắt đầu từ 0001")
    return DossierCode(agency, received_on, sequence)


# Dashes a phone keyboard or a word processor puts where the code has a hyphen-minus.
_DASHES: Final = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"})


def typed_code_spellings(text: str) -> tuple[str, ...]:
    """The codes a look-up of ``text`` as typed or pasted may mean, best first.

    People type codes on phones: in lower case, with a space after a dash, a full-width
    digit, an en dash, a pasted line break. The look-up (web page, API and CLI alike) asks
    for the code in capitals (every code the desk issues carries the unit's registry code,
    written in capitals) and, when different, as typed without spaces (a code stored in lower
    case by an imported register). Only well-formed codes; () when none is. Each spelling
    is an exact match on the unique code (an index look-up; no scan, no wildcard), and the
    caller's rate limit counts the look-up once whatever the spelling.
    """
    compact = "".join(unicodedata.normalize("NFKC", text).translate(_DASHES).split())
    spellings = dict.fromkeys((compact.upper(), compact))
    return tuple(code for code in spellings if is_valid_code(code))


def is_valid_code(code: str) -> bool:
    """True when ``parse_code`` would accept the code."""
    try:
        parse_code(code)
    except DossierCodeError:
        return False
    return True


def validate_code(
    code: str,
    received_at: dt.datetime | dt.date | None = None,
    *,
    agency_id: str | None = None,
) -> DossierCode:
    """Parse a code and, when given, check that its date is the date of receipt (local time)
    and that it carries the receiving agency's identifier.

    An import checks both: a desk that could store codes of another agency, or of another
    day, would take that agency's numbers (a code is unique), so its own desk could no
    longer issue them.
    """
    parsed = parse_code(code)
    if agency_id is not None and parsed.agency_id != agency_id:
        raise DossierCodeError(
            f"mã hồ sơ '{code}' mang mã cơ quan '{parsed.agency_id}', "
            f"không phải mã của cơ quan tiếp nhận '{agency_id}'"
        )
    if received_at is not None:
        day = received_at.date() if isinstance(received_at, dt.datetime) else received_at
        if parsed.received_on != day:
            raise DossierCodeError(
                f"mã hồ sơ '{code}' mang ngày {parsed.received_on:%d/%m/%Y} "
                f"nhưng hồ sơ được tiếp nhận ngày {day:%d/%m/%Y}"
            )
    return parsed


def check_received(received_at: dt.datetime, now: dt.datetime) -> None:
    """A dossier cannot have been received after ``now`` (both naive local time)."""
    if received_at > now:
        raise DossierCodeError(
            f"thời điểm tiếp nhận {received_at:%d/%m/%Y %H:%M} ở tương lai "
            f"(bây giờ là {now:%d/%m/%Y %H:%M})"
        )
