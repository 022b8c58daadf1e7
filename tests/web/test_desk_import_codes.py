"""Dossier codes in an imported ledger: the importing unit's agency, the day of receipt, no future.

An outside attack found that one desk could import dossiers coded with another unit's
prefix (``TQU-…-9999`` imported by Bồng Sơn's officer): Tam Quan's desk could then issue no
code that day ("số thứ tự 10000 nằm ngoài khoảng"). Codes whose date differed from the
receipt date, and receipts in the future, were accepted too. The rule is the core's
(``cchc.service.code.validate_code`` with the agency, ``check_received``); the desk calls it
for the web page and the API, all rows or none, and allocates the lowest free number when the
day's last one is taken.
"""

from __future__ import annotations

from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc.web.accounts.models import ApiToken
from cchc.web.desk.models import Dossier
from cchc.web.desk.services import receive

pytestmark = pytest.mark.django_db

HEAD = "dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"


def _csv(*rows: str) -> bytes:
    return (HEAD + "".join(r + "\n" for r in rows)).encode("utf-8")


def _page(client: Client, content: bytes, html: Any) -> tuple[int, list[str]]:
    response = client.post("/mot-cua/nhap-so/", {"file": SimpleUploadedFile("so.csv", content, "text/csv")})
    items = [li.text for li in html(response.content).xpath("//div[@id='import-errors']//li")] if response.status_code == 422 else []
    return response.status_code, items


def test_a_desk_cannot_import_another_units_code_and_that_desk_still_receives(desk: Any, catalogue: Any, clock: Any, html: Any) -> None:
    # The attack: Bồng Sơn's officer stores Tam Quan's last number of the day.
    status, items = _page(
        desk.client("officer_a"),
        _csv("TQU-250303-9999,BSO,HT-KS,2025-03-03 08:00,2025-03-05 17:00,received,counter"),
        html,
    )
    assert status == 422
    assert items == [
        "so.csv, dòng 2, cột dossier_code: mã hồ sơ 'TQU-250303-9999' mang mã cơ quan 'TQU', "
        "không phải mã của cơ quan tiếp nhận 'BSO'"
    ]
    assert not Dossier.objects.exists()
    dossier = receive(desk.unit_b, catalogue["HT-KS"], user=desk.officer_b, applicant_name="Trần Thị Hoa")
    assert dossier.code == "TQU-250303-0001"


def test_an_organisers_import_must_code_each_row_with_its_own_unit(desk: Any, clock: Any) -> None:
    _, token = ApiToken.issue(desk.organiser, "nhập sổ")
    content = _csv(
        "BSO-250303-0001,BSO,HT-KS,2025-03-03 08:00,2025-03-05 17:00,received,counter",
        "BSO-250303-0002,TQU,HT-KS,2025-03-03 08:10,2025-03-05 17:00,received,counter",
    )
    response = Client().post(
        "/api/v1/dossiers/import",
        {"file": SimpleUploadedFile("so.csv", content, "text/csv")},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert [(p["row"], p["column"]) for p in response.json()["problems"]] == [(3, "dossier_code")]
    assert "cơ quan tiếp nhận 'TQU'" in response.json()["problems"][0]["reason"]
    assert not Dossier.objects.exists()  # all or nothing: the good first row is not kept


def test_the_codes_date_must_be_the_day_of_receipt_in_vietnam_time(desk: Any, clock: Any, html: Any) -> None:
    client = desk.client("officer_a")
    status, items = _page(
        client, _csv("BSO-250301-0001,BSO,HT-KS,2025-03-03 08:00,2025-03-05 17:00,received,counter"), html
    )
    assert status == 422
    assert items == [
        "so.csv, dòng 2, cột dossier_code: mã hồ sơ 'BSO-250301-0001' mang ngày 01/03/2025 "
        "nhưng hồ sơ được tiếp nhận ngày 03/03/2025"
    ]
    # 17:30 UTC on 2 March is 00:30 on 3 March in Vietnam: the code carries the 3rd.
    status, items = _page(
        client, _csv("BSO-250302-0001,BSO,HT-KS,2025-03-02T17:30:00Z,2025-03-05 17:00,received,counter"), html
    )
    assert status == 422 and "hồ sơ được tiếp nhận ngày 03/03/2025" in items[0]
    status, _ = _page(
        client, _csv("BSO-250303-0001,BSO,HT-KS,2025-03-02T17:30:00Z,2025-03-05 17:00,received,counter"), html
    )
    assert status == 302
    assert Dossier.objects.get().code == "BSO-250303-0001"


def test_a_receipt_in_the_future_is_refused(desk: Any, clock: Any, html: Any) -> None:
    # The desk's clock is Monday 03/03/2025 09:00; the next day's numbers are not the file's.
    status, items = _page(
        desk.client("officer_a"),
        _csv(
            "BSO-250303-0001,BSO,HT-KS,2025-03-03 08:59,2025-03-05 17:00,received,counter",
            "BSO-250304-9999,BSO,HT-KS,2025-03-04 08:00,2025-03-06 17:00,received,counter",
        ),
        html,
    )
    assert status == 422
    assert items == [
        "so.csv, dòng 3, cột received_at: thời điểm tiếp nhận 04/03/2025 08:00 ở tương lai "
        "(bây giờ là 03/03/2025 09:00)"
    ]
    assert not Dossier.objects.exists()


def test_an_imported_last_number_of_the_day_does_not_stop_the_desk(desk: Any, catalogue: Any, clock: Any, html: Any) -> None:
    status, _ = _page(
        desk.client("officer_a"),
        _csv(
            "BSO-250303-0001,BSO,HT-KS,2025-03-03 07:30,2025-03-05 17:00,received,counter",
            "BSO-250303-9999,BSO,HT-KS,2025-03-03 08:00,2025-03-05 17:00,received,counter",
        ),
        html,
    )
    assert status == 302
    codes = [
        receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name=f"Người {i}").code
        for i in range(2)
    ]
    # The day's highest number is taken: the desk takes the lowest free ones.
    assert codes == ["BSO-250303-0002", "BSO-250303-0003"]
