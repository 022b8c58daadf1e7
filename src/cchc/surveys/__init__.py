"""Surveys: SIPAS citizen satisfaction and the officials' survey, sampling and indices.

A plain-Python core (dataclasses and functions, no web framework) used by the CLI
(``cchc survey``) and by the web app's collection forms. Charts (``cchc.surveys.chart``) and
the .xlsx export (``cchc.surveys.export``) are imported from their modules, since they pull
in Altair and xlsxwriter. Method, sources and assumptions: docs/surveys.md.
"""

from __future__ import annotations

from cchc.surveys.answers import ANSWER_COLUMNS, Answer, read_answers
from cchc.surveys.collection import EMPTY_FORM, form_answers, write_answers_csv
from cchc.surveys.compare import NOT_SIGNIFICANT, Comparison, compare_units
from cchc.surveys.errors import InputProblem, QuestionnaireError, SurveyInputError
from cchc.surveys.index import FactorResult, Share, SurveyResult, UnitResult, compute_index
from cchc.surveys.interval import mean_interval, wilson_interval
from cchc.surveys.kobo import read_kobo
from cchc.surveys.officials import OfficialsResult, compute_means
from cchc.surveys.period import Period, parse_period
from cchc.surveys.points import UnitPoints, officials_points, sipas_points
from cchc.surveys.questionnaire import (
    Questionnaire,
    available_questionnaires,
    load_questionnaire,
    load_questionnaire_file,
)
from cchc.surveys.sampling import (
    Respondent,
    Sample,
    allocate,
    draw_sample,
    sample_size,
    token_digest,
    write_sample_csv,
)
from cchc.surveys.summary import index_json, points_json

__all__ = [
    "ANSWER_COLUMNS",
    "EMPTY_FORM",
    "NOT_SIGNIFICANT",
    "Answer",
    "Comparison",
    "FactorResult",
    "InputProblem",
    "OfficialsResult",
    "Period",
    "Questionnaire",
    "QuestionnaireError",
    "Respondent",
    "Sample",
    "Share",
    "SurveyInputError",
    "SurveyResult",
    "UnitPoints",
    "UnitResult",
    "allocate",
    "available_questionnaires",
    "compare_units",
    "compute_index",
    "compute_means",
    "draw_sample",
    "form_answers",
    "index_json",
    "load_questionnaire",
    "load_questionnaire_file",
    "mean_interval",
    "officials_points",
    "parse_period",
    "points_json",
    "read_answers",
    "read_kobo",
    "sample_size",
    "sipas_points",
    "token_digest",
    "wilson_interval",
    "write_answers_csv",
    "write_sample_csv",
]
