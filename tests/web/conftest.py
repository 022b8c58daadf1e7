"""Django for the web tests: settings from the environment, a fixed cast of users, demo data.

The database is SQLite in memory unless ``CCHC_TEST_DATABASE_URL`` names another (scripts/test
runs this folder a second time on PostgreSQL: pytest-django creates ``test_<name>``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

_DATA_DIR = tempfile.mkdtemp(prefix="cchc-web-tests-")
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
    leader: User
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
        leader=make("lanhdao", "leader"),
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
