"""Every role walks the site in Debian's Chromium, on a phone (390×844) and a desktop (1366×900).

For each role (the public and the six signed-in roles), every page reachable by following
links from the role's landing page — the navigation, then the object pages those list (a
dossier, a campaign, a campaign unit, a criterion, a survey, the register, results pages) —
is opened at both sizes, and must:

* not scroll sideways: ``document.documentElement.scrollWidth <= window.innerWidth``
  (a wide table scrolls inside its own ``.table-scroll`` box instead);
* log no console error and load nothing that answers 4xx/5xx (or fails).

The crawl stays on the site's pages: no downloads, no API, no admin, no forms posted, and
one page per URL shape (``/mot-cua/ho-so/BSO-…/`` is visited once, not 200 times). One
browser and one signed-in window per role, resized between the two sizes, keep it quick.
Screenshots of each role's main pages at both sizes go to test-artifacts/walk/.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "walk"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# username → (role, unit code): the demo's units, so work lists and campaigns are not empty.
WALKERS: dict[str, tuple[str, str]] = {
    "motcua.bongson": ("onestop_officer", "BSO"),
    "canbo.hoainhon": ("unit_officer", "HNH"),
    "thamdinh": ("appraiser", ""),
    "noivu": ("organiser", ""),
    "lanhdao": ("leader", "BDI"),  # as in the demo: leads the province
    "quantri": ("administrator", ""),
}

# Links that are not pages to walk: files, the API and its docs, Django's admin, log-out,
# the print forms (A4 papers, wider than a phone on purpose) and the public rating form.
SKIP = re.compile(
    r"\.(xlsx|csv|json|pdf|docx|png|svg|zip|parquet)$"
    r"|^/api/|^/admin/|/dang-xuat/|/doi-mat-khau/|/dang-nhap/"
    r"|/mau-\d+/$|/phieu-kiem-soat/$|/thong-bao-dung/$|/danh-gia/$|/phieu-giay/"
)
# Screenshots: each role's first pages (its landing, then its navigation) and the main
# object pages (a dossier, a campaign unit, a criterion, a survey, results, a procedure).
SHOTS = 5
MAIN = re.compile(r"^/mot-cua/ho-so/[^/]+/$|/don-vi/[^/]+/$|/tieu-chi/[^/]+/$|^/khao-sat/\d+/$|/ket-qua/$|^/thu-tuc-hanh-chinh/[^/]+/$")
MAX_PAGES = 40

# Refusals that are the rule, not a fault (URL shape, status): the provisional results of a
# campaign with scores still missing (the demo's open campaign: its survey component has no
# points yet) answer 409 and list what is missing, since a missing score is never read as
# "not applicable" (docs/web.md). Strict: the walk must meet it, so the rule is exercised.
KNOWN_FAULTS: set[tuple[str, int]] = {("/dot-danh-gia/*/ket-qua/", 409)}  # per role: one page per URL shape keeps a role well under this


# The innermost elements that end beyond the screen's right edge (what to fix), as tag.class.
WIDER_THAN_SCREEN = """() => {
  const out = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    if (el.getBoundingClientRect().right <= window.innerWidth + 0.5) continue;
    if ([...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5)) continue;
    let p = el.parentElement, boxed = false;
    for (; p && !boxed; p = p.parentElement) boxed = ['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX);
    if (boxed) continue;
    const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    if (!out.includes(name)) out.push(name);
  }
  return out.slice(0, 4).join(', ');
}"""


def shape(path: str) -> str:
    """The URL's shape: codes and numbers replaced, so each kind of page is walked once."""
    parts = []
    for part in path.split("/"):
        if re.search(r"\d", part) or (part.isupper() and len(part) >= 2):
            part = "*"
        parts.append(part)
    return "/".join(parts)


def load_site() -> None:
    """The demo's data, smaller: units, published campaigns, desk, open campaign, survey."""
    from cchc.web.demo import DemoContext, load_campaigns, load_units
    from cchc.web.desk.demo import load_catalogue, load_ledger, load_open_dossiers
    from cchc.web.surveys.demo import load_survey
    from cchc.web.units.models import Unit
    from cchc.web.workflow.demo import load_open_campaign

    ctx = DemoContext()
    load_units(ctx)
    load_campaigns(ctx)
    load_catalogue()
    load_ledger(rows=300)
    load_open_dossiers(Unit.objects.get(code="BSO"), None)
    load_open_campaign(ctx)
    load_survey(ctx)


