"""Stored units move from the demo's made-up codes to their official ids (data only).

The rule is the core's (``cchc.units.official``), applied by ``cchc.web.units.official``:
each moved unit keeps its old code as an alias, codes stored as text move with it, and one
audit entry per unit records old and new code. All or nothing (one transaction); reversible:
going back restores the made-up codes and appends an audit entry per unit.
"""

from typing import Any

from django.db import migrations

from cchc.web.units.official import Models, move_back, move_to_official

ACTOR = "migration units.0003_official_codes"


def _models(apps: Any) -> Models:
    return Models(
        Unit=apps.get_model("units", "Unit"),
        UnitAlias=apps.get_model("units", "UnitAlias"),
        AuditEntry=apps.get_model("ops", "AuditEntry"),
        AuditHead=apps.get_model("ops", "AuditHead"),
        Answer=apps.get_model("surveys", "Answer"),
        Survey=apps.get_model("surveys", "Survey"),
        PortalImport=apps.get_model("desk", "PortalImport"),
    )


def forwards(apps: Any, schema_editor: Any) -> None:
    move_to_official(_models(apps), ACTOR)


def backwards(apps: Any, schema_editor: Any) -> None:
    move_back(_models(apps), ACTOR)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("units", "0002_unit_alias"),
        ("ops", "0003_audit_no_truncate"),
        ("surveys", "0002_by_procedure"),
        ("desk", "0006_procedure_field"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
