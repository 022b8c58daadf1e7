"""``/api/v1/me``: who a token belongs to — the smallest endpoint behind token auth."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from cchc.web.accounts.tokens import token_auth

router = Router(tags=["Tài khoản"])


class Me(Schema):
    username: str
    role: str
    unit: str | None


@router.get("/me", response=Me, auth=token_auth, summary="Tài khoản của mã truy cập")
def me(request: HttpRequest) -> Me:
    user = request.auth  # type: ignore[attr-defined]
    return Me(username=user.username, role=user.role, unit=user.unit.code if user.unit else None)
