"""POST /api/check and GET /api/rules: authentication, school scoping, one record and lists, errors, limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.test import Client
from django.utils import timezone

from postcheck.web.api.models import ApiToken
from postcheck.web.api.schemas import MAX_RECORDS
from postcheck.web.core.models import Membership, School

SPEC = Path(__file__).resolve().parents[4] / "shared" / "spec"  # beside the repository, as tests/conftest.py has it
RESULT_SCHEMA = json.loads((SPEC / "result.schema.json").read_text(encoding="utf-8")) if SPEC.is_dir() else None

BREACH = {"id": "p1", "kind": "post", "author": {"name": "A teacher", "role": "staff"},
          "created_at": "2026-10-05T20:15:00+01:00", "text": "So proud of Poppy Ashworth in my class today!"}
CLEAN = {"id": "p2", "kind": "post", "author": {"name": "A parent", "role": "parent"},
         "created_at": "2026-10-05T20:15:00+01:00", "text": "Lovely sunny walk in the hills today."}
BAD = {"id": "p3", "kind": "post", "author": {"name": "Someone", "role": "headmaster"}, "text": "hello"}  # fmt: skip


def valid(result: dict[str, Any]) -> dict[str, Any]:
    if RESULT_SCHEMA is None:
        pytest.skip("the shared spec (result.schema.json) is not beside the repository")
    jsonschema.validate(result, RESULT_SCHEMA)
    return result


def test_no_token_is_401(post_json: Any, school_a: School) -> None:
    response = post_json("/api/check", BREACH)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]
    assert post_json("/api/check", BREACH, token="pc_not-a-real-token").status_code == 401
    client = Client()
    assert client.post("/api/check", BREACH, content_type="application/json",
                       headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401  # fmt: skip
    assert client.get("/api/rules").status_code == 401


def test_revoked_token_is_401(post_json: Any, token_a: str) -> None:
    assert post_json("/api/check", BREACH, token=token_a).status_code == 200
    ApiToken.objects.get().revoke()
    response = post_json("/api/check", BREACH, token=token_a)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_token_of_a_former_member_is_401(post_json: Any, token_a: str, staff: Any) -> None:
    Membership.objects.filter(user=staff).delete()
    assert post_json("/api/check", BREACH, token=token_a).status_code == 401
    Membership.objects.create(user=staff, school=ApiToken.objects.get().school, role="staff")
    staff.is_active = False
    staff.save()
    assert post_json("/api/check", BREACH, token=token_a).status_code == 401


def test_token_of_school_a_cannot_check_as_school_b(post_json: Any, token_a: str, token_b: str) -> None:
    for school in ("moorside", "no-such-school"):  # the same answer whether or not the school exists
        response = post_json(f"/api/check?school={school}", BREACH, token=token_a)
        assert response.status_code == 403 and f"not '{school}'" in response.json()["detail"]
    assert post_json("/api/check?school=lancastrian", BREACH, token=token_a).status_code == 200
    assert post_json("/api/check?school=lancastrian", BREACH, token=token_b).status_code == 403
    assert post_json("/api/rules?school=lancastrian", None, token=token_b).status_code == 405  # GET only
    assert Client().get("/api/rules?school=lancastrian", headers={"Authorization": f"Bearer {token_b}"}
                        ).status_code == 403  # fmt: skip


def test_one_record(post_json: Any, token_a: str) -> None:
    response = post_json("/api/check", BREACH, token=token_a)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    result = valid(response.json())
    assert result["id"] == "p1" and result["error"] is None
    named = next(f for f in result["findings"] if f["rule"] == "pupil-named")
    assert named["severity"] == "breach" and "SN.names" in named["clauses"]
    span = named["spans"][0]
    assert BREACH["text"][span["start"]:span["end"]] == "Poppy Ashworth" and span["field"] == "text"


def test_the_school_decides_the_roster(post_json: Any, token_a: str, token_b: str) -> None:
    # Poppy Ashworth is a Lancastrian pupil, not a Moorside one: each token checks against its own school.
    a = post_json("/api/check", BREACH, token=token_a).json()
    b = post_json("/api/check", BREACH, token=token_b).json()
    assert "pupil-named" in {f["rule"] for f in a["findings"]}
    assert "pupil-named" not in {f["rule"] for f in b["findings"]}


def test_a_list_in_order_with_a_bad_record(post_json: Any, token_a: str) -> None:
    response = post_json("/api/check", [BREACH, BAD, CLEAN, 42], token=token_a)
    assert response.status_code == 200
    results = response.json()
    assert [r["id"] for r in results] == ["p1", "p3", "p2", None]
    for r in results:
        valid(r)
    assert results[0]["findings"] and results[0]["error"] is None
    assert "author.role" in results[1]["error"] and results[1]["findings"] == []
    assert results[2] == {"id": "p2", "findings": [], "error": None, "line": 3}
    assert "JSON object" in results[3]["error"]
    assert post_json("/api/check", [], token=token_a).json() == []


@pytest.mark.parametrize(("raw", "status", "message"), [
    (b"{not json", 400, "not valid JSON"),
    (b'"a string"', 422, "one record (a JSON object) or a list"),
    (b"\xff\xfe", 400, "not valid JSON"),
])  # fmt: skip
def test_bad_bodies(post_json: Any, token_a: str, raw: bytes, status: int, message: str) -> None:
    response = post_json("/api/check", None, token=token_a, raw=raw)
    assert response.status_code == status and message in response.json()["detail"]


def test_size_limits(post_json: Any, token_a: str) -> None:
    too_many = post_json("/api/check", [CLEAN] * (MAX_RECORDS + 1), token=token_a)
    assert too_many.status_code == 413 and "at most 1024 KB and 1000 records" in too_many.json()["detail"]
    big = {**CLEAN, "text": "x" * (1024 * 1024)}
    too_big = post_json("/api/check", big, token=token_a)
    assert too_big.status_code == 413 and "bytes" in too_big.json()["detail"]
    assert post_json("/api/check", [CLEAN] * MAX_RECORDS, token=token_a).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(post_json: Any, token_a: str) -> None:
    assert ApiToken.objects.get().last_used_at is None
    post_json("/api/check", CLEAN, token=token_a)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    post_json("/api/check", CLEAN, token=token_a)
    assert ApiToken.objects.get().last_used_at == first  # within the minute: not written again
    ApiToken.objects.update(last_used_at=first - timezone.timedelta(minutes=2))
    post_json("/api/check", CLEAN, token=token_a)
    assert ApiToken.objects.get().last_used_at > first


def test_rules(token_a: str) -> None:
    response = Client().get("/api/rules", headers={"Authorization": f"Bearer {token_a}"})
    assert response.status_code == 200
    body = response.json()
    assert body["school"] == "Lancastrian Infant School" and body["version"]
    clauses = {c["ref"]: c for c in body["clauses"]}
    assert clauses["IC.e"]["text"] == "DO NOT bring Lancastrian Infant School into disrepute."
    assert clauses["SN.names"]["who"] == ["staff"]
    rule = next(r for r in body["rules"] if r["name"] == "pupil-named")
    assert rule["code"] == "PC102" and rule["doc"] and rule["advice"] and "SN.names" in rule["clauses"]


def test_openapi_schema_and_docs(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/check" in schema["paths"] and "/api/rules" in schema["paths"]
    check = schema["paths"]["/api/check"]["post"]
    assert {"200", "401", "403", "413", "422"} <= set(check["responses"])
    body = check["requestBody"]["content"]["application/json"]["schema"]
    assert body["oneOf"][0] == {"$ref": "#/components/schemas/Record"}
    components = schema["components"]
    assert "Record" in components["schemas"] and "Person" in components["schemas"]
    assert components["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn.jsdelivr" not in docs.content  # served from the app's static files: works offline
    assert "'unsafe-inline'" not in docs["Content-Security-Policy"]  # Swagger UI runs under the strict policy
