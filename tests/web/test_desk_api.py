"""The desk's API: the 766 index equals the CLI's JSON, look-up without personal data, token-only import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.test import Client
from typer.testing import CliRunner

from cchc.cli import app
from cchc.service.generator import generate_ledger
from cchc.service.importer import write_ledger
from cchc.web.accounts.models import ApiToken
from cchc.web.desk.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db
UNITS = ("BSO", "TQU", "HDU")


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    """An illustrative ledger of three wards for the first quarter of 2025 (generated)."""
    path = tmp_path / "so-ho-so.parquet"
    write_ledger(generate_ledger(600, 3, dt.date(2025, 1, 1), dt.date(2025, 3, 31), UNITS), path)
    return path


def _import(client: Client, path: Path, token: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    with path.open("rb") as fh:
        return client.post("/api/v1/dossiers/import", {"file": fh}, **headers)


def test_index_answers_the_same_json_as_the_cli_on_the_same_dossiers(desk: Any, ledger_file: Path) -> None:
    _, token = ApiToken.issue(desk.organiser, "nhập sổ")
    response = _import(Client(), ledger_file, token)
    assert response.status_code == 200, response.content
    assert response.json() == {"imported": 600}
    for period in ("2025-Q1", "2025-02", "2025"):
        cli = CliRunner().invoke(app, ["service", "index", str(ledger_file), "--period", period, "--format", "json"])
        assert cli.exit_code == 0, cli.output
        api = desk.client("organiser").get("/api/v1/service/index", {"period": period})
        assert api.status_code == 200
        assert api.content.decode("utf-8") == cli.stdout
    one = desk.client("organiser").get("/api/v1/service/index", {"period": "2025-Q1", "unit": "TQU"}).json()
    everyone = json.loads(CliRunner().invoke(app, ["service", "index", str(ledger_file), "--period", "2025-Q1"]).stdout)
    assert [u["unit_code"] for u in one["units"]] == ["TQU"]
    tqu = next(u for u in everyone["units"] if u["unit_code"] == "TQU")
    assert one["units"][0]["indicators"] == tqu["indicators"]


def test_index_refuses_a_malformed_period_with_a_vietnamese_reason(desk: Any) -> None:
    response = desk.client("organiser").get("/api/v1/service/index", {"period": "2025-Q5"})
    assert response.status_code == 400
    assert "không hợp lệ" in response.json()["detail"]


def test_import_needs_a_token(desk: Any, ledger_file: Path) -> None:
    assert _import(Client(), ledger_file, None).status_code == 401
    assert _import(Client(), ledger_file, "cchc_not-a-real-token").status_code == 401
    session = desk.client("officer_a")  # a signed-in session is not a token
    assert _import(session, ledger_file, None).status_code == 401
    assert not Dossier.objects.exists()


def test_an_officers_token_imports_only_their_units_dossiers(desk: Any, ledger_file: Path) -> None:
    _, token = ApiToken.issue(desk.officer_a, "máy một cửa")
    response = _import(Client(), ledger_file, token)
    assert response.status_code == 422
    body = response.json()
    assert body["total"] > 0
    first = body["problems"][0]
    assert first["file"] == "so-ho-so.parquet" and first["column"] == "unit_code" and first["row"] >= 1
    assert "Phường Bồng Sơn" in first["reason"]
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_import_is_all_or_nothing_with_row_level_errors(desk: Any, tmp_path: Path) -> None:
    path = tmp_path / "so.csv"
    path.write_text(
        "dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"
        "BSO-250303-0001,BSO,HT-KS,2025-03-03 09:00,2025-03-03 17:00,received,counter\n"
        "BSO-250303-0002,BSO,HT-KS,2025-03-03 09:10,2025-03-03 17:00,đang làm,counter\n"
        "BSO-250303-0003,XYZ,HT-KS,2025-03-03 09:20,,received,counter\n",
        encoding="utf-8",
    )
    _, token = ApiToken.issue(desk.organiser, "nhập")
    response = _import(Client(), path, token)
    assert response.status_code == 422
    rows = [(p["row"], p["column"]) for p in response.json()["problems"]]
    assert (3, "status") in rows
    assert not Dossier.objects.exists()
    path.write_text(path.read_text(encoding="utf-8").replace("đang làm", "received"), encoding="utf-8")
    rows = [(p["row"], p["column"]) for p in _import(Client(), path, token).json()["problems"]]
    assert rows == [(4, "unit_code")]
    assert not Dossier.objects.exists()


def test_lookup_shows_status_and_dates_but_no_personal_data(dossier_a: Any) -> None:
    response = Client().get(f"/api/v1/dossiers/{dossier_a.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier_a.code and body["status"] == "received"
    assert body["timeliness"] == "open_within"
    text = response.content.decode("utf-8")
    for secret in ("Nguyễn Văn Bình", "0912345678", "Khu phố 1"):
        assert secret not in text
    assert Client().get("/api/v1/dossiers/BSO-250303-0999").status_code == 404


def test_lookup_is_rate_limited_per_address(dossier_a: Any, settings: Any) -> None:
    settings.CCHC_LOOKUP_PER_MINUTE = 3
    client = Client()
    codes = [client.get(f"/api/v1/dossiers/{dossier_a.code}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "thử lại" in client.get(f"/api/v1/dossiers/{dossier_a.code}").json()["detail"]
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(f"/api/v1/dossiers/{dossier_a.code}").status_code == 200


def test_the_openapi_document_lists_the_desk_endpoints_and_guards_the_import() -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert {"get"} <= set(paths["/api/v1/service/index"])
    assert {"get"} <= set(paths["/api/v1/dossiers/{code}"])
    import_op = paths["/api/v1/dossiers/import"]["post"]
    assert import_op.get("security"), "the import must declare its bearer token"
    assert "security" not in paths["/api/v1/dossiers/{code}"]["get"]


def test_an_officer_imports_an_office_spreadsheet_for_their_own_unit(desk: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["dossier_code", "unit_code", "procedure_code", "received_at", "status", "channel"])
    sheet.append(["BSO-250303-0001", "BSO", "HT-HN", dt.datetime(2025, 3, 3, 9, 0), "received", "counter"])
    sheet.append(["BSO-250303-0002", "BSO", "HT-KS", dt.datetime(2025, 3, 3, 9, 5), "received", "online"])
    path = tmp_path / "so-thang-3.xlsx"
    book.save(path)
    _, token = ApiToken.issue(desk.officer_a, "máy một cửa")
    response = _import(Client(), path, token)
    assert response.status_code == 200, response.content
    stored = Dossier.objects.get(code="BSO-250303-0001")
    # No appointment in the file: the catalogue's limit through the calendar (issue 3, item 2).
    from cchc.web.desk.clock import to_local
    from cchc.web.desk.services import core_procedure

    expected = core_procedure(stored.procedure).due_at(dt.datetime(2025, 3, 3, 9, 0))  # type: ignore[arg-type]
    assert to_local(stored.due_at) == expected
    assert list(stored.events.values_list("event", "note")) == [("imported", "so-thang-3.xlsx")]
