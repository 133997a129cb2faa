"""The API's response shapes, for the OpenAPI schema (FORMATS.md section 3 for results).

POST /api/check writes its JSON itself (fast path); these describe it for the docs and clients.
"""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema

from postcheck.model import Record

MAX_RECORDS = 1000
MAX_BODY_BYTES = 1024 * 1024


class SpanOut(Schema):
    start: int
    end: int
    field: str = "text"
    text: str = ""


class ModelScoreOut(Schema):
    name: str
    score: float
    threshold: float


class FindingOut(Schema):
    rule: str
    clauses: list[str]
    severity: Literal["breach", "advisory"]
    message: str
    spans: list[SpanOut] = []
    confidence: float | None = None
    target: str | None = None
    advice: str | None = None
    model: ModelScoreOut | None = None  # set when a trained model's score decided the finding
    judge: ModelScoreOut | None = None  # set when the trained judge decided the clauses: probability, threshold


class ResultOut(Schema):
    id: str | None
    findings: list[FindingOut]
    error: str | None = None
    line: int | None = None  # in a list: the record's 1-based position
    # Below the judge's confidence threshold: shown apart, never counted as findings (absent when none).
    possible: list[FindingOut] = []


class ErrorOut(Schema):
    detail: str


class ClauseOut(Schema):
    ref: str
    section: str
    covers: str
    who: list[str]
    kind: Literal["breach", "advisory"]
    text: str


class RuleOut(Schema):
    name: str
    code: str
    clauses: list[str]
    roles: list[str]
    severity: Literal["breach", "advisory"]
    accounts: str
    kinds: list[str] | None = None
    message: str
    advice: str
    doc: str


class RulesOut(Schema):
    rulebook: str
    version: str
    school: str
    clauses: list[ClauseOut]
    rules: list[RuleOut]


def record_components() -> dict[str, Any]:
    """FORMATS.md section 1 (the Record model) as OpenAPI component schemas, 'Record' among them."""
    schema = Record.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {**defs, "Record": schema}


CHECK_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": f"One record (FORMATS.md section 1), or a list of at most {MAX_RECORDS}; "
                   f"the body is at most {MAX_BODY_BYTES // 1024} KB.",
    "content": {"application/json": {
        "schema": {"oneOf": [
            {"$ref": "#/components/schemas/Record"},
            {"type": "array", "items": {"$ref": "#/components/schemas/Record"}, "maxItems": MAX_RECORDS},
        ]},
        "examples": {
            "one": {"summary": "One record", "value": {
                "id": "p1", "kind": "post", "author": {"name": "A teacher", "role": "staff"},
                "created_at": "2026-10-05T20:15:00+01:00", "text": "Millie read to the whole class today!"}},
            "list": {"summary": "A list", "value": [
                {"id": "p1", "kind": "post", "author": {"name": "A parent", "role": "parent"},
                 "text": "Lovely sports day, thank you all"},
                {"id": "p2", "kind": "friend_accept", "author": {"name": "A teacher", "role": "staff"},
                 "counterparty": {"name": "A pupil", "role": "pupil"}}]},
        },
    }},
}  # fmt: skip
