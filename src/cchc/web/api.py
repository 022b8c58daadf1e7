"""The JSON API (django-ninja) at /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Routers come from ``ROUTERS``: a new module adds one ``(prefix, "module:attribute")`` line.
Read endpoints are public (published data only); write endpoints use ``token_auth``
(``cchc.web.accounts.tokens``).
"""

from __future__ import annotations

from importlib import import_module

from ninja import NinjaAPI, Router

ROUTERS: list[tuple[str, str]] = [
    ("/", "cchc.web.accounts.api:router"),
    ("/par/", "cchc.web.portal.api:router"),
    ("/", "cchc.web.desk.api:router"),
    ("/", "cchc.web.desk.api766:router"),
]

api = NinjaAPI(
    title="cchc API",
    version="1",
    description="Dữ liệu cải cách hành chính: kết quả chỉ số CCHC đã công bố, đợt đánh giá.",
    urls_namespace="api-1",
)


def _load(spec: str) -> Router:
    module, _, attr = spec.partition(":")
    router = getattr(import_module(module), attr)
    if not isinstance(router, Router):
        raise TypeError(f"{spec} is not a ninja Router")
    return router


for _prefix, _spec in ROUTERS:
    api.add_router(_prefix, _load(_spec))
