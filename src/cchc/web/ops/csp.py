"""Content-Security-Policy on every response, so injected markup cannot run script.

Hooked as the last entry of ``MIDDLEWARE`` ("cchc.web.ops.csp.ContentSecurityPolicyMiddleware").
What the templates truly need, and why each exception is here:

- scripts only from this site (HTMX, the admin's and the API docs' bundled files); the one
  inline handler in use, ``onclick="window.print()"`` on the desk's printed forms and the
  survey links page, is allowed by its hash (``'unsafe-hashes'``), not by ``'unsafe-inline'``;
- ``style-src 'unsafe-inline'``: the workflow pages carry a ``<style>`` block, a few
  templates a ``style=`` attribute, and HTMX inserts its indicator style. Styles cannot run
  code, so this is the usual trade-off;
- images from this site and ``data:`` (charts are served by the site; the admin and the
  API docs use small ``data:`` icons);
- no plug-ins, no framing (``frame-ancestors 'none'``, like ``X-Frame-Options: DENY``),
  forms post only here, ``<base>`` cannot be rewritten.

A view that sets its own ``Content-Security-Policy`` header keeps it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Inline event handlers the templates use; add one here (its exact text) when a template adds one.
INLINE_HANDLERS = ("window.print()",)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy() -> str:
    """The policy sent with every page."""
    script = " ".join(["'self'", "'unsafe-hashes'", *(_hash(h) for h in INLINE_HANDLERS)])
    directives = {
        "default-src": "'self'",
        "script-src": script,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


POLICY = policy()


class ContentSecurityPolicyMiddleware:
    """Add the project's Content-Security-Policy header to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = POLICY
        return response
