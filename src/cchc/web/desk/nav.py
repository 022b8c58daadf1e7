"""The desk's links in the site navigation."""

from __future__ import annotations

from cchc.web.navigation import NavItem

NAV_ITEMS = [
    NavItem("Tra cứu hồ sơ", "desk:lookup"),
    NavItem("Thủ tục hành chính", "desk:catalogue"),
    NavItem("Một cửa", "desk:worklist", roles=frozenset({"onestop_officer"})),
    NavItem("Sổ theo dõi hồ sơ", "desk:register", roles=frozenset({"onestop_officer"})),
    NavItem(
        "Chỉ số phục vụ 766",
        "desk:dashboard",
        roles=frozenset({"onestop_officer", "organiser", "administrator", "leader"}),
    ),
    NavItem(
        "Kiểm tra sổ hồ sơ",
        "desk:integrity",
        roles=frozenset({"onestop_officer", "organiser", "administrator", "leader"}),
    ),
]
