"""What is wrong with an input file: one problem type and one error, for every importer.

A ``Problem`` names the file, the row people see in Excel, the column and the reason, in
Vietnamese. ``TableError`` carries the first problems and the count of all of them; its
message lists the shown ones and ends with "… và 999.990 lỗi khác" when some were left out,
so a file with a million bad cells prints a screenful, not a million lines. ``ProblemList``
collects problems up to the cap and counts the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from cchc.fmt import format_int

__all__ = ["MAX_PROBLEMS", "Problem", "ProblemList", "TableError", "more_text"]

#: Enough to fix a file in one go without flooding the screen (or the web page).
MAX_PROBLEMS: Final = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file; ``row`` is the spreadsheet row (header = row 1)."""

    file: str
    row: int | None
    column: str | None
    reason: str

    @property
    def message(self) -> str:
        """The whole Vietnamese sentence: where, then what."""
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column is not None:
            where.append(f"cột {self.column}")
        return ", ".join(where) + f": {self.reason}"

    def __str__(self) -> str:
        return self.message


def more_text(count: int) -> str:
    """The line that stands for problems left out of a list."""
    return f"… và {format_int(count)} lỗi khác"


class TableError(ValueError):
    """An input file is refused as a whole (imports are all-or-nothing).

    ``problems`` holds at most ``MAX_PROBLEMS`` problems; ``total`` counts all that were
    found. ``errors`` is the same list (the name the scores reader has always used).
    """

    def __init__(self, problems: Iterable[Problem], total: int | None = None) -> None:
        given = list(problems)
        shown = given[:MAX_PROBLEMS]
        self.problems: list[Problem] = shown
        self.total = max(total if total is not None else len(given), len(shown))
        lines = [p.message for p in shown]
        if self.total > len(shown):
            lines.append(more_text(self.total - len(shown)))
        super().__init__("\n".join(lines))

    @property
    def errors(self) -> list[Problem]:
        return self.problems

    @classmethod
    def single(
        cls, file: str, reason: str, row: int | None = None, column: str | None = None
    ) -> TableError:
        """The error for one problem (a file that cannot be read at all)."""
        return cls([Problem(file, row, column, reason)])


class ProblemList:
    """Collects problems up to ``cap`` and counts the rest."""

    def __init__(self, file: str, cap: int = MAX_PROBLEMS) -> None:
        self.file = file
        self.cap = cap
        self.items: list[Problem] = []
        self.total = 0

    def add(self, reason: str, row: int | None = None, column: str | None = None) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(Problem(self.file, row, column, reason))

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.total += 1
            if len(self.items) < self.cap:
                self.items.append(problem)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def error(self, *, by_row: bool = True) -> TableError:
        # Checks run column by column in places; the user reads the file top to bottom.
        items = sorted(self.items, key=lambda p: p.row or 0) if by_row else self.items
        return TableError(items, self.total)

    def raise_if_any(self) -> None:
        if self.total:
            raise self.error()
