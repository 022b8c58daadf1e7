"""Walk every URL pattern and API operation and request each as every role (imported by
test_authz_matrix.py; holds no tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from authz_world import PDF, ROLES, World
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

CSRF = "m" * 32  # a CSRF secret set as cookie and sent back as header: a valid token
LEDGER = (
    b"dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"
    b"BSO-250303-0901,BSO,HT-KS,2025-03-03 09:00,2025-03-03 17:00,received,counter\n"
)
LOGIN_PATHS = ("/tai-khoan/dang-nhap/", "/quan-tri/login/")


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name" (admin model pages keep their own names)
    route: str  # the pattern as written, "dot-danh-gia/<int:pk>/"


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> list[Pattern]:
    found: list[Pattern] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{ns}:{entry.namespace}" if ns and entry.namespace else entry.namespace or ns
            found.extend(_walk(entry.url_patterns, prefix + str(entry.pattern), inner))
        elif isinstance(entry, URLPattern):
            name = entry.name or f"<unnamed {prefix}{entry.pattern}>"
            found.append(Pattern(f"{ns}:{name}" if ns else name, prefix + str(entry.pattern)))
    return found


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, the API's operations excluded (see api_operations)."""
    return [p for p in _walk(get_resolver().url_patterns) if not p.name.startswith("api-1:")]


def _admin_object_id(name: str) -> str:
    # admin:<app>_<model>_<action>: an existing object of that model, so the page is real.
    match = re.match(r"admin:([a-z]+)_([a-z]+)_(change|delete|history|password_change)$", name)
    if name == "admin:auth_user_password_change":
        match = re.match(r"admin:(auth)_(user)_(password_change)", "admin:auth_user_password_change")
    if not match:
        return "1"
    app, model = match.group(1), match.group(2)
    if (app, model) == ("auth", "user"):
        app = "accounts"
    obj = apps.get_model(app, model).objects.order_by("pk").first()
    return str(obj.pk) if obj else "1"


def fill(pattern: Pattern, world: World) -> str:
    """A concrete path for the pattern, with objects of unit A."""
    v = world.values
    ns = pattern.name.split(":")[0]
    name = pattern.name.split(":")[-1]
    portal_campaign = name.startswith("campaign_") or pattern.route.startswith("dot-danh-gia/<int:pk>/ket-qua")
    args = {
        "pk": v["published"] if ns == "portal" and portal_campaign else (
            v["survey"] if ns == "surveys" else v["campaign"]
        ),
        "code": {"desk": v["dossier"], "surveys": v["survey_unit"]}.get(
            ns, v["published_unit"] if ns == "portal" else v["unit"]
        ),
        "node": v["node"],
        "procedure": "CT-BS",  # a procedure of the catalogue (public page)
        "evidence_id": v["evidence_id"],
        "objection_id": v["objection_id"],
        "rid": v["rid"],
        "token": "khong-co-that-" + "x" * 20,
        "number": "1",
        "action": "chuyen-xu-ly",
        "level": "district",
        "year": str(v["published_year"]),
        "fmt": "xlsx",
        "name": "xep-hang",
        "ext": "svg",
        "object_id": _admin_object_id(pattern.name),
        "id": _admin_object_id(pattern.name),
        "content_type_id": "1",
        "app_label": "units",
        "url": "khong-co",
    }
    if name in ("report", "unit_report"):
        args["fmt"] = "docx"
    route = pattern.route
    route = re.sub(r"\^?\(\?P<app_label>[^)]*\)/\$", args["app_label"] + "/", route)
    route = route.replace("(?P<url>.*)$", args["url"])
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), route)
    return "/" + route


def api_operations(client: Client) -> list[tuple[str, str]]:
    """(METHOD, path template) of every operation in the OpenAPI document."""
    document = client.get("/api/v1/openapi.json").json()
    return sorted(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )


def outcome(response: Any) -> str:
    """The class of an answer: ok, login, 403, 404, 405 (or the status when unexpected)."""
    status = response.status_code
    location = response.get("Location", "")
    if status in (301, 302) and any(p in location for p in LOGIN_PATHS):
        return "login"
    if status == 401:
        return "401"
    if status < 400 or status in (400, 409, 422):
        # Past the permission check: a page, a redirect elsewhere, or input refused as input.
        return "ok"
    return str(status)


def client_for(world: World, role: str) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_X_CSRFTOKEN=CSRF)
    client.cookies["csrftoken"] = CSRF
    if role != "public":
        client.force_login(world.users[role])
    return client


def request(client: Client, method: str, path: str, **extra: Any) -> str:
    """One request whose effects are rolled back, so every probe sees the same world."""
    cookies = client.cookies
    client.cookies = cookies.__class__()
    client.cookies.update(cookies)  # log-out and log-in POSTs must not change the next probe
    with transaction.atomic():
        response = getattr(client, method.lower())(path, **extra)
        result = outcome(response)
        transaction.set_rollback(True)
    client.cookies = cookies
    return result


def probe_pages(world: World) -> dict[tuple[str, str, str], str]:
    """(pattern name, role, GET|POST) → outcome class."""
    seen: dict[tuple[str, str, str], str] = {}
    for role in ROLES:
        client = client_for(world, role)
        for pattern in url_patterns():
            path = fill(pattern, world)
            seen[(pattern.name, role, "GET")] = request(client, "GET", path)
            body = {**world.form, "file": SimpleUploadedFile("minh-chung.pdf", PDF)}
            seen[(pattern.name, role, "POST")] = request(client, "POST", path, data=body)
    return seen


def probe_api(world: World) -> dict[tuple[str, str], str]:
    """("METHOD path", role) → outcome class, with the role's bearer token (none for public)."""
    seen: dict[tuple[str, str], str] = {}
    anonymous = Client(raise_request_exception=False)
    for method, template in api_operations(anonymous):
        path = template.replace("{code}", world.values["dossier"])
        for role in ROLES:
            extra = {}
            if role != "public":
                extra["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
            if method == "POST":
                # A well-formed body, so the request reaches the permission check.
                extra["data"] = {"file": SimpleUploadedFile("so.csv", LEDGER, "text/csv")}
            seen[(f"{method} {template}", role)] = request(anonymous, method, path, **extra)
    return seen
