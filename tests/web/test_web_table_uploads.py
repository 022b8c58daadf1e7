"""Every upload goes through one receiver, and a spreadsheet bomb is a 422, not a dead server.

The pages and the API are driven in this process: before the limits, the dimension bomb
aborted the interpreter, so these tests would not even report a failure, they would end.
"""

from __future__ import annotations

import io
import tempfile
from typing import Any

import pyarrow.parquet as pq
import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from test_surveys_support import *  # noqa: F403
from test_workflow_pages import campaign, url  # noqa: F401 - the campaign fixture

import hostile_tables as hostile
from cchc.tables import TableLimits, read_arrow
from cchc.web.accounts.models import ApiToken
from cchc.web.config import ConfigError, Settings
from cchc.web.desk.models import Dossier

pytestmark = pytest.mark.django_db

BOMB_MESSAGE = "bom.xlsx: bảng tính khai báo vùng dữ liệu A1:XFD1048576"
LEDGER = (
    b"dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"
    b"BSO-250303-0001,BSO,HT-KS,2025-03-03 09:00,2025-03-03 17:00,received,counter\n"
    b"BSO-250303-0002,BSO,HT-KS,2025-03-03 09:10,2025-03-03 17:00,received,counter\n"
)


def bomb() -> SimpleUploadedFile:
    return SimpleUploadedFile("bom.xlsx", hostile.dimension_bomb())


def desk_import(desk: Any, upload: SimpleUploadedFile) -> Any:
    return desk.client("officer_a").post("/mot-cua/nhap-so/", {"file": upload})


def page_errors(html: Any, response: Any) -> list[str]:
    return [li.text_content() for li in html(response.content).xpath("//div[@id='import-errors']//li")]


def test_desk_import_page_answers_422_to_a_dimension_bomb(desk: Any, html: Any) -> None:
    response = desk_import(desk, bomb())
    assert response.status_code == 422
    [error] = page_errors(html, response)
    assert error.startswith(BOMB_MESSAGE) and "vượt giới hạn 5.000.000 ô" in error
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("so.csv", b"%PDF-1.7 not a table"), "nội dung không đúng định dạng .csv"),
        (SimpleUploadedFile("so.xlsx", LEDGER), "nội dung không đúng định dạng .xlsx"),
        (SimpleUploadedFile("so.exe", LEDGER), "loại tệp không được chấp nhận"),
        (SimpleUploadedFile("so.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "loại tệp không được chấp nhận"),
    ],
)
def test_desk_import_checks_extension_and_content(desk: Any, html: Any, upload: Any, expected: str) -> None:
    response = desk_import(desk, upload)
    assert response.status_code == 422
    assert expected in page_errors(html, response)[0]


def test_desk_import_has_a_size_and_a_row_limit(desk: Any, html: Any, settings: Any, tmp_path: Any) -> None:
    settings.CCHC_UPLOAD_MAX_BYTES = 100
    response = desk_import(desk, SimpleUploadedFile("so.csv", LEDGER))
    assert response.status_code == 422 and "vượt giới hạn" in page_errors(html, response)[0]
    settings.CCHC_UPLOAD_MAX_BYTES = 1024 * 1024
    settings.CCHC_TABLE_LIMITS = Settings.from_env(
        {"CCHC_DATA_DIR": str(tmp_path), "CCHC_TABLE_MAX_ROWS": "2"}
    ).table_limits
    response = desk_import(desk, SimpleUploadedFile("so.csv", LEDGER))
    assert response.status_code == 422
    assert page_errors(html, response) == ["so.csv: tệp có 3 dòng, vượt giới hạn 2 dòng"]
    parquet = io.BytesIO()
    third = b"BSO-250303-0003,BSO,HT-KS,2025-03-03 09:20,2025-03-03 17:00,received,counter\n"
    pq.write_table(read_arrow(LEDGER + third, "so.csv")[0], parquet)  # 3 records
    response = desk_import(desk, SimpleUploadedFile("so.parquet", parquet.getvalue()))
    assert response.status_code == 422
    assert page_errors(html, response) == ["so.parquet: tệp có 3 dòng, vượt giới hạn 2 dòng"]
    assert not Dossier.objects.exists()


