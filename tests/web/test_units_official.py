"""The demo with official unit ids, and the made-up codes of before still working as aliases:
old links redirect, old files import, old receipts are found, the 2026 wards compare with
their predecessors' 2022 results under official ids.

The session's database holds the demo under its made-up codes (tests/conftest.py); each
test here moves it, inside its own transaction (rolled back), by the rule the migration uses.
"""

from __future__ import annotations

from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from test_surveys_support import *  # noqa: F403

from cchc.demo import data_path
from cchc.web.campaigns import approval, services
from cchc.web.campaigns.frameworks import store_framework
from cchc.web.demo import DemoContext, load_units
from cchc.web.desk.models import Dossier
from cchc.web.desk.services import receive
from cchc.web.ops.models import AuditEntry
from cchc.web.units.lookup import agency_ids, find_unit
from cchc.web.units.models import Unit, UnitAlias

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(settings: Any) -> None:
    """The demo's units as ``cchc serve --demo`` stores them now: under official ids."""
    settings.CCHC_DEMO_UNIT_CODES = "official"
    load_units(DemoContext())


def test_the_demo_stores_official_ids_and_keeps_each_made_up_code_as_an_alias(official: None) -> None:
    assert not Unit.objects.filter(code__in=["HNH", "BSO", "GLA-BSO", "BDI"]).exists()
    assert find_unit("HNH") == find_unit("543") and find_unit("543").name == "Thị xã Hoài Nhơn"
    assert find_unit("BSO").code == "21640@2025-06-30"  # the ward that ended on 30/06/2025
    assert find_unit("GLA-BSO").code == "21640"  # the ward of 01/07/2025 that took its code
    assert find_unit("21640@2025-06-30").parent.code == "543"
    assert UnitAlias.objects.count() == 37
    moved = AuditEntry.objects.filter(action="unit.official_code", old="HNH", new="543")
    assert moved.count() == 1
    units = Unit.objects.count()
    load_units(DemoContext())  # a second start neither duplicates nor moves again
    assert Unit.objects.count() == units and moved.count() == 1


def test_an_old_link_redirects_to_the_official_id(official: None, client: Client) -> None:
    response = client.get("/ket-qua/district/2022/don-vi/HNH/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/ket-qua/district/2022/don-vi/543/?x=1"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Thị xã Hoài Nhơn" in page.content.decode()
    assert client.get("/ket-qua/district/2022/don-vi/KHONG-CO/").status_code == 404


def test_a_campaign_file_with_made_up_codes_still_imports(official: None) -> None:
    text = data_path("framework_commune_2022.yaml").read_text(encoding="utf-8")
    framework = store_framework(text.replace("year: 2022", "year: 2027", 1), "framework_commune_2027.yaml")
    campaign = services.create_campaign(framework, [find_unit("GLA-BSO")], user=None)
    services.import_scores(campaign, [{"unit_code": "GLA-BSO", "KQ": "61", "HL": "27"}], field="self_score")
    assert campaign.units.get().scores.get(node_code="KQ").self_score == 61


def _publish_wards_2026() -> None:
    text = data_path("framework_commune_2022.yaml").read_text(encoding="utf-8")
    framework = store_framework(text.replace("year: 2022", "year: 2026", 1), "framework_commune_2026.yaml")
    wards = list(Unit.objects.filter(level="commune", valid_from__isnull=False))
    assert len(wards) == 7
    campaign = services.create_campaign(framework, wards, user=None, illustrative=True)
    rows = [{"unit_code": w.code, "KQ": str(60 + i), "HL": "27"} for i, w in enumerate(wards)]
    services.import_scores(campaign, rows, field="self_score", source="minh-hoa-2026")
    services.import_scores(campaign, rows, field="appraised_score", source="minh-hoa-2026")
    campaign.units.update(submitted_at=campaign.created_at)
    approval.propose(campaign, user=None)
    approval.approve(campaign, user=None)
    services.publish(campaign, user=None)


def test_a_ward_of_2026_under_its_official_id_shows_its_predecessors_2022_results(
    official: None, client: Client, html: Any
) -> None:
    _publish_wards_2026()
    old_link = client.get("/ket-qua/commune/2026/don-vi/GLA-HNH/")
    assert old_link["Location"] == "/ket-qua/commune/2026/don-vi/21664/"
    doc = html(client.get(old_link["Location"]).content)
    assert doc.xpath("//h1")[0].text_content() == "Phường Hoài Nhơn"
    rows = doc.xpath("//table[contains(@class,'predecessors')]/tbody/tr/@data-unit")
    # Hoài Thanh, Hoài Thanh Tây (its code 21664 went to the new ward), Tam Quan Nam
    assert sorted(rows) == ["21658", "21664@2025-06-30", "21667"]


HEAD = "dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"


def test_a_ledger_with_old_codes_imports_and_new_receipts_carry_the_official_code(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    from cchc.web.units.official import Models, move_to_official

    move_to_official(Models.live())  # the desk's wards, as the migration leaves them
    desk.unit_a.refresh_from_db()
    assert desk.unit_a.code == "21640@2025-06-30" and agency_ids(desk.unit_a) == ["21640", "BSO"]
    content = (HEAD + "BSO-250303-0001,BSO,HT-KS,2025-03-03 08:00,2025-03-05 17:00,received,counter\n"
               "21640-250303-0002,21640@2025-06-30,HT-KS,2025-03-03 08:05,2025-03-05 17:00,received,counter\n")
    response = desk.client("officer_a").post(
        "/mot-cua/nhap-so/", {"file": SimpleUploadedFile("so.csv", content.encode(), "text/csv")}
    )
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert set(Dossier.objects.filter(unit=desk.unit_a).values_list("code", flat=True)) == {
        "BSO-250303-0001", "21640-250303-0002"
    }
    # Another unit's old code is still refused.
    other = (HEAD + "TQU-250303-0009,BSO,HT-KS,2025-03-03 08:00,2025-03-05 17:00,received,counter\n")
    refused = desk.client("officer_a").post(
        "/mot-cua/nhap-so/", {"file": SimpleUploadedFile("so2.csv", other.encode(), "text/csv")}
    )
    assert refused.status_code == 422
    new = receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="Lê Văn Bình")
    assert new.code == "21640-250303-0003"


def test_a_receipt_printed_under_the_old_code_is_still_found(
    desk: Any, catalogue: Any, clock: Any, html: Any
) -> None:
    from cchc.web.units.official import Models, move_to_official

    printed = receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="Phạm Thị Lan")
    assert printed.code.startswith("BSO-")
    move_to_official(Models.live())
    page = Client().get(reverse("desk:lookup"), {"ma": printed.code})
    assert page.status_code == 200
    text = html(page.content).text_content()
    assert printed.code in text and "Phường Bồng Sơn" in text


