"""The demo data set (illustrative, drawn from the seed) and fixture builders for tests.

The files in ``data/`` are copied from the project's seed folder. Only Hoài Nhơn's figures
are real (the seed article of 16/03/2023); every other row is invented so that the tables
agree with the article. Anything that shows these rows must say "Số liệu minh họa"
(``ILLUSTRATIVE_NOTE``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR", "ILLUSTRATIVE_NOTE", "data_path", "is_demo_path"]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The marking every screen or export showing demo rows carries (seed README).
ILLUSTRATIVE_NOTE = "Số liệu minh họa"


def data_path(name: str) -> Path:
    """The path of a packaged demo file, e.g. ``data_path("district_2022.csv")``.

    Raises FileNotFoundError naming the available files when ``name`` is not one of them.
    """
    path = DATA_DIR / name
    if Path(name).name != name or not path.is_file():
        available = ", ".join(sorted(p.name for p in DATA_DIR.iterdir() if p.is_file()))
        raise FileNotFoundError(f"no demo file {name!r}; available: {available}")
    return path


def is_demo_path(path: str | Path) -> bool:
    """True when ``path`` is one of the packaged demo files (its rows are illustrative)."""
    try:
        resolved = Path(path).resolve()
    except OSError:
        return False
    return resolved.parent == DATA_DIR and resolved.is_file()
