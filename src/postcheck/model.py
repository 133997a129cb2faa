"""The interchange model: records in, findings out (../shared/spec/FORMATS.md).

Records are validated with pydantic so that a bad line is reported with the
field that is wrong. Unknown fields are kept (``extra="allow"``): FORMATS.md
lets front ends add optional fields, and nothing a user gave is dropped.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from postcheck.limits import CLI, Limits, check_shape, scrub


class Role(StrEnum):
    """The roles FORMATS.md names: the bundled rulebook's roles, and every rulebook's default.

    A rulebook may declare its own (``roles:``, postcheck.rulebook): an instructor, a student, a
    client. Records carry any role name (:class:`RoleName`); the checker refuses one that its
    rulebook does not declare, so the list lives in the rulebook, not here.
    """

    staff = "staff"
    governor = "governor"
    parent = "parent"
    carer = "carer"
    pupil = "pupil"
    public = "public"

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        # Another rulebook's role (instructor, client) is a role too: a detector parameter that
        # takes roles (friend_connection's counterparty_roles) takes the rulebook's own.
        if isinstance(value, str) and _ROLE_NAME.fullmatch(value):
            member = str.__new__(cls, value)
            member._name_, member._value_ = value, value
            return member
        return None


class RoleName(str):
    """A role as a record gives it. ``.value`` as an enum member has, so code written for
    :class:`Role` (``role.value``, ``role == Role.pupil``) reads any rulebook's roles alike."""

    __slots__ = ()

    @property
    def value(self) -> str:
        return str.__str__(self)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(
            cls._check, core_schema.str_schema(), serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def _check(cls, value: str) -> RoleName:
        if not _ROLE_NAME.fullmatch(value):
            raise ValueError("a role is a lower-case word such as 'staff' or 'parent'")
        return cls(value)


_ROLE_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")

RecordKind = Literal[
    "post", "comment", "blog", "message", "profile", "friend_accept", "friend_invite", "share"
]
Severity = Literal["breach", "advisory"]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=False)


class Person(_Open):
    name: str
    role: RoleName
    handle: str | None = None
    email: str | None = None
    # Optional (FORMATS.md allows added fields): a policy about under-18s reads a recipient's age.
    age: int | None = Field(None, ge=0, le=150)


class ReplyTo(_Open):
    author: Person | None = None
    text: str = ""


class Profile(_Open):
    employer: str | None = None
    bio: str | None = None
    website: str | None = None
    visibility: Literal["public", "friends", "private"] | None = None


class Attachment(_Open):
    type: Literal["image", "video", "document"]
    path: str | None = None
    caption: str | None = None
    alt_text: str | None = None


class Location(_Open):
    place: str | None = None
    on_school_site: bool | None = None


class Via(_Open):
    network: Literal["school", "home", "mobile"] | None = None
    account_email: str | None = None


class Record(_Open):
    id: str = Field(min_length=1)
    kind: RecordKind
    platform: str | None = None
    created_at: datetime | None = None
    author: Person
    audience: Literal["public", "friends", "group", "private"] | None = None
    title: str | None = None
    text: str = ""
    links: list[str] = Field(default_factory=list)
    in_reply_to: ReplyTo | None = None
    counterparty: Person | None = None
    profile: Profile | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    location: Location | None = None
    via: Via | None = None

    @field_validator("created_at")
    @classmethod
    def _needs_offset(cls, value: datetime | None) -> datetime | None:
        # RFC 3339 requires an offset; a naive time cannot be placed in the
        # school's time zone without guessing, and the time rules depend on it.
        if value is not None and value.tzinfo is None:
            raise ValueError("created_at needs a UTC offset (RFC 3339), e.g. 2026-10-05T12:35:00+01:00")
        return value

    def field_text(self, field: str) -> str:
        """The string behind a span's ``field`` name (``text``, ``profile.bio``, ...)."""
        return _field_value(self, field)


def _field_value(record: Record, field: str) -> str:
    node: Any = record
    for part in field.replace("]", "").replace("[", ".").split("."):
        if node is None:
            return ""
        node = node[int(part)] if part.isdigit() else getattr(node, part, None)
    return node if isinstance(node, str) else ""


class Span(BaseModel):
    start: int
    end: int
    field: str = "text"
    text: str = ""


class ModelScore(BaseModel):
    """Why a model-based finding fired: which head, its score, and the rule's threshold."""

    name: str
    score: float
    threshold: float


class Finding(BaseModel):
    rule: str
    clauses: list[str]
    severity: Severity
    message: str
    spans: list[Span] = Field(default_factory=list)
    # Optional additions (FORMATS.md allows them): how sure, whom it is aimed at, advice.
    confidence: float | None = None
    target: str | None = None
    advice: str | None = None
    model: ModelScore | None = None  # set when a trained model's score decided the finding
    # Set when the trained judge decided the finding's clauses from a reading of the whole record
    # (postcheck.judge): its calibrated probability for the clause and the clause's threshold.
    judge: ModelScore | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class Result(BaseModel):
    id: str | None
    findings: list[Finding] = Field(default_factory=list)
    error: str | None = None
    line: int | None = None
    # Optional (FORMATS.md allows added fields): findings below the judge's confidence threshold.
    # Shown apart as "possible", never mixed with findings and never counted by the exit status.
    possible: list[Finding] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "findings": [f.to_json() for f in self.findings],
            "error": self.error,
        }
        if self.possible:
            out["possible"] = [f.to_json() for f in self.possible]
        if self.line is not None:
            out["line"] = self.line
        return out


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each bad field and why: 'author.role: must be one of ...'."""
    parts = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "record"
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"must be one of {expected}"
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)


def parse_record(data: Any, limits: Limits | None = None) -> Record:
    """Validate one decoded JSON value as a record; raises ValueError with a clear message.

    ``limits`` (postcheck.limits; the CLI's by default) bound nesting, list sizes and text
    length before pydantic or any detector reads the record.
    """
    if not isinstance(data, dict):
        raise ValueError(f"a record must be a JSON object, not {type(data).__name__}")
    check_shape(data, limits or CLI)
    try:
        record = Record.model_validate(scrub(data))
    except ValidationError as exc:
        raise ValueError(describe_validation_error(exc)) from None
    # A lone surrogate is read as U+FFFD, except in the id: the result must name the record
    # exactly as it was given, and the writers can write it (reporters.base.writable_anything).
    record.id = data["id"]
    return record
