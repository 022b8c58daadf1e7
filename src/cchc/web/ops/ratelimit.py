"""Log-in rate limit: too many failed log-ins from one address, or for one account, and the
log-in form answers 429 for a while — even to the right password, so guessing stops.

Hooked with one line in ``MIDDLEWARE`` (after the authentication middleware)::

    "cchc.web.ops.ratelimit.LoginRateLimitMiddleware",

Failures are counted from Django's ``user_login_failed`` signal (sent by every
authentication attempt, the admin's included), so nothing in the log-in view changes.
Limits (assumed values, set in the environment and read through ``cchc.web.config.Settings``):
``CCHC_LOGIN_MAX_FAILURES`` per account and address (default 5),
``CCHC_LOGIN_MAX_FAILURES_PER_ADDRESS`` (default 20, for one address trying many accounts),
over ``CCHC_LOGIN_WINDOW_SECONDS`` (default 900). Counters
live in Django's cache: per process with the default local-memory cache, which is what
``cchc serve`` (one process) needs; several processes need a shared cache (docs/security.md).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from cchc.web.ops.clientaddr import client_address

LOGIN_URL_NAMES = ("login", "admin:login")


def _limits() -> tuple[int, int, int]:
    return (
        int(settings.CCHC_LOGIN_MAX_FAILURES),
        int(settings.CCHC_LOGIN_MAX_FAILURES_PER_ADDRESS),
        int(settings.CCHC_LOGIN_WINDOW_SECONDS),
    )


def _key(*parts: str) -> str:
    # Hash: user names may hold characters a cache backend refuses in keys.
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"cchc:login-fail:{digest}"


def _keys(address: str, username: str) -> tuple[str, str]:
    return _key("account", username.strip().lower(), address), _key("address", address)


def _bump(key: str, window: int) -> None:
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return
    _, _, window = _limits()
    account_key, address_key = _keys(client_address(request), str(credentials.get("username", "")))
    _bump(account_key, window)
    _bump(address_key, window)


def connect() -> None:
    """Count failed log-ins (called from the app's ``ready``)."""
    user_login_failed.connect(_login_failed, dispatch_uid="ops.ratelimit.login_failed")


def is_blocked(request: HttpRequest, username: str) -> bool:
    """Whether a log-in attempt from this request for ``username`` must be refused now."""
    per_account, per_address, _ = _limits()
    account_key, address_key = _keys(client_address(request), username)
    return (cache.get(account_key) or 0) >= per_account or (
        cache.get(address_key) or 0
    ) >= per_address


def allow(scope: str, identity: str, limit: int, window: int = 60) -> bool:
    """Count one request of ``identity`` (a user id, an address) under ``scope``; ``False``
    once ``limit`` requests were counted in the current ``window`` seconds.

    Fixed windows (a burst across a boundary may see up to twice the limit: fine for
    keeping one client from monopolising the server). Counts live in Django's cache, shared
    between processes with ``CCHC_CACHE_URL``.
    """
    slot = int(time.time()) // window
    digest = hashlib.sha256(f"{scope}\x1f{identity}".encode()).hexdigest()[:32]
    key = f"cchc:rate:{digest}:{slot}"
    if cache.add(key, 1, timeout=2 * window):
        return True
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=2 * window)
        return True
    return count <= limit


def _login_paths() -> set[str]:
    paths = set()
    for name in LOGIN_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    return paths


class LoginRateLimitMiddleware:
    """Answer 429 to log-in POSTs while the address or the account is over its limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._paths: set[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            if self._paths is None:
                self._paths = _login_paths()
            if request.path in self._paths and is_blocked(
                request, request.POST.get("username", "")
            ):
                _, _, window = _limits()
                minutes = max(1, window // 60)
                response = HttpResponse(
                    '<!doctype html><html lang="vi"><meta charset="utf-8">'
                    "<title>Tạm khóa đăng nhập</title>"
                    "<h1>Tạm khóa đăng nhập</h1>"
                    f"<p>Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút "
                    "hoặc liên hệ quản trị hệ thống.</p></html>",
                    status=429,
                    content_type="text/html; charset=utf-8",
                )
                response["Retry-After"] = str(window)
                return response
        return self.get_response(request)
