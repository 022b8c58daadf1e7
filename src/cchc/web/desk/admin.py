"""Back-office: the procedure catalogue is edited here; dossiers are read-only (changes go
through the desk so that every one is recorded as an event)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cchc.web.desk.models import Dossier, Procedure


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "time_limit", "time_unit", "fee", "online_eligible", "illustrative")
    list_filter = ("time_unit", "online_eligible", "illustrative")
    search_fields = ("code", "name")


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "unit", "procedure_code", "status", "received_at", "due_at", "finished_at")
    list_filter = ("status", "channel", "unit")
    search_fields = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
