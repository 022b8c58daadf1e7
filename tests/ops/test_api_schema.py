"""Schemathesis against the JSON API's own OpenAPI document: no generated request, however
odd, makes the server fail (5xx) or answer outside its documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from cchc.web import demo

CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
]
EXAMPLES_PER_OPERATION = 25  # bounded: the whole API in well under a minute


@pytest.fixture
def keep_connection():
    """Like Django's test client: the test's transaction must survive each request's end
    (on PostgreSQL the handler would otherwise close the connection inside it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_conforms_to_its_openapi_document(keep_connection):
    ctx = demo.DemoContext()
    demo.load_units(ctx)
    demo.load_campaigns(ctx)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            # The checks that protect users: no 5xx, bodies/content types/headers as documented.
            # Left out (documentation gaps reported to the API's owners, not server faults):
            # status-code conformance (401 of token endpoints is undocumented) and positive-data
            # acceptance (``period`` has no ``pattern`` in the schema, so a 400 looks wrong).
            case.call_and_validate(checks=CHECKS)

        check()
        checked.append(operation.label)
    assert "GET /api/v1/par/results" in checked
    assert len(checked) >= 3
