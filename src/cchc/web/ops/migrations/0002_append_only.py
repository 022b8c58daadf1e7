"""The audit chain's head row, and on PostgreSQL a trigger refusing UPDATE/DELETE of entries.

SQLite has no such trigger here on purpose: it is the single-office default, where the
database file's owner can rewrite anything anyway; the hash chain is what detects it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "ops_auditentry"

CREATE = f"""
CREATE OR REPLACE FUNCTION ops_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % refused on {TABLE}', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ops_audit_append_only ON {TABLE};
CREATE TRIGGER ops_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION ops_audit_append_only();
"""
DROP = f"""
DROP TRIGGER IF EXISTS ops_audit_append_only ON {TABLE};
DROP FUNCTION IF EXISTS ops_audit_append_only();
"""


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def _create_head(apps: Any, schema_editor: Any) -> None:
    head = apps.get_model("ops", "AuditHead")
    head.objects.using(schema_editor.connection.alias).get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("ops", "0001_initial")]

    operations = [
        migrations.RunPython(_create_head, migrations.RunPython.noop),
        migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP)),
    ]
