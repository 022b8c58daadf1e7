"""Fixtures of the desk tests: two wards' one-stop officers, the catalogue, a moving clock.

Imported by the ``tests/web/test_desk*.py`` files (``from desk.desk_fixtures import *``);
the platform's ``cast`` (tests/web/conftest.py) gives the organiser and the public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from cchc.web.accounts.models import User
from cchc.web.desk.clock import TZ
from cchc.web.desk.demo import load_catalogue
from cchc.web.desk.models import Dossier, Procedure
from cchc.web.desk.services import receive
from cchc.web.units.models import Unit

# Monday 3 March 2025, 09:00 in Vietnam: an ordinary working week (no holiday until 30/4).
MONDAY = dt.datetime(2025, 3, 3, 9, 0, tzinfo=TZ)


@dataclass
class DeskCast:
    """One-stop officers of ward A (Bồng Sơn) and ward B (Tam Quan), the organiser, the public."""

    officer_a: User
    officer_b: User
    organiser: User
    unit_a: Unit
    unit_b: Unit

    def client(self, who: str) -> Client:
        client = Client()
        if who != "public":
            client.force_login(getattr(self, who))
        return client


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """The look-up rate limit counts in the cache: each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db: None) -> dict[str, Procedure]:
    load_catalogue()
    return {p.code: p for p in Procedure.objects.all()}


@pytest.fixture
def desk(cast: Any, password_hash: str, catalogue: dict[str, Procedure]) -> DeskCast:
    def make(username: str, unit: Unit) -> User:
        user = User(username=username, role="onestop_officer", unit=unit, first_name=username)
        user.password = password_hash
        user.full_clean()
        user.save()
        return user

    unit_a, unit_b = Unit.objects.get(code="BSO"), Unit.objects.get(code="TQU")
    return DeskCast(make("motcua.a", unit_a), make("motcua.b", unit_b), cast.organiser, unit_a, unit_b)


@pytest.fixture
def clock(settings: Any) -> Callable[[dt.datetime], None]:
    """Set the desk's clock (``settings.CCHC_DESK_NOW``); starts on ``MONDAY``."""

    def set_to(moment: dt.datetime) -> None:
        settings.CCHC_DESK_NOW = moment

    set_to(MONDAY)
    return set_to


@pytest.fixture
def dossier_a(desk: DeskCast, catalogue: dict[str, Procedure], clock: Any) -> Dossier:
    """A marital-status certificate (3 working days) received by ward A on ``MONDAY``."""
    return receive(
        desk.unit_a, catalogue["HT-HN"], user=desk.officer_a,
        applicant_name="Nguyễn Văn Bình", applicant_phone="0912345678",
        applicant_address="Khu phố 1, phường Bồng Sơn",
    )
