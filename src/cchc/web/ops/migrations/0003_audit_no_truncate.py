"""On PostgreSQL a trigger refuses TRUNCATE of the audit entries (0002 covers UPDATE, DELETE).

TRUNCATE fires no row trigger, so 0002's trigger let the whole log be emptied in one
statement. A statement trigger ``BEFORE TRUNCATE`` refuses it — except for a superuser:
Django's test runner empties every table with TRUNCATE between transactional tests
(connected as a superuser), and a superuser can switch any trigger off anyway (the chain and
a head kept elsewhere detect what they do; docs/operations.md). The application's own role
must be neither superuser nor the tables' owner (docs/operations.md, "Database roles").
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "ops_auditentry"

CREATE = f"""
CREATE OR REPLACE FUNCTION ops_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: TRUNCATE refused on {TABLE}'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ops_audit_no_truncate ON {TABLE};
CREATE TRIGGER ops_audit_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION ops_audit_no_truncate();
"""
DROP = f"""
DROP TRIGGER IF EXISTS ops_audit_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS ops_audit_no_truncate();
"""


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ops", "0002_append_only")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
