"""The JSON API: the results contract with the CLI, the OpenAPI document, token auth."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from typer.testing import CliRunner

from cchc.cli import app

pytestmark = pytest.mark.django_db


def test_results_api_answers_exactly_what_cchc_par_rank_prints(client: Client):
    """Contract (issue 4): same JSON as `cchc par rank --format json` on the same data.

    The published demo campaign holds district_2022.csv compared with district_2021.csv,
    which is what `cchc par rank --demo` computes.
    """
    cli = CliRunner().invoke(app, ["par", "rank", "--demo", "--format", "json"])
    assert cli.exit_code == 0, cli.output
    response = client.get("/api/v1/par/results", {"level": "district", "year": 2022})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.content.decode("utf-8") == cli.stdout
    body = json.loads(response.content)
    assert body["units"][0]["unit_name"] == "Thị xã Hoài Nhơn"
    assert body["units"][0]["score"] == 88.41


def test_results_api_is_the_same_json_as_the_page_download(client: Client):
    api = client.get("/api/v1/par/results?level=district&year=2022").content
    assert client.get("/ket-qua/district/2022/tai-ve.json").content == api


def test_results_api_404s_for_an_unpublished_level_and_year(client: Client):
    response = client.get("/api/v1/par/results?level=commune&year=2021")
    assert response.status_code == 404
    assert "Chưa có kết quả" in response.json()["detail"]


def test_results_api_rejects_a_year_that_is_not_a_number(client: Client):
    assert client.get("/api/v1/par/results?level=district&year=hai").status_code == 422


def test_campaigns_lists_published_campaigns_only(client: Client, cast):
    from cchc.web.campaigns import services
    from cchc.web.campaigns.models import Framework
    from cchc.web.units.models import Unit

    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    services.create_campaign(fw, Unit.objects.filter(code="HNH"), user=cast.organiser, name="Nháp")
    listed = client.get("/api/v1/par/campaigns").json()
    assert {(c["level"], c["year"]) for c in listed} == {
        ("district", 2021),
        ("district", 2022),
        ("commune", 2022),
    }
    assert all(c["illustrative"] for c in listed)
    assert "Nháp" not in {c["name"] for c in listed}


def test_openapi_document_describes_the_results_endpoint(client: Client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/par/results" in doc["paths"]
    params = {p["name"] for p in doc["paths"]["/api/v1/par/results"]["get"]["parameters"]}
    assert params == {"level", "year", "version"}


def test_token_auth_accepts_an_issued_token_and_nothing_else(client: Client, cast):
    from cchc.web.accounts.models import ApiToken

    token, raw = ApiToken.issue(cast.onestop, "nhập sổ theo dõi")
    assert token.digest != raw and raw not in (token.prefix + token.digest)
    ok = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200
    assert ok.json() == {"username": "motcua", "role": "onestop_officer", "unit": "HNH"}
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer cchc_wrong").status_code == 401
    token.revoked = True
    token.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
