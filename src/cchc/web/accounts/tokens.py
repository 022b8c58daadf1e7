"""Bearer-token authentication for write endpoints of the API (``Authorization: Bearer cchc_…``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from cchc.web.accounts.models import ApiToken, User


class ApiTokenAuth(HttpBearer):
    """Accepts an unrevoked ``ApiToken`` of an active user; the request then carries the user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith("cchc_"):
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.hash(token), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


token_auth = ApiTokenAuth()
