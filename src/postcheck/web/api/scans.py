"""Export scans for scripts: POST /api/scans (upload), GET /api/scans/{id} (poll), GET /api/scans/{id}/results.

    curl -H "Authorization: Bearer $TOKEN" -F archive=@export.zip -F subject="Sam Jones" -F role=staff \\
         https://postcheck.example/api/scans
    curl -H "Authorization: Bearer $TOKEN" https://postcheck.example/api/scans/12            # until finished
    curl -H "Authorization: Bearer $TOKEN" https://postcheck.example/api/scans/12/results    # JSON Lines

The results are FORMATS.md section 3 result lines, one per record that had findings or could not
be read, in export order (a clean record is counted in the scan, not stored). The token's user must
be one of its school's reviewers; another school's scan is a 404, as everywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from postcheck.web.api.models import ApiToken
from postcheck.web.cases.access import can_review
from postcheck.web.scans.models import Scan, SubjectRole
from postcheck.web.scans.starting import UploadRefused, start_scan

router = Router(tags=["scans"])


class ScanOut(Schema):
    id: int
    state: str
    state_label: str
    finished: bool
    platform: str
    records: int
    with_findings: int
    breaches: int
    possible: int
    advisories: int
    errors: int
    records_per_s: float | None = None
    cancel_requested: bool
    failure: str
    archive_deleted: bool


class ErrorOut(Schema):
    detail: str


def _reviewer_token(request: HttpRequest) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if not can_review(token.user, token.school_id):
        raise HttpError(403, "Scanning exports needs a token of one of the school's reviewers.")
    return token


def _scan(request: HttpRequest, scan_id: int) -> Scan:
    token = _reviewer_token(request)
    scan = Scan.objects.filter(pk=scan_id, school_id=token.school_id).first()
    if scan is None:  # another school's scan looks exactly like no scan
        raise HttpError(404, "No such scan.")
    return scan


@router.post("", response={202: ScanOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut},
             summary="Upload an export and queue its scan", url_name="scans")  # fmt: skip
def create_scan(request: HttpRequest, archive: File[UploadedFile], subject: Form[str],
                role: Form[str] = SubjectRole.STAFF.value) -> Status:  # fmt: skip
    """Upload an export (a .zip, or a single JSON or XML file) as multipart form data, with whose it is
    (`subject`) and their role (one the school's rulebook binds: staff, governor, parent or carer for the
    bundled one). The scan is queued; poll GET /api/scans/{id} until `finished` is true."""
    token = _reviewer_token(request)
    if not subject.strip() or len(subject) > 200:
        raise HttpError(400, "subject: the name of the person whose export it is (1 to 200 characters).")
    bound = token.school.checker().rulebook.bound_roles  # the school's rulebook says which roles exist
    if role not in bound:
        raise HttpError(400, f"role: one of {', '.join(bound)}.")
    try:
        scan = start_scan(token.school, token.user, archive, subject.strip(), role, via_api=True)
    except UploadRefused as exc:
        raise HttpError(413 if "largest" in str(exc) else 400, str(exc)) from None
    return Status(202, scan.progress())


@router.get("/{scan_id}", response={200: ScanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            summary="A scan's state and counts", url_name="scan")  # fmt: skip
def get_scan(request: HttpRequest, scan_id: int) -> dict[str, Any]:
    return _scan(request, scan_id).progress()


@router.get("/{scan_id}/results", response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            summary="The scan's results as FORMATS.md result lines (JSON Lines)", url_name="scan_results")  # fmt: skip
def get_results(request: HttpRequest, scan_id: int) -> StreamingHttpResponse:
    """One line per record with findings or an error, in export order; streamed, so any size of scan works."""
    scan = _scan(request, scan_id)

    def lines() -> Iterator[str]:
        for line in scan.found.order_by("seq").values_list("result_json", flat=True).iterator(chunk_size=1000):
            yield json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["X-Postcheck-Scan-State"] = scan.state
    return response
