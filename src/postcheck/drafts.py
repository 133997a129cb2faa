"""One draft, made into a FORMATS.md record the same way for the CLI, the check page and the API.

A person checking a draft says what it is (a post, a reply, a friend request to a
parent...), who will see it, whether it carries a photo and whether the child it names
is their own. Each of those changes what the policy says, so every front end builds
the record here rather than each guessing its own shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from postcheck.model import Record, parse_record

# What the author does, in the words a form shows; the keys are FORMATS.md record kinds.
KINDS: dict[str, str] = {
    "post": "A post",
    "comment": "A comment or reply",
    "share": "A share of someone else's post",
    "blog": "A blog entry",
    "message": "A private message",
    "profile": "My profile (bio)",
    "friend_invite": "A friend request I send",
    "friend_accept": "A friend request I accept",
}
FRIEND_KINDS = frozenset({"friend_invite", "friend_accept"})
AUDIENCES: dict[str, str] = {
    "public": "Anyone (public)",
    "friends": "My friends or followers",
    "group": "A group",
    "private": "One person (a private message)",
}
AUTHOR_ROLES = ("staff", "governor", "parent", "carer")
# The other side of a friend request, or the author of what a reply answers.
OTHER_ROLES: dict[str, str] = {
    "pupil": "A pupil",
    "parent": "A parent",
    "carer": "A carer",
    "staff": "A member of staff",
    "governor": "A governor",
    "public": "Someone else",
}
# A counterparty needs a name in FORMATS.md; a draft never has one, so the role alone decides.
OTHER_NAME = "the other person"


class DraftError(ValueError):
    """The draft cannot be checked as given; the message says which part to change."""


@dataclass(frozen=True)
class Draft:
    text: str = ""
    role: str = "staff"
    kind: str = "post"
    audience: str | None = None
    # Naive: the school's wall clock. None: no time, so the time rules cannot be judged.
    when: datetime | None = None
    other_role: str | None = None  # friend requests: the other side; comments: whom the reply answers
    photo: bool = False
    caption: str = ""
    own_children: tuple[str, ...] = field(default_factory=tuple)  # names of the author's own children


def now_local(zone: tzinfo) -> datetime:
    """Now on the school's wall clock, to the minute, with no zone (what a time input shows)."""
    return datetime.now(zone).replace(second=0, microsecond=0, tzinfo=None)


def parse_when(value: str, zone: tzinfo) -> datetime:
    """An ISO 8601 time (no offset = the school's local time) or ``now``."""
    value = value.strip()
    if value.lower() == "now":
        return now_local(zone)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise DraftError(f"{value!r} is not a time such as 2026-11-24T10:30, or 'now'") from None


def split_names(value: str) -> tuple[str, ...]:
    """'Jack, Amelia Hart' -> ('Jack', 'Amelia Hart'): how a form or option lists own children."""
    return tuple(n for n in (" ".join(part.split()) for part in value.replace(";", ",").split(",")) if n)


def build(draft: Draft, zone: tzinfo) -> Record:
    """The draft as a record with id ``draft``, in memory only. Raises DraftError for an impossible draft."""
    if draft.kind not in KINDS:
        raise DraftError(f"unknown kind {draft.kind!r}; choose one of {', '.join(KINDS)}")
    if draft.kind in FRIEND_KINDS and not draft.other_role:
        raise DraftError("say whom the friend request is with: a pupil, a parent, a member of staff...")
    author: dict[str, Any] = {"name": "you", "role": draft.role}
    if draft.own_children:
        author["own_children"] = list(draft.own_children)  # optional field (FORMATS.md); detectors/names.py
    data: dict[str, Any] = {"id": "draft", "kind": draft.kind, "author": author}
    if draft.kind == "profile":
        # A profile's words are its bio; who can see it is the profile's visibility.
        data["profile"] = {"bio": draft.text}
        if draft.audience in ("public", "friends", "private"):
            data["profile"]["visibility"] = draft.audience
    else:
        data["text"] = draft.text
    if draft.audience:
        data["audience"] = draft.audience
    if draft.other_role and draft.kind in FRIEND_KINDS:
        data["counterparty"] = {"name": OTHER_NAME, "role": draft.other_role}
    elif draft.other_role and draft.kind == "comment":
        data["in_reply_to"] = {"author": {"name": OTHER_NAME, "role": draft.other_role}}
    if draft.photo or draft.caption:
        data["attachments"] = [{"type": "image", **({"caption": draft.caption} if draft.caption else {})}]
    if draft.when is not None:
        when = draft.when if draft.when.tzinfo else draft.when.replace(tzinfo=zone)
        data["created_at"] = when.isoformat()
    try:
        return parse_record(data)
    except ValueError as exc:
        raise DraftError(str(exc)) from None
