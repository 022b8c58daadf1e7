"""The desk's 766 board out of 100, the portal's files, reconciliation and what-if on the web."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cchc.web.desk.models import PortalImport

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "service" / "fixtures" / "portal766" / "2026-Q3"
LEDGER = (
    b"dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,status,channel,digitised\n"
    b"BSO-260801-0001,BSO,HT-KS,2026-08-01 09:00,2026-08-05 17:00,2026-08-04 10:00,returned,counter,true\n"
    b"BSO-260802-0002,BSO,HT-KS,2026-08-02 09:00,2026-08-05 17:00,2026-08-20 10:00,returned,counter,false\n"
    b"BSO-260930-0003,BSO,HT-KS,2026-09-30 09:00,2026-10-05 17:00,,received,online,false\n"
)


def portal_files() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(p.name, p.read_bytes(), "application/json") for p in sorted(FIXTURES.glob("*.json"))
    ]


def load_ledger(desk: Any) -> None:
    response = desk.client("officer_a").post(
        "/mot-cua/nhap-so/", {"file": SimpleUploadedFile("so.csv", LEDGER, "text/csv")}
    )
    assert response.status_code == 302


def import_portal(desk: Any, mapping: str = "BSO=H44.100") -> Any:
    return desk.client("organiser").post(
        "/mot-cua/chi-so-766/tep-cong/", {"ky": "2026-Q3", "ma-don-vi": mapping, "files": portal_files()}
    )


def test_the_organiser_imports_the_portals_files_and_the_import_is_stored(desk: Any, html: Any) -> None:
    response = import_portal(desk)
    assert response.status_code == 302
    imp = PortalImport.objects.get()
    assert imp.period == "2026-Q3" and imp.imported_by == desk.organiser
    assert imp.units["BSO"] == "H44.100"
    assert "dvc-progress-tree" in imp.endpoints and "transparency.json" in imp.files
    page = html(desk.client("organiser").get("/mot-cua/chi-so-766/tep-cong/", {"ky": "2026-Q3"}).content)
    assert page.xpath("//table[@id='imports']/tbody/tr/td")[0].text == "2026-Q3"
    # Every published point of the real responses is reproduced; group 3 is not recomputed.
    assert page.get_element_by_id("no-differences") is not None
    summary = page.xpath("//section[@id='findings']/p")[0].text_content()
    assert "khớp: 116" in summary and "không tính lại: 7" in summary
    listed = json.loads(desk.client("organiser").get("/api/v1/service/portal-files").content)
    assert listed["imports"][0]["results"]["khớp"] == 116 and listed["imports"][0]["differences"] == []


def test_a_bad_portal_file_is_refused_whole_with_its_name(desk: Any, html: Any) -> None:
    files = [*portal_files(), SimpleUploadedFile("tai-ve.json", b'{"data": {"items": []}}', "application/json")]
    response = desk.client("organiser").post("/mot-cua/chi-so-766/tep-cong/", {"ky": "2026-Q3", "files": files})
    assert response.status_code == 422
    errors = [li.text for li in html(response.content).xpath("//div[@id='import-errors']//li")]
    assert errors == ["tai-ve.json: không có overview/evaluation hay parent/children của trang đánh giá 766"]
    assert not PortalImport.objects.exists()
    bad_period = desk.client("organiser").post("/mot-cua/chi-so-766/tep-cong/", {"ky": "quý 3", "files": portal_files()})
    assert bad_period.status_code == 422 and not PortalImport.objects.exists()


def test_only_the_organiser_and_administrator_import(desk: Any) -> None:
    assert desk.client("officer_a").get("/mot-cua/chi-so-766/tep-cong/").status_code == 403
    assert desk.client("officer_a").post("/mot-cua/chi-so-766/tep-cong/", {"ky": "2026-Q3", "files": portal_files()}).status_code == 403
    assert not PortalImport.objects.exists()


def test_the_dashboard_shows_six_groups_out_of_100_with_the_import_and_whatif(desk: Any, html: Any) -> None:
    load_ledger(desk)
    import_portal(desk)
    tree = html(desk.client("officer_a").get("/mot-cua/chi-so-766/", {"ky": "2026-Q3", "don-vi": "BSO"}).content)
    groups = tree.xpath("//table[@id='board']/tbody")
    assert [g.get("data-group") for g in groups] == ["1", "2", "3", "4", "5", "6"]
    assert tree.get_element_by_id("board-total").text.endswith("/100 điểm")
    assert "Tệp của Cổng DVCQG nhập lúc" in tree.get_element_by_id("portal-source").text
    row = tree.xpath("//table[@id='board']//tr[@data-indicator='2.1']")[0]
    cells = [td.text_content().strip() for td in row.xpath("td")]
    assert cells[2:4] == ["2", "3"] and cells[6] == "sổ hồ sơ"  # the ledger's counts first
    sync = tree.xpath("//table[@id='board']//tr[@data-indicator='1.4']")[0]
    assert [td.text_content().strip() for td in sync.xpath("td")][6] == "Cổng DVCQG"
    assert "không tính lại" in groups[2].text_content()
    assert tree.get_element_by_id("whatif-plan").text.startswith("Ít hồ sơ nhất")


def test_the_board_xlsx_and_its_json_twin(desk: Any) -> None:
    load_ledger(desk)
    import_portal(desk)
    client = desk.client("officer_a")
    xlsx = client.get("/mot-cua/chi-so-766.xlsx", {"ky": "2026-Q3", "don-vi": "BSO"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "2.1")
    assert row[3:5] == (2, 3) and row[6] == 13.33
    doc = json.loads(client.get("/api/v1/service/board", {"period": "2026-Q3", "unit": "BSO", "gain": "1"}).content)
    assert [g["group"] for g in doc["groups"]] == [1, 2, 3, 4, 5, 6]
    assert doc["total_max"] == 100 and doc["portal_unit"] == "H44.100"
    assert doc["whatif"]["gain"] == 1


def test_an_officer_sees_only_their_own_unit_on_every_page_and_twin(desk: Any) -> None:
    load_ledger(desk)
    other = desk.client("officer_b")
    # Another unit is hidden (404), as the index's API answers.
    assert other.get("/mot-cua/doi-soat/", {"ky": "2026-Q3", "don-vi": "BSO"}).status_code == 404
    assert other.get("/mot-cua/doi-soat.xlsx", {"ky": "2026-Q3", "don-vi": "BSO"}).status_code == 404
    assert other.get("/mot-cua/chi-so-766.xlsx", {"ky": "2026-Q3", "don-vi": "BSO"}).status_code == 404
    assert other.get("/api/v1/service/board", {"period": "2026-Q3", "unit": "BSO"}).status_code == 404
    assert other.get("/api/v1/service/reconcile", {"period": "2026-Q3", "unit": "BSO"}).status_code == 404
    assert other.get("/mot-cua/doi-soat/", {"ky": "quý 3"}).status_code == 400
    public = desk.client("public")
    assert public.get("/mot-cua/doi-soat/").status_code == 302
    assert public.get("/api/v1/service/board").status_code == 401


def test_reconciliation_page_xlsx_and_json_agree(desk: Any, html: Any) -> None:
    load_ledger(desk)
    import_portal(desk)
    client = desk.client("officer_a")
    page = client.get("/mot-cua/doi-soat/", {"ky": "2026-Q3", "don-vi": "BSO"})
    assert page.status_code == 200
    row = html(page.content).xpath("//table[@id='reconcile']//tr[@data-indicator='2.1']")[0]
    assert row.get("data-status") == "Cổng có, sổ của đơn vị không có (chưa nhập)"
    doc = json.loads(client.get("/api/v1/service/reconcile", {"period": "2026-Q3", "unit": "BSO"}).content)
    line = next(x for x in doc["lines"] if x["indicator"] == "2.1")
    assert line["ours"] == {"numerator": 2, "denominator": 3}
    assert line["portal"] == {"numerator": 5830, "denominator": 6684}
    xlsx = client.get("/mot-cua/doi-soat.xlsx", {"ky": "2026-Q3", "don-vi": "BSO"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "BSO" and r[3] == "2.1")
    assert cells[4:10] == (2, 5830, -5828, 3, 6684, -6681)


def test_a_bad_gain_is_a_message_not_an_error(desk: Any, html: Any) -> None:
    load_ledger(desk)
    page = desk.client("officer_a").get("/mot-cua/chi-so-766/", {"ky": "2026-Q3", "don-vi": "BSO", "them": "nhiều"})
    assert page.status_code == 200
    assert "phải là một số" in html(page.content).xpath("//section[@id='whatif']//p[@class='error']")[0].text
    api = desk.client("officer_a").get("/api/v1/service/board", {"period": "2026-Q3", "unit": "BSO", "gain": "-1"})
    assert api.status_code == 400


def test_the_import_api_is_all_or_nothing(desk: Any) -> None:
    client = desk.client("organiser")
    listed = client.get("/api/v1/service/portal-files")
    assert listed.status_code == 200 and json.loads(listed.content) == {"imports": []}
    assert desk.client("officer_a").get("/api/v1/service/portal-files").status_code == 403


def test_one_units_reconciliation_shows_only_that_unit(desk: Any) -> None:
    load_ledger(desk)
    import_portal(desk)
    doc = json.loads(desk.client("officer_a").get("/api/v1/service/reconcile", {"period": "2026-Q3", "unit": "BSO"}).content)
    assert {line["unit_code"] for line in doc["lines"]} == {"BSO"}
    assert {line["portal_unit"] for line in doc["lines"]} == {"H44.100"}


def test_the_organiser_reads_the_board_of_a_unit_known_only_from_the_portal(desk: Any, html: Any) -> None:
    import_portal(desk)  # BSO has no dossier here
    tree = html(desk.client("organiser").get("/mot-cua/chi-so-766/", {"ky": "2026-Q3", "don-vi": "BSO"}).content)
    assert [o.get("value") for o in tree.xpath("//select[@name='don-vi']/option")] == ["BSO"]
    # 7.96 + 17.44 + 6.52 (published, group 3) + 6.68 + 8.86 + 5.81, all from the portal's file
    assert tree.get_element_by_id("board-total").text == "53,27/100 điểm"


def test_the_import_api_takes_a_token_and_refuses_a_bad_file_whole(desk: Any) -> None:
    from django.test import Client

    from cchc.web.accounts.models import ApiToken

    token = ApiToken.issue(desk.organiser, "nhập tệp 766")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    bad = [*portal_files(), SimpleUploadedFile("hong.json", b"{", "application/json")]
    refused = client.post("/api/v1/service/portal-files?period=2026-Q3", {"files": bad})
    assert refused.status_code == 422
    body = json.loads(refused.content)
    assert body["total"] == 1 and body["problems"][0]["file"] == "hong.json"
    assert not PortalImport.objects.exists()
    done = client.post("/api/v1/service/portal-files?period=2026-Q3", {"files": portal_files()})
    assert done.status_code == 200, done.content
    assert json.loads(done.content)["period"] == "2026-Q3"
    assert PortalImport.objects.count() == 1
    officer = ApiToken.issue(desk.officer_a, "x")[1]
    assert Client(HTTP_AUTHORIZATION=f"Bearer {officer}").post(
        "/api/v1/service/portal-files?period=2026-Q3", {"files": portal_files()}
    ).status_code == 403


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(desk: Any, settings: Any, html: Any) -> None:
    settings.CCHC_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("lon.json", b" " * (1024 * 1024 + 1), "application/json")
    response = desk.client("organiser").post("/mot-cua/chi-so-766/tep-cong/", {"ky": "2026-Q3", "files": [*portal_files(), big]})
    assert response.status_code == 422
    errors = [li.text for li in html(response.content).xpath("//div[@id='import-errors']//li")]
    assert len(errors) == 1 and errors[0].startswith("lon.json: ") and "vượt giới hạn 1 MB" in errors[0]
    assert not PortalImport.objects.exists()


def test_portal_files_go_through_the_one_upload_receiver(desk: Any, html: Any) -> None:
    """A renamed binary is refused by its content, like every other upload; nothing is stored."""
    fake = SimpleUploadedFile("phan-hoi.json", b"PK\x03\x04" + b"\0" * 64, "application/json")
    response = desk.client("organiser").post("/mot-cua/chi-so-766/tep-cong/", {"ky": "2026-Q3", "files": [*portal_files(), fake]})
    assert response.status_code == 422
    errors = [li.text for li in html(response.content).xpath("//div[@id='import-errors']//li")]
    assert len(errors) == 1 and errors[0].startswith("phan-hoi.json: ")
    assert not PortalImport.objects.exists()
