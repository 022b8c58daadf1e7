"""``GET /api/v1/service/index``: the 766 page's permissions, a cache and a per-user limit.

The endpoint used to be public and unthrottled while its page (``/mot-cua/chi-so-766/``) is
for the unit's one-stop officers and the office roles; one call reads the period's whole
ledger (3,5 s at 300 000 dossiers), so eight at once took 10–18 s.
"""

from __future__ import annotations

from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.web.accounts.models import ApiToken
from cchc.web.desk.services import receive

pytestmark = pytest.mark.django_db
URL = "/api/v1/service/index"


@pytest.fixture
def two_wards(desk: Any, catalogue: Any, clock: Any) -> Any:
    """One dossier received at each ward's desk on ``MONDAY`` (3 March 2025, 2025-Q1)."""
    for unit, officer in ((desk.unit_a, desk.officer_a), (desk.unit_b, desk.officer_b)):
        receive(unit, catalogue["HT-HN"], user=officer, applicant_name="Nguyễn Văn An")
    return desk


def _codes(response: Any) -> list[str]:
    return [u["unit_code"] for u in response.json()["units"]]


def test_the_public_and_roles_without_the_page_are_refused(two_wards: Any, cast: Any) -> None:
    assert two_wards.client("public").get(URL, {"period": "2025-Q1"}).status_code == 401
    # A unit's CCHC officer and an appraiser do not see the 766 page: 403 on both.
    for user in (cast.officer_a, cast.appraiser):
        client = two_wards.client("public")
        client.force_login(user)
        response = client.get(URL, {"period": "2025-Q1"})
        assert response.status_code == 403, user.username
        assert "không xem được" in response.json()["detail"]
        assert client.get("/mot-cua/chi-so-766/").status_code == 403


def test_a_one_stop_officer_reads_the_own_unit_only(two_wards: Any) -> None:
    officer = two_wards.client("officer_a")
    assert _codes(officer.get(URL, {"period": "2025-Q1"})) == ["BSO"]
    assert _codes(officer.get(URL, {"period": "2025-Q1", "unit": "BSO"})) == ["BSO"]
    other = officer.get(URL, {"period": "2025-Q1", "unit": "TQU"})
    assert other.status_code == 404 and "TQU" in other.json()["detail"]


def test_office_roles_read_any_unit_with_a_session_or_a_token(two_wards: Any) -> None:
    organiser = two_wards.client("organiser")
    assert sorted(_codes(organiser.get(URL, {"period": "2025-Q1"}))) == ["BSO", "TQU"]
    _, token = ApiToken.issue(two_wards.organiser, "bảng điều khiển")
    by_token = two_wards.client("public").get(
        URL, {"period": "2025-Q1", "unit": "TQU"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert by_token.status_code == 200 and _codes(by_token) == ["TQU"]


def test_answers_are_cached_per_unit_and_period(two_wards: Any, settings: Any) -> None:
    organiser = two_wards.client("organiser")
    first = organiser.get(URL, {"period": "2025-Q1", "unit": "BSO"})
    with CaptureQueriesContext(connection) as queries:
        again = organiser.get(URL, {"period": "2025-Q1", "unit": "BSO"})
    assert again.content == first.content
    assert not any("desk_dossier" in q["sql"] for q in queries.captured_queries)
    # Another unit or period is computed on its own.
    with CaptureQueriesContext(connection) as queries:
        organiser.get(URL, {"period": "2025-Q1", "unit": "TQU"})
    assert any("desk_dossier" in q["sql"] for q in queries.captured_queries)
    # Cache off: every call reads the ledger.
    settings.CCHC_SERVICE_INDEX_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        organiser.get(URL, {"period": "2025-Q2", "unit": "BSO"})
        organiser.get(URL, {"period": "2025-Q2", "unit": "BSO"})
    assert sum("desk_dossier" in q["sql"] for q in queries.captured_queries) >= 2


def test_each_user_is_limited_without_using_up_another_users_calls(
    two_wards: Any, settings: Any
) -> None:
    settings.CCHC_SERVICE_INDEX_PER_MINUTE = 3
    organiser = two_wards.client("organiser")
    statuses = [organiser.get(URL, {"period": "2025-Q1"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = organiser.get(URL, {"period": "2025-Q1"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "quá nhiều lần" in refused.json()["detail"]
    assert two_wards.client("officer_a").get(URL, {"period": "2025-Q1"}).status_code == 200


def test_the_period_defaults_to_the_current_quarter_like_the_page(two_wards: Any) -> None:
    response = two_wards.client("organiser").get(URL)
    assert response.status_code == 200
    assert response.json()["period"] == "2025-Q1"  # the desk's clock: MONDAY
