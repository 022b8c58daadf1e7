"""The rating key: a secret printed on the receipt (form 01) that only the applicant holds.

Dossier codes are guessable (``<unit>-YYMMDD-NNNN``), so a rating needs more than the code:
anyone could otherwise rate any finished dossier, and three anonymous "dislike" ratings
moved a unit's indicator 5.4 (and used up the citizen's own rating). The key is drawn at
receipt, printed once on form 01 as text and as a QR code of the look-up link, and stored
only as a SHA-256 digest salted with the dossier code (as survey links keep only their
token's digest). Rating uses it up. No log-in is needed.

8 characters from 31 unambiguous ones (no 0/O, 1/I/L): about 40 bits, against the look-up's
rate limit of ``CCHC_LOOKUP_PER_MINUTE`` tries a minute per client address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH: Final = 8


def new_key() -> str:
    """A fresh key as printed: ``"K7QM-2XPA"``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(key: str) -> str:
    """What the citizen typed, without spaces or dashes, in capitals."""
    return "".join(key.split()).replace("-", "").upper()


def key_digest(code: str, key: str) -> str:
    """The stored form of a key: SHA-256 of ``code:key`` (the code salts it per dossier)."""
    return hashlib.sha256(f"{code}:{normalise(key)}".encode()).hexdigest()


def matches(code: str, digest: str, key: str) -> bool:
    """Whether ``key`` is the dossier's key; False when none was issued or none given."""
    if not digest or not key.strip():
        return False
    return hmac.compare_digest(digest, key_digest(code, key))
