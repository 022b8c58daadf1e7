"""Log-in, log-out and password change, on Django's own (CSRF-protected, rate-aware) views."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from cchc.web.navigation import landing_url


class LoginView(auth_views.LoginView):
    """Django's log-in view; without a ``next`` each role lands on its own work."""

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


urlpatterns = [
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
