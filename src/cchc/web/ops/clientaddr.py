"""The client's IP address, for rate limits and the audit trail.

``X-Forwarded-For`` is a list any client can start with forged entries; only the entries
appended by proxies we run are true. Each trusted proxy appends the address it saw, so with
``n`` trusted proxies the client is the n-th entry from the right and everything left of it
is the client's own claim. With no trusted proxy the header is ignored and ``REMOTE_ADDR``
(the TCP peer) is the client. ``CCHC_TRUSTED_PROXIES`` sets ``n`` (docs/web.md, docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def trusted_proxies() -> int:
    """How many reverse proxies in front of the application append to X-Forwarded-For."""
    config = getattr(settings, "CONFIG", None)
    return int(getattr(config, "trusted_proxies", 0) or 0)


def client_address(request: HttpRequest) -> str:
    """The address of the client as seen by the outermost trusted proxy (or the TCP peer)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = trusted_proxies()
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        # Fewer entries than proxies: the request did not come through all of them (or a proxy
        # is misconfigured); the farthest entry we have is still one a proxy of ours wrote.
        return forwarded[0] if forwarded else remote
    return forwarded[-count]
