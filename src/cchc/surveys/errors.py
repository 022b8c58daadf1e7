"""Errors raised on bad survey input: each names the file, the row or key, and the reason.

Messages are user-visible, so they are in Vietnamese; the CLI prints them on stderr and
exits with status 2, the web app shows them next to the upload.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_PROBLEMS", "InputProblem", "ProblemList", "QuestionnaireError", "SurveyInputError"]

MAX_PROBLEMS = 100  # enough to fix a file in one go without flooding the screen


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong in an input file. ``row`` is the spreadsheet row (header = row 1)."""

    file: str
    reason: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column is not None:
            where.append(f"cột {self.column}")
        return ", ".join(where) + f": {self.reason}"


class SurveyInputError(ValueError):
    """An input file was rejected as a whole (imports are all-or-nothing)."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class QuestionnaireError(ValueError):
    """A questionnaire file is malformed; the message names the file and the key."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        super().__init__(f"{file}, khóa '{key}': {reason}")


class ProblemList:
    """Collects problems up to a cap, then raises them all at once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[InputProblem] = []
        self.dropped = 0

    def add(self, reason: str, row: int | None = None, column: str | None = None) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(InputProblem(self.file, reason, row, column))
        else:
            self.dropped += 1

    def raise_if_any(self) -> None:
        # Checks run column by column in places; the user reads the file top to bottom.
        self.items.sort(key=lambda p: p.row or 0)
        if self.dropped:
            self.items.append(InputProblem(self.file, f"và {self.dropped} lỗi khác không hiển thị"))
        if self.items:
            raise SurveyInputError(self.items)
