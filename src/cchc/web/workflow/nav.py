"""The workflow's link in the site navigation: every role that takes part in a campaign."""

from __future__ import annotations

from cchc.web.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        "Đợt đánh giá CCHC",
        "workflow:campaigns",
        roles=frozenset({"organiser", "administrator", "unit_officer", "appraiser", "leader"}),
    ),
]
