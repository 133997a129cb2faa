"""Sign-in limits per username across addresses and per address, and X-Forwarded-For read only
from configured proxies: a client cannot pick its own address by sending the header."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings

from postcheck.web.core.ratelimit import client_ip

PASSWORD = "correct horse battery staple"  # the personas' password (conftest.py)


def login(username: str, password: str, ip: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": ip} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    page = Client().post("/accounts/login/", {"username": username, "password": password}, **extra)
    return "signed in" if page.status_code == 302 else ("locked" if "Too many failed" in page.content.decode()
                                                         else "refused")  # fmt: skip


def test_a_username_is_limited_across_addresses(staff: Any, parent: Any) -> None:
    for i in range(5):  # five guesses, each from a new address
        assert login("sam-staff", "wrong", ip=f"203.0.113.{i + 1}") == "refused"
    assert login("sam-staff", PASSWORD, ip="198.51.100.99") == "locked"  # a sixth address: still locked
    assert login("SAM-STAFF ", PASSWORD, ip="198.51.100.98") == "locked"  # the same account, spelt otherwise
    assert login("pat-parent", PASSWORD, ip="203.0.113.1") == "signed in"  # other users are not affected


@override_settings(POSTCHECK_LOGIN_MAX_FAILURES_PER_ADDRESS=8)
def test_an_address_is_limited_across_usernames(staff: Any) -> None:
    for i in range(8):  # spraying: one guess for each of many usernames, from one address
        assert login(f"guess-{i}", "wrong", ip="203.0.113.50") == "refused"
    assert login("sam-staff", PASSWORD, ip="203.0.113.50") == "locked"
    assert login("sam-staff", PASSWORD, ip="203.0.113.51") == "signed in"  # the account itself is not locked


@override_settings(POSTCHECK_LOGIN_MAX_FAILURES_PER_ADDRESS=8, POSTCHECK_TRUSTED_PROXIES=[])
def test_forwarded_for_from_an_untrusted_client_is_ignored(staff: Any) -> None:
    for i in range(8):  # a new made-up X-Forwarded-For each time does not make a new address
        assert login(f"guess-{i}", "wrong", ip="203.0.113.60", forwarded=f"192.0.2.{i}") == "refused"
    assert login("sam-staff", PASSWORD, ip="203.0.113.60", forwarded="192.0.2.200") == "locked"


@override_settings(POSTCHECK_LOGIN_MAX_FAILURES_PER_ADDRESS=8, POSTCHECK_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_forwarded_for_through_a_trusted_proxy_names_the_client(staff: Any) -> None:
    for i in range(8):  # the client made up the left part; the proxy wrote the real address
        assert login(f"guess-{i}", "wrong", ip="10.0.0.2", forwarded=f"192.0.2.{i}, 203.0.113.70") == "refused"
    assert login("sam-staff", PASSWORD, ip="10.0.0.2", forwarded="203.0.113.70") == "locked"
    assert login("sam-staff", PASSWORD, ip="10.0.0.2", forwarded="203.0.113.71") == "signed in"


@pytest.mark.parametrize(("proxies", "remote", "forwarded", "expected"), [
    ([], "203.0.113.9", "192.0.2.1", "203.0.113.9"),  # no proxy configured: the header means nothing
    (["10.0.0.0/8"], "203.0.113.9", "192.0.2.1", "203.0.113.9"),  # the client is not a proxy
    (["10.0.0.0/8"], "10.0.0.2", "192.0.2.1", "192.0.2.1"),
    (["10.0.0.0/8"], "10.0.0.2", "6.6.6.6, 192.0.2.1", "192.0.2.1"),  # the client's own entry is skipped
    (["10.0.0.0/8"], "10.0.0.2", "192.0.2.1, 10.0.0.7", "192.0.2.1"),  # two proxies in a chain
    (["10.0.0.0/8"], "10.0.0.2", "not-an-ip, 10.0.0.7", "10.0.0.7"),  # garbage: stop at the last proxy
    (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
    (["127.0.0.1", "::1"], "::1", "2001:db8::5", "2001:db8::5"),
])  # fmt: skip
def test_client_ip(proxies: list[str], remote: str, forwarded: str, expected: str) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(POSTCHECK_TRUSTED_PROXIES=proxies):
        assert client_ip(request) == expected


def test_proxy_settings_from_the_environment(tmp_path: Path) -> None:
    def proxies(**env: str) -> subprocess.CompletedProcess[str]:
        code = "from postcheck.web import settings; print(settings.POSTCHECK_TRUSTED_PROXIES)"
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                              env={**os.environ, "POSTCHECK_DATA_DIR": str(tmp_path), **env})  # fmt: skip

    bad = proxies(POSTCHECK_TRUSTED_PROXIES="10.0.0.0/8,proxy.example")  # a typo stops the server at start
    assert bad.returncode != 0 and "'proxy.example' is not an address or network" in bad.stderr
    assert proxies(POSTCHECK_TRUST_X_FORWARDED_FOR="1").stdout.strip() == "['127.0.0.1', '::1']"
    assert proxies().stdout.strip() == "[]"
