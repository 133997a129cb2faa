"""Sign-in and sign-out, Argon2, the login rate limit, CSRF."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from postcheck.web.core.models import AuditEntry

PASSWORD = "correct horse battery staple"  # the personas' password (conftest.py)


def login(client: Client, username: str, password: str, ip: str = "192.0.2.10") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_labelled(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_sign_in_and_out(client: Client, staff: Any) -> None:
    page = login(client, "sam-staff", PASSWORD)
    assert page.status_code == 302
    assert client.get("/").context["user"].username == "sam-staff"
    assert AuditEntry.objects.filter(action="auth.login", actor=staff).exists()
    assert client.get("/accounts/logout/").status_code == 405  # sign-out is a POST (CSRF-protected) only
    assert client.post("/accounts/logout/").status_code in (200, 302)
    assert not client.get("/").context["user"].is_authenticated
    assert AuditEntry.objects.filter(action="auth.logout", actor=staff).exists()


def test_passwords_are_hashed_with_argon2(staff: Any, django_user_model: Any) -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = django_user_model.objects.create_user("new-user", password="a long new password 42")
    assert user.password.startswith("argon2")
    assert staff.password.startswith("argon2")


def test_wrong_password_is_refused(client: Client, staff: Any) -> None:
    page = login(client, "sam-staff", "wrong")
    assert page.status_code == 200
    assert "Please enter a correct username and password" in page.content.decode()


def test_login_rate_limited_after_five_failures(client: Client, staff: Any) -> None:
    limit = settings.POSTCHECK_LOGIN_MAX_FAILURES
    assert limit == 5
    for _ in range(limit):
        assert "correct username and password" in login(client, "sam-staff", "wrong").content.decode()
    # Now even the right password is refused, with a clear message.
    page = login(client, "sam-staff", PASSWORD)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Too many failed sign-in attempts" in html
    assert "15 minutes" in html
    assert not page.context["user"].is_authenticated
    # Same username with different case: still the same account, still refused.
    assert "Too many failed" in login(client, "SAM-STAFF", PASSWORD).content.decode()
    # The limit is the username's, from any address (tests/web/test_web_ratelimit.py).
    assert "Too many failed" in login(Client(), "sam-staff", PASSWORD, ip="198.51.100.7").content.decode()


def test_rate_limit_lifts_after_the_window(client: Client, staff: Any) -> None:
    from django.core.cache import cache

    for _ in range(5):
        login(client, "sam-staff", "wrong")
    assert "Too many failed" in login(client, "sam-staff", PASSWORD).content.decode()
    cache.clear()  # what the window's expiry does
    assert login(client, "sam-staff", PASSWORD).status_code == 302


def test_success_resets_the_count(client: Client, staff: Any) -> None:
    for _ in range(4):
        login(client, "sam-staff", "wrong")
    assert login(client, "sam-staff", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        login(client, "sam-staff", "wrong")
    assert login(client, "sam-staff", PASSWORD).status_code == 302


def test_csrf_enforced_on_forms(staff: Any, school_a: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/check/", {"text": "hi", "role": "staff", "school": "lancastrian"}).status_code == 403
    assert login(strict, "sam-staff", PASSWORD).status_code == 403
    strict.force_login(staff)
    assert strict.post("/school/", {"school": "lancastrian"}).status_code == 403
    assert strict.post("/accounts/logout/").status_code == 403


def test_check_with_csrf_token_works(school_a: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.get("/check/")
    token = strict.cookies["csrftoken"].value
    page = strict.post("/check/", {"text": "hi", "role": "staff", "school": "lancastrian",
                                   "csrfmiddlewaretoken": token})  # fmt: skip
    assert page.status_code == 200


def test_security_headers(client: Client, school_a: Any) -> None:
    page = client.get("/check/")
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in page["Permissions-Policy"]
