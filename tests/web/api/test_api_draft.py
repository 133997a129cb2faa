"""POST /api/check/draft: a draft described as the check page describes it (postcheck.drafts)."""

from __future__ import annotations

from typing import Any

from postcheck.web.core.models import School


def test_api_checks_a_draft(post_json: Any, token_a: str) -> None:
    response = post_json("/api/check/draft", {"kind": "friend_accept", "other_role": "pupil"}, token=token_a)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == "draft" and "pupil-friend-accepted" in {f["rule"] for f in body["findings"]}
    timed = post_json("/api/check/draft", {"text": "Lovely day", "at": "2026-11-24T10:30"}, token=token_a)
    assert "working-time" in {f["rule"] for f in timed.json()["findings"]}


def test_api_draft_refuses_what_cannot_be_checked(post_json: Any, token_a: str) -> None:
    assert post_json("/api/check/draft", {"kind": "friend_invite"}, token=token_a).status_code == 422
    assert post_json("/api/check/draft", {"text": "x", "at": "teatime"}, token=token_a).status_code == 422
    assert post_json("/api/check/draft", {"text": "x"}).status_code == 401


def test_api_draft_keeps_to_the_tokens_school(post_json: Any, token_a: str, school_b: School) -> None:
    assert post_json("/api/check/draft?school=moorside", {"text": "x"}, token=token_a).status_code == 403
