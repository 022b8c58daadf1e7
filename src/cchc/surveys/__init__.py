"""Surveys: SIPAS citizen satisfaction and the officials' survey, sampling and indices."""
