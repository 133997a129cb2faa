"""The scan API for scripts: upload with a token, poll, fetch FORMATS.md result lines; school isolation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from postcheck.web.api.models import ApiToken
from postcheck.web.core.models import School
from postcheck.web.scans.models import Scan

from .test_scans import export_zip


@pytest.fixture
def reviewer_token(school_a: School, reviewer: Any) -> str:
    return ApiToken.issue(school_a, reviewer, "lancastrian scans")[1]


def post_scan(client: Client, token: str, **fields: Any) -> Any:
    data = {"archive": SimpleUploadedFile("export.zip", export_zip()), "subject": "Naomi Fielden", "role": "staff",
            **fields}  # fmt: skip
    return client.post("/api/scans", data, headers={"Authorization": f"Bearer {token}"})


def test_a_script_scans_an_export(client: Client, reviewer_token: str) -> None:
    auth = {"Authorization": f"Bearer {reviewer_token}"}
    response = post_scan(client, reviewer_token)
    assert response.status_code == 202, response.content
    scan_id = response.json()["id"]
    status = client.get(f"/api/scans/{scan_id}", headers=auth).json()
    assert status["finished"] and status["state"] == "done" and status["records"] == 40
    results = client.get(f"/api/scans/{scan_id}/results", headers=auth)
    assert results["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in b"".join(results.streaming_content).decode().splitlines()]
    assert len(lines) == status["with_findings"] + status["errors"]
    assert all(set(x) >= {"id", "findings", "error"} for x in lines)
    assert lines[0]["id"] == "e1" and any(f["rule"] == "pupil-named" for f in lines[0]["findings"])
    assert Scan.objects.get(pk=scan_id).via_api


def test_it_needs_a_token(client: Client, school_a: School) -> None:
    assert client.post("/api/scans", {"subject": "X"}).status_code == 401
    assert client.get("/api/scans/1").status_code == 401


def test_a_staff_token_cannot_scan(client: Client, school_a: School, staff: Any) -> None:
    token = ApiToken.issue(school_a, staff, "staff script")[1]
    assert post_scan(client, token).status_code == 403
    assert not Scan.objects.exists()


def test_another_schools_scan_is_404(client: Client, reviewer_token: str, school_b: School, outsider: Any) -> None:
    scan_id = post_scan(client, reviewer_token).json()["id"]
    other = ApiToken.issue(school_b, outsider, "moorside")[1]
    auth = {"Authorization": f"Bearer {other}"}
    assert client.get(f"/api/scans/{scan_id}", headers=auth).status_code == 404
    assert client.get(f"/api/scans/{scan_id}/results", headers=auth).status_code == 404


def test_it_rejects_a_missing_subject_or_bad_role(client: Client, reviewer_token: str) -> None:
    assert post_scan(client, reviewer_token, subject=" ").status_code == 400
    assert post_scan(client, reviewer_token, role="headmaster").status_code in (400, 422)
    assert not Scan.objects.exists()


def test_the_scan_api_is_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/scans", "/api/scans/{scan_id}", "/api/scans/{scan_id}/results"} <= set(paths)
