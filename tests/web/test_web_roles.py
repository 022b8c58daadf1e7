"""One role helper for every app (``cchc.web.accounts.roles``).

Each app keeps its object rules in one module (``permissions``, ``desk.access``,
``surveys.access``, ``workflow.access``); none of them, and no view, decides on its own
whether a user is signed in, active and acting in a role.
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from cchc.web.accounts import roles
from cchc.web.accounts.models import Role

WEB = Path(__file__).resolve().parents[2] / "src" / "cchc" / "web"
HELPER = WEB / "accounts" / "roles.py"
# Reading a stored account's role where the acting user is not the question, with the reason.
STORED_ACCOUNTS = {
    WEB / "accounts" / "models.py": "the model validates its own role and unit",
    WEB / "accounts" / "retention.py": "which deactivated accounts are administrators (inactive on purpose)",
}


def _files() -> list[Path]:
    return sorted(p for p in WEB.rglob("*.py") if "migrations" not in p.parts)


def test_no_app_keeps_its_own_role_helper() -> None:
    found = []
    for path in _files():
        if path == HELPER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("role", "_role", "_active", "is_office"):
                found.append(f"{path.relative_to(WEB)}:{node.lineno} defines {node.name}()")
            if isinstance(node, ast.Compare) and path not in STORED_ACCOUNTS:
                sides = [node.left, *node.comparators]
                # A user's role against Role.X or a group of roles (a respondent's "role" in
                # a survey sample is another thing).
                about_roles = any(
                    (isinstance(n, ast.Name) and (n.id == "Role" or n.id.endswith(("ROLES", "MANAGERS", "OFFICE"))))
                    for s in sides
                    for n in ast.walk(s)
                )
                if about_roles and any(isinstance(s, ast.Attribute) and s.attr == "role" for s in sides):
                    found.append(f"{path.relative_to(WEB)}:{node.lineno} compares .role itself")
    assert not found, found


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (None, None),
        (SimpleNamespace(is_authenticated=False, is_active=True, role="organiser"), None),
        (SimpleNamespace(is_authenticated=True, is_active=False, role="organiser"), None),
        (SimpleNamespace(is_authenticated=True, is_active=True, role=""), None),
        (SimpleNamespace(is_authenticated=True, is_active=True, role="leader"), "leader"),
    ],
)
def test_a_user_acts_in_a_role_only_signed_in_and_active(user: object, expected: str | None) -> None:
    assert roles.role(user) == expected


def test_groups_and_the_unit_of_a_unit_bound_role() -> None:
    officer = SimpleNamespace(is_authenticated=True, is_active=True, role=Role.ONESTOP_OFFICER, unit_id=7)
    organiser = SimpleNamespace(is_authenticated=True, is_active=True, role=Role.ORGANISER, unit_id=None)
    assert roles.unit_id(officer, Role.ONESTOP_OFFICER) == 7
    assert roles.unit_id(officer, Role.UNIT_OFFICER) is None
    assert roles.is_manager(organiser) and roles.is_office(organiser)
    assert not roles.is_office(officer) and not roles.is_manager(officer)
