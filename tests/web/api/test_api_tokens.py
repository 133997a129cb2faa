"""Managing API tokens: the settings page (managers), the CLI, and what is stored (a hash, never the token)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from postcheck.cli import main
from postcheck.web.api.models import ApiToken
from postcheck.web.core.models import AuditEntry, School


def test_manager_creates_a_token_shown_once(client_for: Callable[[Any], Client], reviewer: Any,
                                            school_a: School, post_json: Any) -> None:  # fmt: skip
    c = client_for(reviewer)
    assert c.get("/api/tokens/").status_code == 200
    page = c.post("/api/lancastrian/tokens/", {"name": "newsletter checker"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    raw = re.search(r'<p class="token-secret">(pc_[\w-]+)</p>', page.content.decode())[1]  # type: ignore[index]
    row = ApiToken.objects.get()
    assert (row.school, row.user, row.name, row.created_by) == (school_a, reviewer, "newsletter checker", reviewer)
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest() and raw not in str(vars(row))
    assert raw[:8] == row.hint
    listing = c.get("/api/tokens/").content.decode()
    assert raw not in listing and row.hint in listing  # never shown again
    assert post_json("/api/check", {"id": "x", "kind": "post", "author": {"name": "a", "role": "staff"}},
                     token=raw).status_code == 200  # fmt: skip
    entry = AuditEntry.objects.get(action="api.token.create")
    assert entry.detail == {"token_user": reviewer.pk} and raw not in str(entry.detail)


def test_revoke(client_for: Callable[[Any], Client], reviewer: Any, school_a: School, token_a: str,
                post_json: Any) -> None:  # fmt: skip
    row = ApiToken.objects.get()
    response = client_for(reviewer).post(f"/api/lancastrian/tokens/{row.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    assert ApiToken.objects.get().revoked
    assert AuditEntry.objects.filter(action="api.token.revoke").count() == 1
    assert post_json("/api/check", {}, token=token_a).status_code == 401


def test_tokens_are_for_managers(client_for: Callable[[Any], Client], staff: Any, parent: Any, outsider: Any,
                                 token_a: str) -> None:  # fmt: skip
    row = ApiToken.objects.get()
    for user in (staff, parent):
        assert client_for(user).get("/api/tokens/").status_code == 403
        assert client_for(user).post("/api/tokens/", {"name": "mine"}).status_code == 403
        assert client_for(user).post(f"/api/tokens/{row.pk}/revoke/").status_code == 403
    assert client_for(outsider).get("/api/lancastrian/tokens/").status_code == 404
    # Another school's token is not there to revoke, even through the outsider's own school's page.
    assert client_for(outsider).post(f"/api/tokens/{row.pk}/revoke/").status_code == 404
    own = client_for(outsider).get("/api/tokens/").content.decode()
    assert "lancastrian nightly scan" not in own
    assert not ApiToken.objects.get().revoked and ApiToken.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_cli_token_create_list_revoke(school_a: School, staff: Any, outsider: Any, post_json: Any) -> None:
    runner = CliRunner()
    made = runner.invoke(main, ["token", "create", "--school", "lancastrian", "--user", "sam-staff",
                                "--name", "nightly scan"])  # fmt: skip
    assert made.exit_code == 0, made.output
    raw = made.stdout.strip().splitlines()[0]
    assert raw.startswith("pc_") and "shown only now" in made.stderr
    row = ApiToken.objects.get()
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest() and row.user == staff
    assert post_json("/api/check", {"id": "x", "kind": "post", "author": {"name": "a", "role": "staff"}},
                     token=raw).status_code == 200  # fmt: skip
    assert AuditEntry.objects.get(action="api.token.create").detail == {"token_user": staff.pk, "via": "cli"}

    listed = runner.invoke(main, ["token", "list", "--school", "lancastrian"])
    assert listed.exit_code == 0 and "nightly scan" in listed.output and raw not in listed.output

    not_member = runner.invoke(main, ["token", "create", "--school", "lancastrian", "--user", "oscar-outsider",
                                      "--name", "x"])  # fmt: skip
    assert not_member.exit_code == 2 and "not a member of lancastrian" in not_member.output
    no_school = runner.invoke(main, ["token", "create", "--school", "nowhere", "--user", "sam-staff", "--name", "x"])
    assert no_school.exit_code == 2 and "no school 'nowhere'" in no_school.output

    revoked = runner.invoke(main, ["token", "revoke", "--school", "lancastrian", str(row.pk)])
    assert revoked.exit_code == 0 and ApiToken.objects.get().revoked
    assert post_json("/api/check", {}, token=raw).status_code == 401
    assert runner.invoke(main, ["token", "revoke", "--school", "moorside", str(row.pk)]).exit_code == 2
