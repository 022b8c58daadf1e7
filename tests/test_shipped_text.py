"""The project explains itself: shipped text never sends a reader to a file outside the
repository (the notes the project was started from, an issue tracker). The facts it relies
on, with their legal sources, are in docs/field.md and the pages of each area."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [
    ROOT / "README.md",
    ROOT / "pyproject.toml",
    ROOT / "src",
    ROOT / "docs",
    ROOT / "scripts",
    ROOT / "benchmarks",
]
BINARY = {".docx", ".xlsx", ".parquet", ".png", ".pdf", ".pyc", ".zip", ".ttf", ".woff2"}

OUTSIDE = re.compile(r"DOMAIN\.md|DESIGN\.md|shared/|\b[Ii]ssues? #?\d+|\bDOMAIN §")


def _files() -> list[Path]:
    files: list[Path] = []
    for place in SHIPPED:
        candidates = [place] if place.is_file() else sorted(place.rglob("*"))
        files += [
            p
            for p in candidates
            if p.is_file() and p.suffix.lower() not in BINARY and "__pycache__" not in p.parts
        ]
    return files


def test_the_scan_sees_the_shipped_text():
    names = {p.name for p in _files()}
    assert {"README.md", "field.md", "cli.md", "language.py", "overrides.csv"} <= names


def test_shipped_text_points_only_inside_the_repository():
    found = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a binary file without a known suffix
        found += [
            f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()}"
            for m in OUTSIDE.finditer(text)
        ]
    assert not found, "shipped text points outside the repository:\n" + "\n".join(found)


def test_the_field_page_carries_the_legal_sources():
    field = (ROOT / "docs" / "field.md").read_text(encoding="utf-8")
    for source in (
        "Labour Code 2019",
        "Decree 61/2018/NĐ-CP",
        "Decree 118/2025/NĐ-CP",
        "Decision 766/QĐ-TTg",
        "Decision 876/QĐ-BNV",
        "Decision 1001/QĐ-BNV",
        "Circular 01/2018/TT-VPCP",
    ):
        assert source in field, source
    for section in range(1, 10):
        assert f"\n## {section}. " in field