def make_users(password_hash: str) -> None:
    from cchc.web.accounts.models import User
    from cchc.web.units.models import Unit

    for username, (role, unit) in WALKERS.items():
        user = User(username=username, role=role, unit=Unit.objects.get(code=unit) if unit else None)
        user.password = password_hash
        user.is_staff = user.is_superuser = role == "administrator"
        user.save()


class Watch:
    """Console errors and failed requests of one window, read and cleared per page."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"script: {e}"))
        page.on(
            "response",
            lambda r: self.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        # A load cut short by the next navigation (net::ERR_ABORTED: the favicon of the page
        # just left) is not a failure of the site.
        page.on(
            "requestfailed",
            lambda r: None if "ERR_ABORTED" in (r.failure or "") else self.problems.append(f"failed {r.url} {r.failure}"),
        )

    def take(self) -> list[str]:
        out, self.problems = self.problems, []
        return out


def walk(
    page: Any, base: str, start: str, who: str, shot: Any, known: set[tuple[str, int]]
) -> tuple[list[str], list[str]]:
    """Visit every page shape reachable from ``start``; return (paths visited, problems)."""
    watch = Watch(page)
    host = urlsplit(base).netloc
    queue: deque[str] = deque([start])
    seen_shapes: set[str] = {shape(start)}
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        # One load per page (console and network watched once), measured at both sizes: the
        # window is resized, and the page reflows as it would on that screen.
        page.set_viewport_size(PHONE)
        try:
            response = page.goto(base + path, wait_until="load")
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):  # a file behind a plain link (?tai=xlsx)
                watch.take()
                continue
            raise
        status = response.status if response else 0
        if (shape(path), status) in KNOWN_FAULTS:
            known.add((shape(path), status))
            watch.take()  # its console line and response are the known fault itself
        problems.extend(f"{who} {path}: {p}" for p in watch.take())
        if status >= 400 and (shape(path), status) not in KNOWN_FAULTS:
            problems.append(f"{who} {path}: answered {status}")
        for size_name, size in (("dien-thoai", PHONE), ("may-tinh", DESKTOP)):
            page.set_viewport_size(size)
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if widths[0] > widths[1]:
                culprits = page.evaluate(WIDER_THAN_SCREEN)
                problems.append(f"{who} {size_name} {path}: {widths[0]} px wide at {widths[1]} px ({culprits})")
            if len(visited) < SHOTS or MAIN.search(path):
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "trang-chu"
                shot(page, f"{who}-{len(visited) + 1:02d}-{slug}-{size_name}")
        problems.extend(f"{who} {path}: {p}" for p in watch.take())
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        visited.append(path)
        for href in links:
            url, _ = urldefrag(href)
            parts = urlsplit(url)
            if parts.netloc != host or SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            key = shape(parts.path) + ("?" + re.sub(r"=[^&]*", "=", parts.query) if parts.query else "")
            if key not in seen_shapes:
                seen_shapes.add(key)
                queue.append(target)
    return visited, problems


def test_no_page_of_any_role_scrolls_sideways_or_logs_an_error_at_either_size(
    live_server: Any, new_page: Any, password: str, password_hash: str, shot: Any
) -> None:
    load_site()
    make_users(password_hash)
    problems: list[str] = []
    known: set[tuple[str, int]] = set()
    walked: dict[str, list[str]] = {}
    page = new_page()
    visited, found = walk(page, live_server.url, "/", "cong-dan", shot, known)
    walked["cong-dan"], problems = visited, problems + found
    page.context.close()
    for username in WALKERS:
        page = new_page()
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/dang-nhap/" not in url)
        start = urlsplit(page.url).path
        visited, found = walk(page, live_server.url, start, username, shot, known)
        walked[username] = visited
        problems += found
        page.context.close()
    # The walk really reached each role's work (not only the home page).
    assert any(p.startswith("/mot-cua/ho-so/") for p in walked["motcua.bongson"]), walked
    assert "/mot-cua/so-theo-doi/" in walked["motcua.bongson"], walked
    assert any("/tieu-chi/" in p or "tieu-chi" in p for p in walked["canbo.hoainhon"]), walked
    assert any(p.startswith("/khao-sat/") and p != "/khao-sat/" for p in walked["noivu"]), walked
    assert "/thu-tuc-hanh-chinh/" in walked["cong-dan"], walked
    assert not problems, "\n".join(problems)
    assert known == KNOWN_FAULTS, "an expected refusal was not met: update KNOWN_FAULTS"
