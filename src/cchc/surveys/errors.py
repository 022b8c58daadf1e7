"""Errors raised on bad survey input: each names the file, the row or key, and the reason.

Messages are user-visible, so they are in Vietnamese; the CLI prints them on stderr and
exits with status 2, the web app shows them next to the upload. Problems in input tables
are the one type every importer uses (``cchc.tables``); ``InputProblem`` and
``SurveyInputError`` are its names here.
"""

from __future__ import annotations

from cchc.tables import MAX_PROBLEMS, Problem, ProblemList, TableError

__all__ = ["MAX_PROBLEMS", "InputProblem", "ProblemList", "QuestionnaireError", "SurveyInputError"]

InputProblem = Problem
SurveyInputError = TableError


class QuestionnaireError(ValueError):
    """A questionnaire file is malformed; the message names the file and the key."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        super().__init__(f"{file}, khóa '{key}': {reason}")
