"""The stored audit log: chained, append-only at the ORM level, fed by every score change."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from cchc.audit import GENESIS
from cchc.web.ops.audit import head, record, verify_stored
from cchc.web.ops.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def _three() -> list[AuditEntry]:
    return [
        record(actor=None, action="dossier.receive", object_type="dossier", object_id="HS-1"),
        record(
            actor="motcua.hn",
            action="dossier.return",
            object_type="dossier",
            object_id="HS-1",
            field="status",
            old="processing",
            new="returned",
        ),
        record(
            actor="thamdinh",
            action="score.appraised_score",
            object_type="criterion_score",
            object_id=42,
            field="appraised_score",
            old="2,00",
            new="1,50",
            reason="thiếu minh chứng",
        ),
    ]


@pytest.fixture(autouse=True)
def _start() -> None:
    # The web suite's demo data may already hold entries (its session database is shared
    # when both folders run together); these tests count from the head they find.
    global START
    START = head()[0]


START = 0


def test_record_appends_a_chain_and_moves_the_head():
    rows = _three()
    assert [r.seq for r in rows] == [START + 1, START + 2, START + 3]
    if START == 0:
        assert rows[0].prev_hash == GENESIS
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert rows[0].actor == "hệ thống"
    assert head() == (START + 3, rows[2].hash)
    assert verify_stored() == (START + 3, [])


def test_an_entry_cannot_be_changed_or_removed_through_django():
    row = _three()[1]
    row.new = "received"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=START + 2).update(new="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(seq=START + 2).new == "returned"


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL refuses the SQL itself")
def test_an_edit_in_sql_is_found_and_named():
    _three()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ops_auditentry SET reason = 'đủ minh chứng' WHERE seq = %s", [START + 3]
        )
    count, problems = verify_stored()
    assert count == START + 3
    assert problems[0].seq == START + 3 and problems[0].kind == "hash"


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL refuses the SQL itself")
def test_deleting_the_last_entry_in_sql_is_found_through_the_head():
    _three()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ops_auditentry WHERE seq = %s", [START + 3])
    _, problems = verify_stored()
    assert [p.kind for p in problems] == ["head"]


def test_a_head_kept_elsewhere_must_still_be_in_the_chain():
    rows = _three()
    assert verify_stored(expect_head=rows[2].hash)[1] == []
    # Entries appended since the head was recorded are the log going on …
    assert verify_stored(expect_head=rows[1].hash)[1] == []
    # … a head the chain no longer passes through means it was cut or rewritten.
    assert verify_stored(expect_head="ab" * 32)[1][0].kind == "head"


def test_a_rolled_back_change_leaves_no_entry():
    _three()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor="x", action="score.self_score", object_type="criterion_score", object_id=1)
        raise RuntimeError("the change itself failed")
    assert head()[0] == START + 3
    assert verify_stored() == (START + 3, [])


def test_every_score_change_of_the_campaign_services_is_audited():
    from cchc.web import demo
    from cchc.web.campaigns.models import ScoreChange

    ctx = demo.DemoContext()
    for step in (demo.load_units, demo.load_campaigns, demo.load_accounts):
        step(ctx)
    changes = list(ScoreChange.objects.order_by("at", "id"))
    assert changes, "the demo records score changes"
    entries = list(AuditEntry.objects.filter(object_type="criterion_score").order_by("seq"))
    assert [(e.object_id, e.field, e.new) for e in entries] == [
        (str(c.criterion_score_id), c.field, c.new) for c in changes
    ]
    # Each of the demo's three publications is an entry of its own (who, old/new version).
    published = AuditEntry.objects.filter(object_type="campaign", action="campaign.publish")
    assert [e.new.endswith("phiên bản 1") for e in published] == [True, True, True]
    # Before each publication, the proposal and the leader's approval (two entries each).
    approvals = AuditEntry.objects.filter(object_type="campaign", action="campaign.approval")
    assert approvals.count() == 2 * published.count()
    assert verify_stored() == (len(entries) + published.count() + approvals.count(), [])


def test_desk_actions_are_audited_with_the_dossier_code():
    from cchc.web import demo
    from cchc.web.accounts.models import Role, User
    from cchc.web.desk.demo import load_catalogue
    from cchc.web.desk.models import Procedure
    from cchc.web.desk.services import receive
    from cchc.web.units.models import Unit

    demo.load_units(demo.DemoContext())
    load_catalogue()
    unit = Unit.objects.get(code="BSO")
    officer = User.objects.create_user(
        username="motcua.bongson", password="Mat-khau-dung-1", role=Role.ONESTOP_OFFICER, unit=unit
    )
    dossier = receive(
        unit, Procedure.objects.get(code="CT-BS"), user=officer, applicant_name="Nguyễn Văn An"
    )
    entry = AuditEntry.objects.filter(object_type="dossier").get()
    assert (entry.object_id, entry.actor, entry.field) == (dossier.code, "motcua.bongson", "status")
    assert entry.action.startswith("dossier.") and entry.new == dossier.status
    # Personal data stays out of the audit log.
    assert "Nguyễn Văn An" not in (entry.old or "") + (entry.new or "") + entry.reason
    assert verify_stored()[1] == []
