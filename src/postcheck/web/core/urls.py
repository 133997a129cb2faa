"""Core URLs (namespace ``core``): home, the check page, sign in/out, the school switcher."""

from __future__ import annotations

from django.urls import path

from postcheck.web.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.check, name="check"),
    path("school/", views.switch_school, name="switch_school"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
]
