"""Django for the web tests: settings from the environment, a fixed cast of users, demo data.

The database is SQLite in memory unless ``CCHC_TEST_DATABASE_URL`` names another (scripts/test
runs this folder a second time on PostgreSQL: pytest-django creates ``test_<name>``).
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

_DATA_DIR = tempfile.mkdtemp(prefix="cchc-web-tests-")
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.web.settings"
os.environ["CCHC_ENV"] = "test"
os.environ["CCHC_DATA_DIR"] = _DATA_DIR
os.environ.setdefault("CCHC_SECRET_KEY", "tests-only-" + "k" * 40)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
if os.environ.get("CCHC_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["CCHC_TEST_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()  # pytest-django only sets Django up itself when the settings were known earlier

from django.test import Client  # noqa: E402

from cchc.web.accounts.models import User  # noqa: E402

PASSWORD = "Mật-khẩu-thử-nghiệm-2026"


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    """Each test uploads into its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


_RATE_SLOTS = itertools.count()


@pytest.fixture(autouse=True)
def _own_rate_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test counts its API calls in a fixed window of its own: a test that makes four
    calls against a limit of three must not see the minute turn between them (the limiter's
    windows are fixed minutes of the clock), nor inherit another test's calls."""
    from cchc.web.ops import ratelimit

    instant = 3600.0 * 24 * 365 * 30 + 3600.0 * next(_RATE_SLOTS) + 1800  # mid-hour
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: instant))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Units and the published demo campaigns, loaded once for the session's database."""
    from cchc.web.demo import DemoContext, load_campaigns, load_units

    with django_db_blocker.unblock():
        ctx = DemoContext()
        load_units(ctx)
        load_campaigns(ctx)
    yield


@dataclass
class Cast:
    """The fixed cast of the permission tests (Healthchecks style)."""

    organiser: User
    officer_a: User  # CCHC officer of Thị xã Hoài Nhơn (HNH)
    officer_b: User  # CCHC officer of Thị xã An Nhơn (ANH)
    appraiser: User
    leader: User  # leader of Tỉnh Bình Định (BDI), the body organising its districts' campaigns
    onestop: User
    public: Any  # AnonymousUser

    def client(self, who: str) -> Client:
        client = Client()
        user = getattr(self, who)
        if user.is_authenticated:
            client.force_login(user)
        return client


@pytest.fixture
def password() -> str:
    """The cast's password."""
    return PASSWORD


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One Argon2 hash of PASSWORD shared by the cast (Argon2 is slow on purpose)."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


@pytest.fixture
def cast(db: None, password_hash: str) -> Cast:
    from django.contrib.auth.models import AnonymousUser

    from cchc.web.units.models import Unit

    def make(username: str, role: str, unit: str | None = None) -> User:
        user = User(username=username, role=role, unit=Unit.objects.get(code=unit) if unit else None)
        user.password = password_hash
        user.full_clean()
        user.save()
        return user

    return Cast(
        organiser=make("noivu", "organiser"),
        officer_a=make("canbo.a", "unit_officer", "HNH"),
        officer_b=make("canbo.b", "unit_officer", "ANH"),
        appraiser=make("thamdinh", "appraiser"),
        leader=make("lanhdao", "leader", "BDI"),
        onestop=make("motcua", "onestop_officer", "HNH"),
        public=AnonymousUser(),
    )


@pytest.fixture
def html() -> Callable[[bytes], Any]:
    """Parse a page into an lxml tree (tests check specific elements, not substrings)."""
    import lxml.html

    def parse(content: bytes) -> Any:
        return lxml.html.fromstring(content.decode("utf-8"))

    return parse


# --- Browser tests (Playwright driving Debian's Chromium) -------------------------------------
#
# ``playwright install`` cannot download a browser here, so Playwright is pointed at Debian's
# /usr/bin/chromium. A browser test module sets ``SCREENSHOTS`` (a folder under
# test-artifacts/) and uses the fixtures below; it is marked ``browser`` itself.

ARTIFACTS_ROOT = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# No sandbox (containers), no GPU, and nothing that phones home from an offline machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_units() -> None:
    """The demo units (transactional tests flush the database afterwards, so reload them)."""
    from cchc.web.demo import DemoContext, load_units

    load_units(DemoContext())


@pytest.fixture
def demo_data(demo_units: None) -> None:
    """The demo units and the published demo campaigns (loaded idempotently)."""
    from cchc.web.demo import DemoContext, load_campaigns

    load_campaigns(DemoContext())


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium for one test."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            # Queries made while Playwright ran used a connection of their own context,
            # which the database teardown would not see: close it here, in that context.
            connections.close_all()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (its own cookies: one person's window).

    ``new_page()`` is a desktop window; ``new_page(phone=True)`` a 390×844 touch phone.
    """
    contexts: list[Any] = []

    def open_page(*, phone: bool = False) -> Any:
        if phone:
            context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
        else:
            context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """One desktop window."""
    return new_page()


@pytest.fixture
def login(live_server: Any, password: str) -> Callable[..., None]:
    """Sign ``page`` in as ``username`` through the log-in form, landing on ``next`` (default /)."""

    def sign_in(page: Any, username: str, next: str | None = None) -> None:
        query = f"?next={next}" if next else ""
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/{query}")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        if next:
            page.wait_for_url(live_server.url + next)
        else:  # each role lands on its own work (cchc.web.navigation.LANDING)
            page.wait_for_url(lambda url: "/dang-nhap/" not in url)

    return sign_in


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., None]:
    """Save a screenshot ``<name>.png`` in test-artifacts/<the module's SCREENSHOTS>/."""
    folder = ARTIFACTS_ROOT / getattr(request.module, "SCREENSHOTS", "web")
    folder.mkdir(parents=True, exist_ok=True)

    def save(page: Any, name: str, *, full_page: bool = True) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)

    return save
