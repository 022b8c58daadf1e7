"""Errors of the survey pages; each message is Vietnamese and shown to the user as is."""

from __future__ import annotations


class SurveyError(ValueError):
    """A change the rules refuse (wrong state, nothing to draw, bad file…)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class LinkInvalid(SurveyError):
    """No respondent holds this token."""


class LinkUsed(SurveyError):
    """The one-time link has been answered already."""


class SurveyNotOpen(SurveyError):
    """The survey is not collecting answers (not started, closed or published)."""
