"""Tamper-evident audit trail: every entry is chained to the previous one by SHA-256.

Pure Python, no web framework: the web app stores entries (cchc.web.ops), the CLI verifies
them (``cchc audit verify``), tests exercise the chain with hypothesis.
"""

from cchc.audit.chain import (
    GENESIS,
    Entry,
    Problem,
    canonical_json,
    entry_hash,
    first_bad_seq,
    seal,
    verify,
)

__all__ = [
    "GENESIS",
    "Entry",
    "Problem",
    "canonical_json",
    "entry_hash",
    "first_bad_seq",
    "seal",
    "verify",
]
