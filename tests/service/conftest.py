"""Fixtures shared by the service tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cchc.service.engines import local_spark_session


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for every Spark test here (starting one costs seconds)."""
    session = local_spark_session("local[2]")
    yield session
    session.stop()
