"""The surveys' link in the site navigation: only the organising office manages surveys."""

from __future__ import annotations

from cchc.web.navigation import NavItem

NAV_ITEMS = [
    NavItem("Khảo sát", "surveys:list", roles=frozenset({"organiser", "administrator"})),
]
