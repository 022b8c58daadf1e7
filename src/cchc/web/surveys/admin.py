"""Back-office views of surveys: read what was collected; changes go through the pages."""

from __future__ import annotations

from django.contrib import admin

from cchc.web.surveys.models import Answer, Respondent, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "campaign", "component_code", "period", "status", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = ("plan", "sampled_at", "closed_at", "published_at", "published_by")


@admin.register(Respondent)
class RespondentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("survey", "unit", "dossier_code", "reserve", "order", "used_at", "channel")
    list_filter = ("reserve", "channel")
    search_fields = ("dossier_code",)
    # The digest is what the server checks links against; nobody edits it by hand.
    readonly_fields = ("token_digest", "issued_at", "used_at")


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("survey", "respondent_key", "unit_code", "factor", "question", "value")
    list_filter = ("factor",)
    search_fields = ("respondent_key",)
