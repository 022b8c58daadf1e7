"""Bad dates and periods from outside answer 400 or a form error in Vietnamese, never 500.

Each case was a server error found by an outside attack on a running installation: a period
of year 9999 on the 766 page and API, a register range in year 9999, dossiers imported with
dates in year 1 or 9999 (the importer took any year the parser read, the calendar computes
1900-2300 only), a campaign name longer than its column (PostgreSQL refuses it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc.calendar import MAX_YEAR, MIN_YEAR
from cchc.web.accounts.models import ApiToken
from cchc.web.campaigns.models import Campaign, Framework
from cchc.web.desk.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("period", ["9999", "9999-Q4", "1899", "2301-01"])
def test_a_period_outside_the_calendar_is_a_400_on_the_api(desk: Any, period: str) -> None:
    response = desk.client("organiser").get("/api/v1/service/index", {"period": period})
    assert response.status_code == 400
    assert f"ngoài phạm vi {MIN_YEAR}–{MAX_YEAR}" in response.json()["detail"]


@pytest.mark.parametrize("period", ["9999", "2301-Q1"])
def test_a_period_outside_the_calendar_is_a_400_on_the_page(desk: Any, period: str, html: Any) -> None:
    response = desk.client("officer_a").get("/mot-cua/chi-so-766/", {"ky": period})
    assert response.status_code == 400
    assert "ngoài phạm vi" in response.content.decode("utf-8")


def test_the_calendars_last_year_is_still_a_period_that_computes(desk: Any) -> None:
    assert desk.client("organiser").get("/api/v1/service/index", {"period": str(MAX_YEAR)}).status_code == 200
    assert desk.client("officer_a").get("/mot-cua/chi-so-766/", {"ky": f"{MAX_YEAR}-Q4"}).status_code == 200


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
@pytest.mark.parametrize(
    ("start", "end"),
    [("9999-01-01", "9999-12-31"), ("31/12/9999", "31/12/9999"), ("0001-01-01", "0001-01-02")],
)
def test_a_register_range_outside_the_calendar_is_a_400(desk: Any, suffix: str, start: str, end: str) -> None:
    response = desk.client("officer_a").get(f"/mot-cua/so-theo-doi{suffix}" + ("/" if not suffix else ""), {"tu": start, "den": end})
    assert response.status_code == 400
    assert "ngoài phạm vi lịch làm việc (1900–2300)" in response.content.decode("utf-8")


LEDGER_HEAD = "dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,status,channel\n"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("BSO-250303-0001,BSO,HT-KS,0001-01-01 09:00,2025-03-05 17:00,,received,counter", "received_at"),
        ("BSO-250303-0001,BSO,HT-KS,2025-03-03 09:00,9999-12-31 17:00,,received,counter", "due_at"),
        ("BSO-250303-0001,BSO,HT-KS,2025-03-03 09:00,2025-03-05 17:00,31/12/9999 10:00,returned,counter", "finished_at"),
    ],
)
def test_the_desk_import_refuses_dates_outside_the_calendar(desk: Any, html: Any, row: str, column: str) -> None:
    csv = (LEDGER_HEAD + row + "\n").encode("utf-8")
    response = desk.client("officer_a").post("/mot-cua/nhap-so/", {"file": SimpleUploadedFile("so.csv", csv, "text/csv")})
    assert response.status_code == 422
    items = [li.text for li in html(response.content).xpath("//div[@id='import-errors']//li")]
    assert any(item.startswith(f"so.csv, dòng 2, cột {column}:") for item in items), items
    assert not Dossier.objects.exists()


def test_the_api_import_refuses_a_parquet_ledger_dated_year_9999(desk: Any, tmp_path: Path) -> None:
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "so.parquet"
    pq.write_table(
        pa.table({
            "dossier_code": ["BSO-250303-0001"], "unit_code": ["BSO"], "procedure_code": ["HT-KS"],
            "received_at": pa.array([dt.datetime(2025, 3, 3, 9)], pa.timestamp("us")),
            "due_at": pa.array([dt.datetime(9999, 12, 31, 17)], pa.timestamp("us")),
            "status": ["received"], "channel": ["counter"],
        }),
        path,
    )
    _, token = ApiToken.issue(desk.organiser, "nhập")
    with path.open("rb") as fh:
        response = Client().post("/api/v1/dossiers/import", {"file": fh}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    assert [(p["row"], p["column"]) for p in response.json()["problems"]] == [(1, "due_at")]
    assert not Dossier.objects.exists()


def test_a_campaign_name_longer_than_its_column_is_a_form_error(cast: Any, html: Any) -> None:
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    response = cast.client("organiser").post(
        "/dot-danh-gia/tao-moi/", {"framework": fw.pk, "units": ["HNH"], "name": "Đợt " + "x" * 400}
    )
    assert response.status_code == 400
    error = html(response.content).cssselect("#form-error")[0].text_content()
    assert "tối đa 300 ký tự" in error and "404" in error
    assert not Campaign.objects.filter(name__startswith="Đợt xxx").exists()


def test_campaign_dates_are_read_as_an_office_writes_them(cast: Any, html: Any) -> None:
    """The one parser of typed dates (cchc.fmt.parse_date): day first, slashes or dots; a
    date that does not exist is a form error naming the field."""
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    organiser = cast.client("organiser")
    form = {"framework": fw.pk, "units": ["HNH"], "name": "Đợt thử ngày"}
    wrong = organiser.post("/dot-danh-gia/tao-moi/", {**form, "self_assessment_start": "31/02/2026"})
    assert wrong.status_code == 400
    error = html(wrong.content).cssselect("#form-error")[0].text_content()
    assert "Tự đánh giá từ" in error and "ngày có thật" in error
    organiser.post("/dot-danh-gia/tao-moi/", {**form, "self_assessment_start": "1.3.2026"})
    created = Campaign.objects.get(name="Đợt thử ngày")
    assert created.self_assessment_start == dt.date(2026, 3, 1)