def test_table_limits_are_settings(tmp_path: Any) -> None:
    env = {"CCHC_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(env).table_limits == TableLimits(max_file_rows=1_048_576)
    limits = Settings.from_env(
        {**env, "CCHC_TABLE_MAX_COLUMNS": "50", "CCHC_TABLE_MAX_CELLS": "1000",
         "CCHC_TABLE_MAX_UNCOMPRESSED_MB": "8"}
    ).table_limits
    assert (limits.max_columns, limits.max_cells, limits.max_uncompressed_bytes) == (50, 1000, 8 << 20)
    for name in ("CCHC_TABLE_MAX_ROWS", "CCHC_TABLE_MAX_CELLS"):
        with pytest.raises(ConfigError, match=name):
            Settings.from_env({**env, name: "nhiều"})
        with pytest.raises(ConfigError, match=name):
            Settings.from_env({**env, name: "0"})


def test_uploads_are_read_from_their_stream_without_temporary_files(
    desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an upload was copied to a temporary file")

    for name in ("TemporaryDirectory", "mkstemp", "mkdtemp", "NamedTemporaryFile"):
        monkeypatch.setattr(tempfile, name, refuse)
    response = desk_import(desk, SimpleUploadedFile("so.csv", LEDGER))
    assert response.status_code == 302 and Dossier.objects.count() == 2


def test_api_import_answers_422_with_the_message(desk: Any) -> None:
    _, token = ApiToken.issue(desk.organiser, "nhập")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = Client().post("/api/v1/dossiers/import", {"file": bomb()}, **headers)
    assert response.status_code == 422
    body = response.json()
    assert body["problems"][0]["file"] == "bom.xlsx"
    assert "A1:XFD1048576" in body["problems"][0]["reason"]
    renamed = SimpleUploadedFile("so.parquet", LEDGER)
    response = Client().post("/api/v1/dossiers/import", {"file": renamed}, **headers)
    assert response.status_code == 422
    assert "nội dung không đúng định dạng .parquet" in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_survey_answer_import_answers_422_to_a_bomb(cast: Any, new_survey: Any, html: Any) -> None:
    survey = new_survey()
    response = cast.client("organiser").post(
        reverse("surveys:import", args=[survey.pk]), {"kind": "long", "file": bomb()}
    )
    assert response.status_code == 422
    assert BOMB_MESSAGE in response.content.decode()


def test_survey_draw_from_an_uploaded_ledger_answers_422_to_a_bomb(cast: Any, new_survey: Any) -> None:
    survey = new_survey(draw=False)
    response = cast.client("organiser").post(reverse("surveys:draw", args=[survey.pk]), {"ledger": bomb()})
    assert response.status_code == 422
    assert BOMB_MESSAGE in response.content.decode()


def test_survey_score_file_refuses_a_bomb_with_the_message(cast: Any, campaign: Any) -> None:  # noqa: F811
    response = cast.client("organiser").post(url(campaign, "dieu-tra/"), {"file": bomb()}, follow=True)
    assert response.status_code == 200
    assert BOMB_MESSAGE in response.content.decode()


def test_an_upload_past_the_limit_is_dropped_as_it_streams_in(
    desk: Any, html: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files import uploadhandler

    kept: list[int] = []
    for handler in (uploadhandler.MemoryFileUploadHandler, uploadhandler.TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def spy(self: Any, raw_data: bytes, start: int, original: Any = original) -> Any:
            kept.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    settings.CCHC_UPLOAD_MAX_BYTES = 1024 * 1024
    big = LEDGER + b"x" * (3 * 1024 * 1024)
    response = desk_import(desk, SimpleUploadedFile("so.csv", big))
    assert response.status_code == 422
    assert "có dung lượng 3,0 MB, vượt giới hạn 1 MB" in page_errors(html, response)[0]
    assert sum(kept) <= 1024 * 1024  # the rest never reached memory or disk
