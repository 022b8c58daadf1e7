"""The ledger integrity page: a unit's leader sees the exact findings with their dossier codes,
and the statistical signals labelled as such; an officer sees only the own unit."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from desk.desk_fixtures import *  # noqa: F403

from cchc.web.desk.models import Dossier

pytestmark = pytest.mark.django_db
URL = "/mot-cua/kiem-tra-so/"


def _impossible(dossier: Dossier) -> Dossier:
    """Finished before it was received: an impossible time the page must name."""
    Dossier.objects.filter(pk=dossier.pk).update(
        status="finished", finished_at=dossier.received_at - dt.timedelta(hours=2)
    )
    return dossier


def test_the_leader_sees_the_finding_and_the_dossier_code(desk: Any, dossier_a: Dossier, cast: Any, html: Any) -> None:
    _impossible(dossier_a)
    client = desk.client("organiser")
    doc = html(client.get(URL, {"ky": "2025-Q1", "don-vi": "BSO"}).content)
    row = doc.xpath("//table[@id='rules']//tr[@data-rule='impossible_times']/td")
    assert row[1].text_content() == "1" and dossier_a.code in row[2].text_content()
    assert doc.xpath("//h2")[1].text_content() == "Tín hiệu thống kê (không phải kết luận)"


def test_an_officer_of_another_unit_sees_only_the_own_unit(desk: Any, dossier_a: Dossier, html: Any) -> None:
    _impossible(dossier_a)
    doc = html(desk.client("officer_b").get(URL, {"ky": "2025-Q1", "don-vi": "BSO"}).content)
    assert dossier_a.code not in doc.text_content()
    assert [o.get("value") for o in doc.xpath("//select[@name='don-vi']/option")] == ["TQU"]


def test_the_findings_download_as_excel(desk: Any, dossier_a: Dossier) -> None:
    _impossible(dossier_a)
    response = desk.client("officer_a").get(URL, {"ky": "2025-Q1", "tai": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["Hồ sơ cần kiểm tra"]["B2"].value == dossier_a.code


def test_a_bad_period_is_a_form_error_not_a_server_error(desk: Any) -> None:
    response = desk.client("officer_a").get(URL, {"ky": "9999-Q9"})
    assert response.status_code == 400 and "Kỳ" in response.content.decode()


def test_roles_without_the_dashboard_cannot_read_it(cast: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(cast.officer_a)  # a unit's CCHC officer, not the one-stop desk
    assert client.get(URL).status_code == 403


def test_the_api_twin_gives_the_cli_contract_with_the_pages_rule(desk: Any, dossier_a: Dossier) -> None:
    """GET /api/v1/service/integrity: the JSON of ``cchc service integrity``, for the units
    the page shows the caller (an officer of another unit is refused the unit)."""
    _impossible(dossier_a)
    url = "/api/v1/service/integrity"
    doc = desk.client("organiser").get(url, {"period": "2025-Q1", "unit": "BSO"}).json()
    assert doc["period"] == "2025-Q1" and doc["totals"]["impossible_times"] == 1
    [unit] = doc["units"]
    assert unit["checks"]["impossible_times"] == 1
    assert unit["dossiers"]["impossible_times"] == [dossier_a.code]
    other = desk.client("officer_b").get(url, {"period": "2025-Q1", "unit": "BSO"})
    assert other.status_code in (403, 404) and dossier_a.code not in other.content.decode()
