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
    from cchc.web.accounts.roles import role  # models: only once the apps are loaded

    out = []
    acting = role(user)
    for item in NAV:
        if item.roles is not None and acting not in item.roles:
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


# Where each role's work starts: the page it lands on after logging in (the public ranking
# for anyone else). A one-stop officer lands on the work list, not on the public portal.
LANDING: dict[str, str] = {
    "onestop_officer": "desk:worklist",
    "unit_officer": "workflow:campaigns",
    "appraiser": "workflow:campaigns",
    "organiser": "workflow:campaigns",
    "leader": "workflow:campaigns",
    "administrator": "workflow:campaigns",
}


def landing_url(user: Any) -> str:
    """The first page of this user's work (a URL), falling back to the public home page."""
    name = LANDING.get(getattr(user, "role", "") or "", "portal:home")
    try:
        return reverse(name)
    except NoReverseMatch:  # an app that is not installed in this deployment
        return reverse("portal:home")