@pytest.mark.slow
def test_the_whole_demo_starts_with_official_ids(settings: Any) -> None:
    from cchc.web.demo import load_demo

    settings.CCHC_DEMO_UNIT_CODES = "official"
    ctx = load_demo()
    assert {a.username for a in ctx.accounts} >= {"canbo.hoainhon", "motcua.bongson"}
    officer = next(a for a in ctx.accounts if a.username == "canbo.hoainhon")
    assert officer.unit == "Thị xã Hoài Nhơn"
    assert not Unit.objects.filter(code__in=["HNH", "BSO", "GLA-BSO"]).exists()
    assert Dossier.objects.filter(unit__code="21640@2025-06-30").exists()  # the ward's ledger


def test_a_survey_draws_from_a_ledger_file_with_old_codes(cast: Any, new_survey: Any, tmp_path: Any) -> None:
    import datetime as dt

    from cchc.service.generator import generate_ledger
    from cchc.service.importer import write_ledger
    from cchc.web.surveys.models import Respondent
    from cchc.web.units.official import Models, move_to_official

    survey = new_survey(draw=False)
    move_to_official(Models.live())  # the campaign's wards now stored under their ids
    table = generate_ledger(400, 5, dt.date(2024, 1, 1), dt.date(2024, 12, 31))  # BSO, HDU, … codes
    path = tmp_path / "so-ho-so.parquet"
    write_ledger(table, path)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = cast.client("organiser").post(reverse("surveys:draw", args=[survey.pk]), {"ledger": upload})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert set(survey.plan) == {"21640@2025-06-30", "21685", "21670@2025-06-30"}  # BSO, HDU, HHU
    drawn = Respondent.objects.filter(survey=survey)
    assert drawn.exists() and {r.unit.code for r in drawn} <= set(survey.plan)


def test_the_whatif_reads_a_unit_by_its_old_code(official: None) -> None:
    """The shipped demo stores official ids; "HNH:HL=24" still names Hoài Nhơn (543)."""
    from cchc.web.demo import DemoContext, load_campaigns

    load_campaigns(DemoContext())
    client = Client()
    year = {"level": "district", "year": 2022}
    by_alias = client.get("/api/v1/par/whatif", {**year, "set": "HNH:HL=24"})
    by_id = client.get("/api/v1/par/whatif", {**year, "set": "543:HL=24"})
    assert by_alias.status_code == 200, by_alias.content
    assert by_alias.json()["units"] == by_id.json()["units"]
    assert by_alias.json()["changes"]["scores"][0]["unit_code"] == "543"
