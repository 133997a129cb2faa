"""POST /api/check/draft: one draft described as the check page describes it, for scripts.

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
         -d '{"text": "hi!", "role": "staff", "kind": "friend_accept", "other_role": "pupil"}' \\
         https://postcheck.example/api/check/draft

The record is made by postcheck.drafts, as for the check page and ``postcheck check --text``,
so the three give the same findings for the same draft. Nothing of it is stored or logged.
"""

# No `from __future__ import annotations`: ninja reads the payload type through a decorator's wrapper.
import json
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.views.decorators.debug import sensitive_variables
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from postcheck import drafts, limits
from postcheck.web.api.models import ApiToken
from postcheck.web.api.schemas import ErrorOut, ResultOut
from postcheck.web.core.budget import check_records

router = Router(tags=["check"])
Kind = Literal["post", "comment", "share", "blog", "message", "profile", "friend_invite", "friend_accept"]


class DraftIn(Schema):
    text: str = Field("", max_length=20_000)
    # Roles are the school's rulebook's (checked in check_draft): staff, governor, parent or carer for the bundled one.
    role: str = Field("staff", max_length=32, description="The author's role: one the school's rulebook binds.")
    kind: Kind = "post"
    audience: Literal["public", "friends", "group", "private"] | None = None
    other_role: str | None = Field(None, max_length=32,
                                   description="A friend request's other side (needed), or whom a comment answers: "
                                               "a role the school's rulebook declares.")  # fmt: skip
    photo: bool = False
    caption: str = Field("", max_length=2000)
    own_children: list[str] = Field([], max_length=20, description="Names of the author's own children.")
    at: str | None = Field(None, description="When it will be posted: ISO 8601 (no offset = the school's local "
                                             "time) or 'now'. Left out, the time rules are not judged.")  # fmt: skip


@router.post("/draft", response={200: ResultOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
             summary="Check one draft, described as the check page describes it", url_name="check_draft")  # fmt: skip
@sensitive_variables("payload", "draft")
def check_draft(request: HttpRequest, payload: DraftIn, school: str | None = None) -> HttpResponse:
    """Check one draft: what it is (`kind`), who sees it, a photo and its caption, the author's own
    children, when it will be posted. The answer is one result (FORMATS.md section 3), id `draft`."""
    from postcheck.web.api.api import _school

    token: ApiToken = request.auth  # type: ignore[attr-defined]
    checker = _school(token, school).checker()
    book = checker.rulebook
    if payload.role not in book.bound_roles:
        raise HttpError(422, f"role: one of {', '.join(book.bound_roles)} (the school's rulebook's roles).")
    if payload.other_role is not None and payload.other_role not in book.roles:
        raise HttpError(422, f"other_role: one of {', '.join(book.roles)} (the school's rulebook's roles).")
    zone = checker.school.zone
    try:
        when = drafts.parse_when(payload.at, zone) if payload.at else None
        draft = drafts.Draft(text=payload.text, role=payload.role, kind=payload.kind, audience=payload.audience,
                             when=when, other_role=payload.other_role, photo=payload.photo, caption=payload.caption,
                             own_children=tuple(n for n in payload.own_children if n.strip()))  # fmt: skip
        record = drafts.build(draft, zone)
    except drafts.DraftError as exc:
        raise HttpError(422, str(exc)) from None
    result: Any = check_records(checker, [record], limits.API, numbered=False)[0]
    # Written as POST /api/check writes a result (possible findings included, which ResultOut does not list).
    body = json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "backslashreplace")
    return HttpResponse(body, content_type="application/json; charset=utf-8")
