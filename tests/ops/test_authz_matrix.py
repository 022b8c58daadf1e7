"""The authorisation matrix: every URL pattern of the project and every API operation, for
every role, with objects of unit A (issue 6, item 8).

Each row reads: the outcome for administrator, organiser, unit officer A, unit officer B,
appraiser, leader, one-stop officer A, one-stop officer B and the public, first for GET, then
for POST (with a valid CSRF token and a well-formed form). Outcomes: ``ok`` (the request
reached the page or its action: 2xx, a redirect elsewhere than the log-in page, or its input
refused as input with 400/409/422), ``login`` (sent to log in), ``403``, ``404`` (a unit's
object hidden from another unit), ``405`` (method not allowed), ``401`` (API without token).

The campaign is in its objections phase, so score changes are refused to everyone (the
phase, not the role). A new URL pattern or API operation fails
``test_every_pattern_is_classified`` until a row is added here. Admin pages follow one rule
(``ADMIN_RULE``: the administrator only) except the rows in ``ADMIN``.

    .venv/bin/pytest tests/ops/test_authz_matrix.py -q
"""

from __future__ import annotations

from typing import Any

import pytest
from authz_probe import probe_api, probe_pages, url_patterns
from authz_world import ROLES, build
from django.core.cache import cache
from django.db import transaction

from cchc.web.portal import downloads, pages

ADMIN_RULE = ("ok login login login login login login login login",) * 2

# Admin pages that differ from ADMIN_RULE (their ModelAdmin refuses adding or deleting).
ADMIN: dict[str, tuple[str, str]] = {
    "admin:<unnamed quan-tri/(?P<url>.*)$>": ("404 login login login login login login login login", "404 login login login login login login login login"),
    "admin:autocomplete": ("403 login login login login login login login login", "405 login login login login login login login login"),
    "admin:campaigns_campaign_delete": ("ok login login login login login login login login", "403 login login login login login login login login"),
    "admin:campaigns_campaignunit_delete": ("ok login login login login login login login login", "403 login login login login login login login login"),
    "admin:campaigns_criterionscore_add": ("403 login login login login login login login login", "403 login login login login login login login login"),
    "admin:campaigns_criterionscore_delete": ("403 login login login login login login login login", "403 login login login login login login login login"),
    "admin:campaigns_scorechange_add": ("403 login login login login login login login login", "403 login login login login login login login login"),
    "admin:campaigns_scorechange_delete": ("403 login login login login login login login login", "403 login login login login login login login login"),
    "admin:desk_dossier_add": ("403 login login login login login login login login", "403 login login login login login login login login"),
    "admin:desk_dossier_change": ("ok login login login login login login login login", "403 login login login login login login login login"),
    "admin:desk_dossier_delete": ("403 login login login login login login login login", "403 login login login login login login login login"),
    "admin:jsi18n": ("ok login login login login login login login login", "405 login login login login login login login login"),
    "admin:login": ("ok ok ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok ok ok"),
    "admin:logout": ("405 ok ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok ok ok"),
    "admin:password_change_done": ("ok login login login login login login login login", "405 login login login login login login login login"),
    "admin:view_on_site": ("404 login login login login login login login login", "404 login login login login login login login login"),
}

