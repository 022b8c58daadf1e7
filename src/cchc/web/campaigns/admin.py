"""Back-office views of campaigns for the administrator (changes to scores go through the
workflow pages and services, so score rows are read-only here)."""

from __future__ import annotations

from django.contrib import admin

from cchc.web.campaigns.models import (
    Campaign,
    CampaignUnit,
    CriterionScore,
    Evidence,
    Framework,
    Objection,
    ScoreChange,
)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "level", "year")
    list_filter = ("level", "year")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "level", "year", "status", "version", "published_at", "illustrative")
    list_filter = ("status", "level", "year")
    # Phases, the leader's approval and publishing (its version, reason, author) go through
    # the services only, which check the roles and write the audit entries.
    readonly_fields = (
        "status", "published_at", "version", "correction_reason", "published_by",
        "approval", "approval_digest", "approval_reason", "approval_by", "approval_at",
    )


@admin.register(CampaignUnit)
class CampaignUnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("campaign", "unit", "submitted_at")
    list_filter = ("campaign",)


@admin.register(CriterionScore)
class CriterionScoreAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("campaign_unit", "node_code", "self_score", "appraised_score", "version")
    list_filter = ("campaign_unit__campaign",)
    readonly_fields = (
        "campaign_unit",
        "node_code",
        "self_score",
        "appraised_score",
        "self_figures",
        "appraised_figures",
        "not_applicable",
        "not_applicable_reason",
        "appraised_not_applicable",
        "explanation",
        "appraisal_reason",
        "self_locked",
        "appraisal_locked",
        "version",
    )

    # Score rows are created with their campaign and changed only through
    # cchc.web.campaigns.services, which writes the history and the audit entry.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ScoreChange)
class ScoreChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("criterion_score", "field", "old", "new", "user", "at")
    readonly_fields = ("criterion_score", "field", "old", "new", "reason", "user", "at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.register(Evidence)
admin.site.register(Objection)
