"""Who sees and changes which dossiers (fixed cast: officers of wards A and B, organiser, public)."""

from __future__ import annotations

from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403

from cchc.web.desk.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db


def test_officer_a_sees_and_changes_their_own_units_dossier(desk: Any, dossier_a: Dossier, html: Any) -> None:
    client = desk.client("officer_a")
    page = client.get(f"/mot-cua/ho-so/{dossier_a.code}/")
    assert page.status_code == 200
    assert html(page.content).get_element_by_id("dossier-code").text == dossier_a.code
    listing = html(client.get("/mot-cua/").content)
    assert [tr.get("data-code") for tr in listing.xpath("//table[@id='dossiers']/tbody/tr[@data-code]")] == [dossier_a.code]
    response = client.post(
        f"/mot-cua/ho-so/{dossier_a.code}/chuyen-xu-ly/", {"version": 1, "to": "Tư pháp - hộ tịch"}
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier_a.pk).status == "processing"


def test_officer_b_cannot_see_or_change_ward_as_dossier(desk: Any, dossier_a: Dossier, html: Any) -> None:
    client = desk.client("officer_b")
    assert client.get(f"/mot-cua/ho-so/{dossier_a.code}/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{dossier_a.code}/mau-1/").status_code == 404
    for action in ("chuyen-xu-ly", "tu-choi", "tra-ket-qua", "xin-loi"):
        response = client.post(
            f"/mot-cua/ho-so/{dossier_a.code}/{action}/",
            {"version": 1, "to": "X", "note": "thử", "new_due": "2025-03-20"},
        )
        assert response.status_code == 404, action
    fresh = Dossier.objects.get(pk=dossier_a.pk)
    assert (fresh.status, fresh.version, fresh.due_at) == ("received", 1, dossier_a.due_at)
    assert DossierEvent.objects.filter(dossier=dossier_a).count() == 1
    listing = html(client.get("/mot-cua/?loc=all").content)
    assert listing.xpath("//table[@id='dossiers']/tbody/tr[@data-code]") == []


def test_the_organiser_reads_the_dashboard_but_not_dossiers(desk: Any, dossier_a: Dossier) -> None:
    client = desk.client("organiser")
    assert client.get("/mot-cua/").status_code == 403
    assert client.get("/mot-cua/tiep-nhan/").status_code == 403
    assert client.get(f"/mot-cua/ho-so/{dossier_a.code}/").status_code == 403
    assert client.post(f"/mot-cua/ho-so/{dossier_a.code}/tu-choi/", {"version": 1}).status_code == 403
    assert client.get("/mot-cua/chi-so-766/?ky=2025-Q1&don-vi=BSO").status_code == 200


def test_the_public_is_sent_to_log_in_and_sees_only_the_lookup(desk: Any, dossier_a: Dossier, html: Any) -> None:
    client = desk.client("public")
    for url in ("/mot-cua/", f"/mot-cua/ho-so/{dossier_a.code}/", "/mot-cua/chi-so-766/", "/mot-cua/nhap-so/"):
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"], url
    page = client.get("/tra-cuu/", {"ma": dossier_a.code})
    assert page.status_code == 200
    tree = html(page.content)
    assert tree.get_element_by_id("r-code").text == dossier_a.code
    text = page.content.decode("utf-8")
    for secret in (dossier_a.applicant_name, dossier_a.applicant_phone, dossier_a.applicant_address):
        assert secret not in text


def test_officer_b_dashboard_shows_only_their_own_unit(desk: Any, html: Any) -> None:
    tree = html(desk.client("officer_b").get("/mot-cua/chi-so-766/?ky=2025-Q1&don-vi=BSO").content)
    options = [o.get("value") for o in tree.xpath("//select[@name='don-vi']/option")]
    assert options == ["TQU"]


def test_the_back_office_edits_the_catalogue_but_only_reads_dossiers(dossier_a: Dossier, password_hash: str) -> None:
    from django.test import Client

    from cchc.web.accounts.models import User

    admin = User.objects.create(username="quantri", role="administrator", is_staff=True, is_superuser=True, password=password_hash)
    client = Client()
    client.force_login(admin)
    assert client.get("/quan-tri/desk/procedure/").status_code == 200
    assert client.get("/quan-tri/desk/procedure/add/").status_code == 200
    assert client.get(f"/quan-tri/desk/dossier/{dossier_a.pk}/change/").status_code == 200  # view only
    response = client.post(f"/quan-tri/desk/dossier/{dossier_a.pk}/change/", {"status": "returned"})
    assert response.status_code == 403
    assert Dossier.objects.get(pk=dossier_a.pk).status == "received"


def test_the_import_page_follows_the_apis_rule_organiser_for_any_unit(desk: Any, html: Any) -> None:
    """``access.import_scope``: the page and ``POST /api/v1/dossiers/import`` ask the same."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = (
        b"dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"
        b"BSO-250303-0001,BSO,HT-KS,2025-03-03 09:00,2025-03-03 17:00,received,counter\n"
        b"TQU-250303-0001,TQU,HT-KS,2025-03-03 09:10,2025-03-03 17:00,received,counter\n"
    )
    client = desk.client("organiser")
    page = html(client.get("/mot-cua/nhap-so/").content)
    assert page.xpath("//h1")[0].text_content() == "Nhập sổ hồ sơ — mọi đơn vị"
    response = client.post("/mot-cua/nhap-so/", {"file": SimpleUploadedFile("so.csv", csv, "text/csv")})
    assert response.status_code == 302 and response["Location"] == "/mot-cua/chi-so-766/"
    assert sorted(Dossier.objects.values_list("unit__code", flat=True)) == ["BSO", "TQU"]