PAGES: dict[str, tuple[str, str]] = {
    "desk:act": ("405 405 405 405 405 405 405 405 login", "403 403 403 403 403 403 ok 404 login"),
    "desk:catalogue": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "desk:procedure": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "desk:control_sheet": ("403 403 403 403 403 403 ok 404 login", "405 405 405 405 405 405 405 405 login"),
    "desk:dashboard": ("ok ok 403 403 403 ok ok ok login", "ok ok 403 403 403 ok ok ok login"),
    "desk:dashboard_xlsx": ("ok ok 403 403 403 ok ok ok login", "405 405 405 405 405 405 405 405 login"),
    "desk:dossier": ("403 403 403 403 403 403 ok 404 login", "403 403 403 403 403 403 ok 404 login"),
    "desk:form": ("403 403 403 403 403 403 ok 404 login", "403 403 403 403 403 403 ok 404 login"),
    "desk:integrity": ("ok ok 403 403 403 ok ok ok login", "405 405 405 405 405 405 405 405 405"),
    "desk:import": ("ok ok 403 403 403 403 ok ok login", "ok ok 403 403 403 403 ok ok login"),
    "desk:lookup": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "desk:portal_import": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "desk:rate": ("405 405 405 405 405 405 405 405 405", "ok ok ok ok ok ok ok ok ok"),
    "desk:rating_key": ("405 405 405 405 405 405 405 405 login", "403 403 403 403 403 403 ok 404 login"),
    "desk:receive": ("403 403 403 403 403 403 ok ok login", "403 403 403 403 403 403 ok ok login"),
    "desk:reconcile": ("ok ok 403 403 403 ok ok ok login", "405 405 405 405 405 405 405 405 login"),
    "desk:reconcile_xlsx": ("ok ok 403 403 403 ok ok ok login", "405 405 405 405 405 405 405 405 login"),
    "desk:register": ("403 403 403 403 403 403 ok ok login", "405 405 405 405 405 405 405 405 login"),
    "desk:register_xlsx": ("403 403 403 403 403 403 ok ok login", "405 405 405 405 405 405 405 405 login"),
    # The matrix's dossier is not stopped: its officer is sent back to the dossier page.
    "desk:stop_notice": ("403 403 403 403 403 403 ok 404 login", "405 405 405 405 405 405 405 405 login"),
    "desk:worklist": ("403 403 403 403 403 403 ok ok login", "403 403 403 403 403 403 ok ok login"),
    "desk:worklist_xlsx": ("403 403 403 403 403 403 ok ok login", "405 405 405 405 405 405 405 405 login"),
    "favicon": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "healthz": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "login": ("ok ok ok ok ok ok ok ok ok", "ok ok ok ok ok ok ok ok ok"),
    "logout": ("405 405 405 405 405 405 405 405 405", "ok ok ok ok ok ok ok ok ok"),
    "password_change": ("ok ok ok ok ok ok ok ok login", "ok ok ok ok ok ok ok ok login"),
    "password_change_done": ("ok ok ok ok ok ok ok ok login", "405 405 405 405 405 405 405 405 login"),
    "portal:campaign_ranking": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:campaign_unit": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:chart": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:download": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    # Points within reach: own unit's officer (the matrix's unit is not officer A's: 404),
    # the leader, the organiser and the administrator.
    "portal:gaps": ("ok ok 404 404 403 ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
    "portal:gaps_xlsx": ("ok ok 404 404 403 ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
    "portal:home": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:ranking": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:report": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:unit": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:unit_chart": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:whatif": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "portal:unit_report": ("ok ok ok ok ok ok ok ok ok", "405 405 405 405 405 405 405 405 405"),
    "surveys:answer": ("404 404 404 404 404 404 404 404 404", "404 404 404 404 404 404 404 404 404"),
    "surveys:close": ("405 405 405 405 405 405 405 405 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:create": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:detail": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:draw": ("405 405 405 405 405 405 405 405 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:import": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:issue": ("405 405 405 405 405 405 405 405 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:list": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:paper": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:paper_list": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:publish": ("405 405 405 405 405 405 405 405 login", "ok ok 403 403 403 403 403 403 login"),
    "surveys:results": ("ok ok 403 403 ok ok 403 403 login", "ok ok 403 403 ok ok 403 403 login"),
    "surveys:results_json": ("ok ok 403 403 ok ok 403 403 login", "ok ok 403 403 ok ok 403 403 login"),
    "surveys:results_xlsx": ("ok ok 403 403 ok ok 403 403 login", "ok ok 403 403 ok ok 403 403 login"),
    "workflow:answer": ("405 405 405 405 405 405 405 405 405", "403 403 403 404 ok 403 403 403 login"),
    "workflow:appraise": ("405 405 405 405 405 405 405 405 405", "403 403 403 404 403 403 403 403 login"),
    "workflow:campaign": ("ok ok ok ok ok ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
    "workflow:campaigns": ("ok ok ok ok ok ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
    "workflow:create": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "workflow:criterion": ("ok ok ok 404 ok ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
    "workflow:dates": ("405 405 405 405 405 405 405 405 405", "ok ok 403 403 403 403 403 403 login"),
    "workflow:evidence": ("405 405 405 405 405 405 405 405 405", "403 403 403 404 403 403 403 403 login"),
    # Removing or replacing evidence: the unit's own officer before submission only; the
    # matrix's campaign is in its objections phase, so even officer A is refused (the phase).
    "workflow:evidence_delete": ("405 405 405 405 405 405 405 405 405", "403 403 403 404 403 403 403 403 login"),
    "workflow:evidence_file": ("ok ok ok 404 ok ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
    "workflow:evidence_replace": ("405 405 405 405 405 405 405 405 405", "403 403 403 404 403 403 403 403 login"),
    "workflow:object": ("405 405 405 405 405 405 405 405 405", "403 403 ok 404 403 403 403 403 login"),
    "workflow:phase": ("405 405 405 405 405 405 405 405 405", "ok ok 403 403 403 403 403 403 login"),
    # The organiser proposes; only a leader of the organising body (the world's leader leads
    # Tỉnh Bình Định, above units A and B) reads the proposal and approves or returns it.
    "workflow:propose": ("405 405 405 405 405 405 405 405 405", "ok ok 403 403 403 403 403 403 login"),
    "workflow:approval": ("403 403 403 403 403 ok 403 403 login", "403 403 403 403 403 ok 403 403 login"),
    "workflow:publish": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "workflow:self_report": ("ok ok ok 404 ok ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
    "workflow:self_report_docx": ("ok ok ok 404 ok ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
    "workflow:self_score": ("405 405 405 405 405 405 405 405 405", "403 403 403 404 403 403 403 403 login"),
    # GET is the confirmation page, shown only to the officer who may still submit.
    "workflow:submit": ("403 403 403 404 403 403 403 403 login", "403 403 403 404 403 403 403 403 login"),
    "workflow:survey": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    # The sampling error of surveys run outside cchc: the organiser (and administrator) only.
    "workflow:uncertainty": ("ok ok 403 403 403 403 403 403 login", "ok ok 403 403 403 403 403 403 login"),
    "workflow:unit": ("ok ok ok 404 ok ok 403 403 login", "405 405 405 405 405 405 405 405 405"),
}

API: dict[str, str] = {
    "GET /api/v1/dossiers/{code}": "ok ok ok ok ok ok ok ok ok",
    "GET /api/v1/me": "ok ok ok ok ok ok ok ok 401",
    "GET /api/v1/par/campaigns": "ok ok ok ok ok ok ok ok ok",
    "GET /api/v1/par/results": "ok ok ok ok ok ok ok ok ok",
    "GET /api/v1/par/robustness": "ok ok ok ok ok ok ok ok ok",
    "GET /api/v1/par/whatif": "ok ok ok ok ok ok ok ok ok",
    "GET /api/v1/service/board": "ok ok 403 403 403 ok ok ok 401",
    # As its page desk:dashboard (the public gets 401 where the page sends it to log in).
    "GET /api/v1/service/index": "ok ok 403 403 403 ok ok ok 401",
    "GET /api/v1/service/integrity": "ok ok 403 403 403 ok ok ok 401",
    "GET /api/v1/service/portal-files": "ok ok 403 403 403 403 403 403 401",
    "GET /api/v1/service/reconcile": "ok ok 403 403 403 ok ok ok 401",
    "POST /api/v1/service/portal-files": "ok ok 403 403 403 403 403 403 401",
    "POST /api/v1/dossiers/import": "ok ok 403 403 403 403 ok ok 401",
}

# Every API operation is the JSON twin of a page and has exactly that page's permission
# (Datasette serves both from one view with one check): (page pattern, method) per operation.
TWINS: dict[str, tuple[str, str]] = {
    "GET /api/v1/dossiers/{code}": ("desk:lookup", "GET"),
    "GET /api/v1/par/campaigns": ("portal:home", "GET"),
    "GET /api/v1/par/results": ("portal:ranking", "GET"),
    "GET /api/v1/par/robustness": ("portal:ranking", "GET"),  # the page's robustness section
    "GET /api/v1/par/whatif": ("portal:whatif", "GET"),
    "GET /api/v1/service/integrity": ("desk:integrity", "GET"),
    "GET /api/v1/service/index": ("desk:dashboard", "GET"),
    "GET /api/v1/service/board": ("desk:dashboard", "GET"),
    "GET /api/v1/service/reconcile": ("desk:reconcile", "GET"),
    "GET /api/v1/service/portal-files": ("desk:portal_import", "GET"),
    "POST /api/v1/service/portal-files": ("desk:portal_import", "POST"),
    "POST /api/v1/dossiers/import": ("desk:import", "POST"),
}
# Operations without a page, and why.
NO_TWIN: dict[str, str] = {
    "GET /api/v1/me": "the account of the token itself; no page shows a token's owner",
}
# Twins served as pages of their own (a JSON or XLSX download of a page's figures).
PAGE_TWINS: dict[str, str] = {
    "surveys:results_json": "surveys:results",
    "surveys:results_xlsx": "surveys:results",
    "portal:download": "portal:ranking",
    "portal:gaps_xlsx": "portal:gaps",
    "desk:dashboard_xlsx": "desk:dashboard",
    "desk:reconcile_xlsx": "desk:reconcile",
}
# Pairs that differ because a fix made elsewhere is not merged yet (strict xfail, with the
# missing fix as the reason); remove the line once it is.
TWIN_FAULTS: dict[str, str] = {}

# Known faults, reported to the module's owner; strict, so the fix is noticed.
KNOWN_FAULTS: set[tuple[str, str, str]] = set()


def expected(name: str) -> tuple[str, str]:
    if name in PAGES:
        return PAGES[name]
    if name in ADMIN:
        return ADMIN[name]
    if name.startswith("admin:"):
        return ADMIN_RULE
    raise KeyError(name)


_OBSERVED: list[Any] = []


@pytest.fixture
def observed(db: None) -> Any:
    """Every request of the matrix, made once (by the first test) and rolled back."""
    if not _OBSERVED:
        cache.clear()  # the look-up and log-in rate limits count in the cache
        with transaction.atomic():
            world = build()
            _OBSERVED.append((probe_pages(world), probe_api(world)))
            transaction.set_rollback(True)
        # The rolled-back campaigns must not linger in the portal's per-process caches.
        pages._results.cache_clear()
        downloads._rendered.cache_clear()
        cache.clear()
    return _OBSERVED[0]


def test_every_pattern_is_classified() -> None:
    names = {p.name for p in url_patterns()}
    unclassified = sorted(
        n for n in names if n not in PAGES and n not in ADMIN and not n.startswith("admin:")
    )
    assert not unclassified, f"URL patterns missing from the matrix: {unclassified}"
    gone = sorted((set(PAGES) | set(ADMIN)) - names)
    assert not gone, f"rows for URL patterns that no longer exist: {gone}"


def test_every_api_operation_is_classified(observed: Any) -> None:
    operations = {op for op, _ in observed[1]}
    assert operations == set(API), (sorted(operations - set(API)), sorted(set(API) - operations))


PATTERN_NAMES = sorted({p.name for p in url_patterns()})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PATTERN_NAMES)
def test_page(observed: Any, name: str, role: str) -> None:
    index = ROLES.index(role)
    for method, row in zip(("GET", "POST"), expected(name), strict=True):
        want = row.split()[index]
        got = observed[0][(name, role, method)]
        if (name, role, method) in KNOWN_FAULTS:
            assert got == "500", f"known fault fixed? {method} {name} as {role}: {got}"
            continue
        assert got == want, f"{method} {name} as {role}: expected {want}, got {got}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API))
def test_api(observed: Any, operation: str, role: str) -> None:
    want = API[operation].split()[ROLES.index(role)]
    got = observed[1][(operation, role)]
    assert got == want, f"{operation} as {role}: expected {want}, got {got}"


def _signed_in_first(outcome: str) -> str:
    """A page sends the public to log in, the API answers 401: the same permission."""
    return "login" if outcome in ("login", "401") else outcome


def test_every_api_operation_has_a_page_twin_or_a_reason() -> None:
    assert set(TWINS) | set(NO_TWIN) == set(API) and not set(TWINS) & set(NO_TWIN)
    assert set(TWIN_FAULTS) <= set(TWINS)


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(op, marks=pytest.mark.xfail(strict=True, reason=TWIN_FAULTS[op]))
        if op in TWIN_FAULTS
        else op
        for op in sorted(TWINS)
    ],
)
def test_a_json_twin_has_exactly_its_pages_permission(observed: Any, operation: str) -> None:
    page, method = TWINS[operation]
    as_page = [_signed_in_first(observed[0][(page, role, method)]) for role in ROLES]
    as_api = [_signed_in_first(observed[1][(operation, role)]) for role in ROLES]
    assert as_api == as_page, f"{operation} vs {method} {page}, roles {ROLES}"


@pytest.mark.parametrize("twin", sorted(PAGE_TWINS))
def test_a_download_twin_has_exactly_its_pages_permission(observed: Any, twin: str) -> None:
    page = PAGE_TWINS[twin]
    assert [observed[0][(twin, role, "GET")] for role in ROLES] == [
        observed[0][(page, role, "GET")] for role in ROLES
    ]
