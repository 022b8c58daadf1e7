"""Public portal and results pages."""

from __future__ import annotations

from django.urls import path

from cchc.web.portal import views

urlpatterns = [
    path("", views.home, name="home"),
]
