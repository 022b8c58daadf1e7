"""The public portal in Debian's Chromium (Playwright): what a citizen sees first."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "web"


def test_portal_shows_hoai_nhon_first_with_88_41_then_its_unit_page(live_server, page, demo_data, cast, login, shot):
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
    shot(page, "01-cong-thong-tin")

    # Another edition: HTMX swaps the results in place and pushes the URL.
    page.click("nav.tabs a:text('Cấp xã năm 2022')")
    page.wait_for_url("**/ket-qua/commune/2022/")
    assert page.locator("table.ranking tbody tr").count() == 17
    assert page.locator("nav.tabs a[aria-current=page]").inner_text() == "Cấp xã năm 2022"
    shot(page, "01b-cap-xa", full_page=False)
    page.go_back()
    page.wait_for_url(live_server.url + "/")
    cells = page.locator("table.ranking tbody tr").first.locator("td")
    assert cells.nth(1).inner_text().strip() == "Thị xã Hoài Nhơn"

    cells.nth(1).locator("a").click()
    page.wait_for_url("**/ket-qua/district/2022/don-vi/HNH/")
    assert page.locator("#unit-rank").inner_text() == "1/11"
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "02-trang-don-vi")

    login(page, "canbo.a")
    assert "Cán bộ đầu mối CCHC" in page.locator("span.who").inner_text()
    shot(page, "03-da-dang-nhap", full_page=False)


def test_on_a_phone_the_header_wraps_whole_links_and_the_ranking_scrolls_in_its_box(
    live_server, new_page, demo_data, cast, login, shot
):
    phone = new_page(phone=True)
    login(phone, "noivu", next="/")  # the organiser sees the most links; the public ranking
    links = phone.locator("nav.site-nav a")
    assert links.count() >= 3
    # Every link's label stays on one line (no "Đợt / đánh / giá" stacked word by word).
    heights = links.evaluate_all(
        "as => as.map(a => a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight))"
    )
    assert all(h < 2 for h in heights), heights
    # The page is as wide as the phone: the wide ranking table scrolls inside its own box
    # (the public ranking: the organiser itself lands on the campaigns).
    phone.goto(live_server.url + "/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    box = phone.locator(".table-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    shot(phone, "04-dien-thoai", full_page=False)
    phone.goto(live_server.url + "/ket-qua/district/2022/don-vi/HNH/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_api_docs_load_from_this_site_without_a_console_error(live_server, page, shot):
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.goto(live_server.url + "/")
    page.click("footer a:text('API')")
    page.wait_for_url("**/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "cchc" in page.locator(".swagger-ui .info .title").inner_text().lower()
    # Every operation of the OpenAPI document is listed (read from this site, not a CDN).
    assert page.locator(".opblock").count() >= 5
    assert errors == [] and failed == [], (errors, failed)
    shot(page, "04-tai-lieu-api")


def test_every_page_asks_for_the_sites_own_icon(client):
    assert client.get("/favicon.ico").status_code == 301
    assert client.get("/favicon.ico")["Location"].endswith("/static/cchc/favicon.svg")
