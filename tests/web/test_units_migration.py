"""The data migration units.0003_official_codes, run as Django runs it: migrate to the state
before it, store rows under the demo's made-up codes, migrate forward (and back), check.

Runs on SQLite and on PostgreSQL (CCHC_TEST_DATABASE_URL). Transactional: the migrations
commit, and the database is flushed afterwards (pytest-django runs these tests last).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cchc.audit import verify
from cchc.web.units.official import ACTION, MIGRATION_NOTE, CodeMoveError

pytestmark = pytest.mark.django_db(transaction=True)

def _targets(units: str) -> list[tuple[str, str]]:
    """Every app at its latest migration, units at ``units``."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [n for n in leaves if n[0] != "units"] + [("units", units)]

RECEIPT = "HNH-261207-0001"  # printed on a citizen's receipt before the move


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate the test database to ``targets``; the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _leaf() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _audit_entries(apps: Any) -> list[Any]:
    from cchc.audit import Entry

    return [
        Entry(seq=r.seq, at=r.at, actor=r.actor, action=r.action, object_type=r.object_type,
              object_id=r.object_id, field=r.field, old=r.old, new=r.new, reason=r.reason,
              prev_hash=r.prev_hash, hash=r.hash)
        for r in apps.get_model("ops", "AuditEntry").objects.order_by("seq")
    ]


def _old_world(apps: Any) -> None:
    """What an installation stored before: units, a dossier, a survey, a portal import."""
    Unit = apps.get_model("units", "Unit")
    town, _ = Unit.objects.get_or_create(code="HNH", defaults={"name": "Thị xã Hoài Nhơn", "level": "district"})
    Unit.objects.get_or_create(
        code="BSO", defaults={"name": "Phường Bồng Sơn", "level": "commune", "parent": town}
    )
    Unit.objects.get_or_create(code="GLA-BSO", defaults={"name": "Phường Bồng Sơn", "level": "commune"})
    Unit.objects.get_or_create(code="MOI", defaults={"name": "Đơn vị không có trong danh mục", "level": "agency"})
    at = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
    apps.get_model("desk", "Dossier").objects.create(
        code=RECEIPT, unit=town, procedure_code="CT-BS", received_at=at, last_event_at=at,
        due_at=at + dt.timedelta(days=1), status="processing",
    )
    Campaign = apps.get_model("campaigns", "Campaign")
    Framework = apps.get_model("campaigns", "Framework")
    fw = Framework.objects.create(code="thu-di-tru", name="Thử", level="commune", year=2026, source_text="x")
    campaign = Campaign.objects.create(name="Đợt thử chuyển mã", framework=fw, level="commune", year=2026)
    Survey = apps.get_model("surveys", "Survey")
    survey = Survey.objects.create(
        campaign=campaign, component_code="HL", name="Khảo sát thử", questionnaire_version=1,
        max_points=3, period="2026", seed=1, plan={"BSO": {"population": 9, "sample": 3, "reserve": 1}},
    )
    apps.get_model("surveys", "Answer").objects.create(
        survey=survey, respondent_key="r1", unit_code="BSO", factor="F1", question="Q1", value=4
    )
    apps.get_model("desk", "PortalImport").objects.create(
        period="2026-Q4", files="thu.xlsx", endpoints="766", units={"HNH": "000.00.12.H12"}, data={}
    )


def test_the_migration_moves_stored_units_to_official_ids_keeps_aliases_and_audits_it() -> None:
    apps = _migrate(_targets("0002_unit_alias"))
    _old_world(apps)
    entries_before = len(_audit_entries(apps))

    apps = _migrate(_targets("0003_official_codes"))
    Unit = apps.get_model("units", "Unit")
    codes = set(Unit.objects.values_list("code", flat=True))
    assert {"543", "21640@2025-06-30", "21640"} <= codes  # HNH, BSO (ended 30/06/2025), GLA-BSO
    assert not codes & {"HNH", "BSO", "GLA-BSO"}
    assert "MOI" in codes  # not in the registry: left as it is
    aliases = dict(apps.get_model("units", "UnitAlias").objects.values_list("alias", "unit__code"))
    assert aliases["HNH"] == "543" and aliases["BSO"] == "21640@2025-06-30" and aliases["GLA-BSO"] == "21640"
    # The receipt's code is not rewritten; the dossier still belongs to the town, now 543.
    dossier = apps.get_model("desk", "Dossier").objects.get(code=RECEIPT)
    assert dossier.unit.code == "543"
    assert list(apps.get_model("surveys", "Answer").objects.values_list("unit_code", flat=True)) == ["21640@2025-06-30"]
    assert set(apps.get_model("surveys", "Survey").objects.get().plan) == {"21640@2025-06-30"}
    assert apps.get_model("desk", "PortalImport").objects.get().units == {"543": "000.00.12.H12"}
    entries = _audit_entries(apps)
    moved = [e for e in entries[entries_before:] if e.action == ACTION]
    assert ("HNH", "543") in {(e.old, e.new) for e in moved}
    assert all(e.object_type == "unit" and e.field == "code" and e.actor for e in moved)
    assert verify(entries) == []  # appended to the chain, not beside it

    apps = _migrate(_targets("0002_unit_alias"))  # and back
    Unit = apps.get_model("units", "Unit")
    assert {"HNH", "BSO", "GLA-BSO", "MOI"} <= set(Unit.objects.values_list("code", flat=True))
    assert not apps.get_model("units", "UnitAlias").objects.filter(note=MIGRATION_NOTE).exists()
    assert apps.get_model("desk", "Dossier").objects.get(code=RECEIPT).unit.code == "HNH"
    assert list(apps.get_model("surveys", "Answer").objects.values_list("unit_code", flat=True)) == ["BSO"]
    assert apps.get_model("desk", "PortalImport").objects.get().units == {"HNH": "000.00.12.H12"}
    back = _audit_entries(apps)
    assert len(back) > len(entries) and ("543", "HNH") in {(e.old, e.new) for e in back[len(entries):]}
    assert verify(back) == []
    _leaf()


def test_a_unit_stored_twice_stops_the_migration_and_nothing_changes() -> None:
    apps = _migrate(_targets("0002_unit_alias"))
    _old_world(apps)
    Unit = apps.get_model("units", "Unit")
    Unit.objects.create(code="543", name="Thị xã Hoài Nhơn (nhập tay)", level="district")
    entries_before = len(_audit_entries(apps))
    with pytest.raises(CodeMoveError, match="HNH và 543"):
        _migrate(_targets("0003_official_codes"))
    apps = MigrationExecutor(connection).loader.project_state(_targets("0002_unit_alias")).apps
    Unit = apps.get_model("units", "Unit")
    assert {"HNH", "BSO", "GLA-BSO", "543"} <= set(Unit.objects.values_list("code", flat=True))
    assert not apps.get_model("units", "UnitAlias").objects.exists()
    assert len(_audit_entries(apps)) == entries_before
    applied = MigrationExecutor(connection).loader.applied_migrations
    assert ("units", "0003_official_codes") not in applied
    Unit.objects.filter(code="543").delete()
    _leaf()
