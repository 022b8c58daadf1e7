"""Security properties that hold for every page: CSRF on every form post, the log-in rate
limit, and (in production settings) secure cookies and security headers."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from ops_instances import instance_env, run_django

from cchc.web.ops.ratelimit import LoginRateLimitMiddleware

CONVERTER_SAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x/y",
    "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
}


def _walk(patterns: list, prefix: str = "") -> list[str]:
    paths: list[str] = []
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # regex routes (a few admin pages) are covered by the route ones
        route = str(entry.pattern)
        route = re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_SAMPLES.get(m.group(1) or "str", "x"), route
        )
        if isinstance(entry, URLResolver):
            paths.extend(_walk(entry.url_patterns, prefix + route))
        elif isinstance(entry, URLPattern):
            paths.append("/" + prefix + route)
    return paths


def _form_paths() -> list[str]:
    # The JSON API authenticates with bearer tokens, not cookies, so CSRF does not apply.
    return sorted({p for p in _walk(get_resolver().url_patterns) if not p.startswith("/api/")})


def test_there_are_pages_to_check():
    paths = _form_paths()
    assert "/tai-khoan/dang-nhap/" in paths
    assert len(paths) > 10


@pytest.mark.django_db
@pytest.mark.parametrize("path", _form_paths())
def test_every_post_without_a_csrf_token_is_refused(path):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"username": "a", "password": "b"})
    assert response.status_code == 403, f"POST {path} answered {response.status_code}"


@pytest.fixture
def rate_limited(settings):
    settings.CCHC_LOGIN_MAX_FAILURES = 3
    settings.CCHC_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        username="canbo.hoainhon", password="Mat-khau-dung-1", role="leader"
    )


LOGIN = "/tai-khoan/dang-nhap/"


@pytest.mark.django_db
def test_failed_log_ins_lock_the_account_from_that_address(rate_limited, officer, client):
    for _ in range(3):
        assert (
            client.post(LOGIN, {"username": "canbo.hoainhon", "password": "sai"}).status_code == 200
        )
    refused = client.post(LOGIN, {"username": "canbo.hoainhon", "password": "Mat-khau-dung-1"})
    assert refused.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Another address may still log in to the same account.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other.post(LOGIN, {"username": "canbo.hoainhon", "password": "Mat-khau-dung-1"}).status_code
        == 302
    )


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_stopped(rate_limited, officer, client):
    for i in range(6):
        client.post(LOGIN, {"username": f"nguoi{i}", "password": "sai"})
    assert (
        client.post(
            LOGIN, {"username": "canbo.hoainhon", "password": "Mat-khau-dung-1"}
        ).status_code
        == 429
    )


@pytest.mark.django_db
def test_successful_log_ins_are_not_counted(rate_limited, officer, client):
    for _ in range(5):
        assert (
            client.post(
                LOGIN, {"username": "canbo.hoainhon", "password": "Mat-khau-dung-1"}
            ).status_code
            == 302
        )
        client.logout()


def test_the_log_in_rate_limit_is_hooked_after_authentication():
    from django.conf import settings

    path = f"{LoginRateLimitMiddleware.__module__}.{LoginRateLimitMiddleware.__name__}"
    middleware = list(settings.MIDDLEWARE)
    assert path in middleware
    assert middleware.index(path) > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


PRODUCTION_PROBE = r"""
import json
from django.test import Client
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
get_user_model().objects.create_user(username="lanhdao", password="Mat-khau-dung-1", role="leader")
c = Client(HTTP_HOST="cchc.example.vn")
plain = c.get("/")
health = c.get("/healthz")
page = c.get("/tai-khoan/dang-nhap/", secure=True)
csrf = page.cookies["csrftoken"]
login = c.post("/tai-khoan/dang-nhap/", {"username": "lanhdao", "password": "Mat-khau-dung-1",
               "csrfmiddlewaretoken": csrf.value}, secure=True, HTTP_REFERER="https://cchc.example.vn/")
session = login.cookies["sessionid"]
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "health": health.status_code,
    "headers": {k: page.get(k, "") for k in ["Strict-Transport-Security", "X-Content-Type-Options",
                "X-Frame-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"]},
    "csrf": {"secure": bool(csrf["secure"]), "samesite": csrf["samesite"]},
    "session": {"secure": bool(session["secure"]), "httponly": bool(session["httponly"]),
                "samesite": session["samesite"]},
    "login": login.status_code,
}))
"""


@pytest.mark.slow
def test_production_settings_send_secure_cookies_and_headers(tmp_path):
    env = instance_env(tmp_path / "prod") | {
        "CCHC_ENV": "production",
        "CCHC_SECRET_KEY": "k3J9-x8Qw2LmZ0pVb7TnRc4Yh6Ud1Ef5Gs-aP0oI9uY8tR7",
        "CCHC_ALLOWED_HOSTS": "cchc.example.vn",
    }
    seen = json.loads(run_django(env, PRODUCTION_PROBE).stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://cchc.example.vn/"]
    assert seen["health"] == 200  # load balancers probe over plain HTTP
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert seen["csrf"] == {"secure": True, "samesite": "Lax"}
    assert seen["login"] == 302
    assert seen["session"] == {"secure": True, "httponly": True, "samesite": "Lax"}
