"""The public portal in Debian's Chromium (Playwright): what a citizen sees first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.fixture
def demo_data() -> None:
    # Transactional tests flush the database afterwards; load (idempotently) what we need.
    from cchc.web.demo import DemoContext, load_campaigns, load_units

    ctx = DemoContext()
    load_units(ctx)
    load_campaigns(ctx)


def test_portal_shows_hoai_nhon_first_with_88_41_then_its_unit_page(live_server, page, demo_data, cast, password):
    page.goto(live_server.url + "/")
    first = page.locator("table.ranking tbody tr").first
    cells = first.locator("td")
    assert cells.nth(1).inner_text().strip() == "Thị xã Hoài Nhơn"
    assert cells.nth(5).inner_text().strip() == "88,41"
    assert cells.nth(7).inner_text().strip() == "1"
    assert page.locator("p.illustrative").first.is_visible()
    # The ranking chart is a real image (rendered by the server), not a broken link.
    chart = page.locator("figure.chart img").first
    chart.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    page.screenshot(path=str(ARTIFACTS / "01-cong-thong-tin.png"), full_page=True)

    # Another edition: HTMX swaps the results in place and pushes the URL.
    page.click("nav.tabs a:text('Cấp xã năm 2022')")
    page.wait_for_url("**/ket-qua/commune/2022/")
    assert page.locator("table.ranking tbody tr").count() == 17
    assert page.locator("nav.tabs a[aria-current=page]").inner_text() == "Cấp xã năm 2022"
    page.screenshot(path=str(ARTIFACTS / "01b-cap-xa.png"))
    page.go_back()
    page.wait_for_url(live_server.url + "/")
    cells = page.locator("table.ranking tbody tr").first.locator("td")
    assert cells.nth(1).inner_text().strip() == "Thị xã Hoài Nhơn"

    cells.nth(1).locator("a").click()
    page.wait_for_url("**/ket-qua/district/2022/don-vi/HNH/")
    assert page.locator("#unit-rank").inner_text() == "1/11"
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.screenshot(path=str(ARTIFACTS / "02-trang-don-vi.png"), full_page=True)

    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.fill("#id_username", "canbo.a")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert "Cán bộ đầu mối CCHC" in page.locator("span.who").inner_text()
    page.screenshot(path=str(ARTIFACTS / "03-da-dang-nhap.png"))
