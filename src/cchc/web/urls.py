"""Root URLs. Each app of the project is included from ``APP_URLS`` (add one line for a new app)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.http import require_safe

from cchc.web.api import api
from cchc.web.health import healthz

# (prefix, urls module, namespace). The portal owns "" (the public home page).
APP_URLS: list[tuple[str, str, str | None]] = [
    ("tai-khoan/", "cchc.web.accounts.urls", None),
    ("", "cchc.web.desk.urls", "desk"),
    ("khao-sat/", "cchc.web.surveys.urls", "surveys"),
    ("", "cchc.web.workflow.urls", "workflow"),
    ("", "cchc.web.portal.urls", "portal"),
]

@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever a page links: answer with the site's icon."""
    return redirect(static("cchc/favicon.svg"), permanent=True)


urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
]
for prefix, module, namespace in APP_URLS:
    urlpatterns.append(path(prefix, include((module, namespace) if namespace else module)))


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Refusals: the public is sent to log in first; a signed-in user sees why, in Vietnamese."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)
