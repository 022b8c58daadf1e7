"""The 766 board out of 100 and the reconciliation in Debian's Chromium, desktop and phone.

Screenshots go to test-artifacts/desk-766/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403

from cchc.service.period import parse_period
from cchc.web.desk import portal766

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_units"),
]

SCREENSHOTS = "desk-766"
FIXTURES = Path(__file__).parents[1] / "service" / "fixtures" / "portal766" / "2026-Q3"


LEDGER = (
    "dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,status,channel,digitised\n"
    "BSO-260801-0001,BSO,HT-KS,2026-08-01 09:00,2026-08-05 17:00,2026-08-04 10:00,returned,counter,true\n"
    "BSO-260802-0002,BSO,HT-KS,2026-08-02 09:00,2026-08-05 17:00,2026-08-20 10:00,returned,counter,false\n"
)


def test_the_organiser_reads_the_board_and_the_reconciliation(
    live_server: Any, new_page: Any, login: Any, shot: Any, desk: Any, tmp_path: Path
) -> None:
    from cchc.web.desk.ledger import import_ledger

    (tmp_path / "so.csv").write_text(LEDGER, "utf-8")
    import_ledger(tmp_path / "so.csv", user=None)
    files = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.glob("*.json"))]
    portal766.store_import(files, parse_period("2026-Q3"), desk.organiser, {"BSO": "H44.100"})
    page = new_page()
    login(page, desk.organiser.username)
    page.goto(f"{live_server.url}/mot-cua/chi-so-766/?ky=2026-Q3&don-vi=BSO&them=2")
    assert page.locator("#board-total").inner_text().endswith("/100 điểm")
    assert page.locator("#board tbody").count() == 6
    shot(page, "01-bang-diem-100")
    page.click("text=Đối soát với Cổng")
    assert page.locator("#reconcile tbody tr").count() >= 1
    shot(page, "02-doi-soat")
    phone = new_page(phone=True)
    login(phone, desk.organiser.username)
    phone.goto(f"{live_server.url}/mot-cua/chi-so-766/?ky=2026-Q3&don-vi=BSO")
    shot(phone, "03-dien-thoai")
