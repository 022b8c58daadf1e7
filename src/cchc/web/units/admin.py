from django.contrib import admin

from cchc.web.units.models import Unit, UnitAlias


class UnitAliasInline(admin.TabularInline):  # type: ignore[type-arg]
    model = UnitAlias
    extra = 0
    fields = ("alias", "note", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name", "aliases__alias")
    inlines = (UnitAliasInline,)
