"""Hooks the operations module puts into the rest of the application: the Content-Security-
Policy header, the client address behind proxies, and the audit entry of a ledger import."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from cchc.web import demo
from cchc.web.desk import lookup
from cchc.web.desk.demo import load_catalogue
from cchc.web.desk.ledger import import_ledger
from cchc.web.desk.models import Dossier
from cchc.web.ops.audit import verify_stored
from cchc.web.ops.clientaddr import client_address
from cchc.web.ops.csp import ContentSecurityPolicyMiddleware
from cchc.web.ops.models import AuditEntry

LOGIN = "/tai-khoan/dang-nhap/"


def _directives(header: str) -> dict[str, list[str]]:
    parts = [d.split() for d in header.split(";") if d.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", LOGIN, "/tra-cuu/", "/healthz"])
def test_every_page_carries_a_content_security_policy(path):
    response = Client().get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # No inline script at all except the hashed handlers: injected <script> cannot run.
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert all(s == "'self'" or s.startswith("'sha256-") or s == "'unsafe-hashes'"
               for s in policy["script-src"])


def test_a_view_that_sets_its_own_policy_keeps_it():
    def view(request):
        from django.http import HttpResponse

        response = HttpResponse("x")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    request = RequestFactory().get("/")
    assert ContentSecurityPolicyMiddleware(view)(request)["Content-Security-Policy"] == (
        "default-src 'none'"
    )


def test_the_csp_middleware_is_hooked():
    from django.conf import settings

    assert "cchc.web.ops.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/tra-cuu/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy: the header is the client's claim, ignored
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # forged first entry, proxy appended last
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, None, "10.0.0.1"),
    ],
)
def test_the_client_address_counts_trusted_proxies_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.CONFIG = SimpleNamespace(trusted_proxies=proxies, behind_proxy=proxies > 0)
    assert client_address(_request("10.0.0.1", forwarded)) == expected


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_reset_the_lookup_limit(settings):
    settings.CONFIG = SimpleNamespace(trusted_proxies=1, behind_proxy=True)
    settings.CCHC_LOOKUP_PER_MINUTE = 3
    cache.clear()
    # One client behind our proxy, inventing a new first X-Forwarded-For entry every time.
    answers = [
        lookup.allow(_request("10.0.0.1", f"6.6.6.{i}, 203.0.113.7")) for i in range(5)
    ]
    assert answers == [True, True, True, False, False]
    # A different real client (as the proxy saw it) still has its allowance.
    assert lookup.allow(_request("10.0.0.1", "203.0.113.8"))
    cache.clear()


def test_trusted_proxies_setting_is_validated():
    from cchc.web.config import ConfigError, Settings

    assert Settings.from_env({"CCHC_ENV": "test"}).trusted_proxies == 0
    assert Settings.from_env({"CCHC_ENV": "test", "CCHC_BEHIND_PROXY": "1"}).trusted_proxies == 1
    two = {"CCHC_ENV": "test", "CCHC_BEHIND_PROXY": "1", "CCHC_TRUSTED_PROXIES": "2"}
    assert Settings.from_env(two).trusted_proxies == 2
    with pytest.raises(ConfigError, match="CCHC_TRUSTED_PROXIES"):
        Settings.from_env({"CCHC_ENV": "test", "CCHC_TRUSTED_PROXIES": "-1"})


LEDGER = (
    "dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"
    "BSO-250303-0001,BSO,HT-KS,2025-03-03 09:00,2025-03-03 17:00,received,counter\n"
    "BSO-250303-0002,BSO,HT-KS,2025-03-03 09:10,2025-03-03 17:00,received,counter\n"
)


@pytest.fixture
def desk_ready(db):
    demo.load_units(demo.DemoContext())
    load_catalogue()


def test_a_ledger_import_writes_one_audit_entry(desk_ready, tmp_path: Path, django_user_model):
    user = django_user_model.objects.create_user(username="motcua.bso", role="organiser")
    path = tmp_path / "so-bso.csv"
    path.write_text(LEDGER, encoding="utf-8")
    before = AuditEntry.objects.count()
    assert import_ledger(path, user=user) == 2
    entries = list(AuditEntry.objects.filter(action="desk.ledger_import"))
    assert len(entries) == 1 and AuditEntry.objects.count() == before + 1
    entry = entries[0]
    assert (entry.actor, entry.object_id, entry.field, entry.new) == (
        "motcua.bso", "so-bso.csv", "rows", "2"
    )
    assert entry.at is not None
    assert verify_stored()[1] == []


def test_a_refused_ledger_import_leaves_no_audit_entry(desk_ready, tmp_path: Path):
    from cchc.service.importer import LedgerImportError

    path = tmp_path / "so.csv"
    path.write_text(LEDGER.replace(",BSO,HT-KS", ",XXX,HT-KS", 1), encoding="utf-8")
    with pytest.raises(LedgerImportError):
        import_ledger(path, user=None)
    assert not Dossier.objects.exists()
    assert not AuditEntry.objects.filter(action="desk.ledger_import").exists()
