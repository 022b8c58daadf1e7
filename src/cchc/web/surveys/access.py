"""Who may do what with surveys: object-level checks every survey view calls on the server.

Only the organising office (organiser, administrator) manages surveys: creates them, draws
samples, issues links, enters paper forms, imports and publishes. Respondents reach only
their own form, by the token in their link (no log-in). Results are for the office roles
until the survey is published into its campaign; after that everyone reads them (they hold
counts and indices only, never who answered what).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cchc.web.accounts.roles import MANAGER_ROLES as MANAGERS
from cchc.web.accounts.roles import OFFICE_ROLES as OFFICE
from cchc.web.accounts.roles import role as _role
from cchc.web.surveys.models import Survey, SurveyStatus


def can_manage_surveys(user: Any) -> bool:
    """Create surveys, draw samples, issue links, enter and import answers, publish."""
    return _role(user) in MANAGERS


def can_view_results(user: Any, survey: Survey) -> bool:
    """The office roles before publication; everyone once published into the campaign."""
    return survey.status == SurveyStatus.PUBLISHED or _role(user) in OFFICE


def managed_survey(user: Any, pk: int) -> Survey:
    """The survey ``pk`` for a manager; PermissionDenied for anyone else (403 / log-in)."""
    if not can_manage_surveys(user):
        raise PermissionDenied("Chỉ cơ quan tổ chức đánh giá được quản lý khảo sát.")
    return get_object_or_404(Survey.objects.select_related("campaign"), pk=pk)


def visible_survey(user: Any, pk: int) -> Survey:
    """The survey ``pk`` whose results this user may read."""
    survey = get_object_or_404(Survey.objects.select_related("campaign"), pk=pk)
    if not can_view_results(user, survey):
        raise PermissionDenied("Kết quả khảo sát chưa được công bố.")
    return survey
