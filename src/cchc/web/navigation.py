"""The site navigation, filtered by role. Other apps append ``NavItem``s to ``NAV``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # None: everyone (including the public); otherwise the roles that see the link.
    roles: frozenset[str] | None = None
    visible: Callable[[Any], bool] | None = None


NAV: list[NavItem] = [
    NavItem("Kết quả chỉ số CCHC", "portal:home"),
]


def nav_items(user: Any) -> list[dict[str, str]]:
    """The links this user may follow, in order."""
    out = []
    for item in NAV:
        if item.roles is not None and (
            not user.is_authenticated or getattr(user, "role", None) not in item.roles
        ):
            continue
        if item.visible is not None and not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # an app that is not installed in this deployment
        out.append({"label": item.label, "url": url})
    return out


def nav_context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: ``nav`` for base.html."""
    return {"nav": nav_items(request.user)}
