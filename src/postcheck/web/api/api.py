"""The HTTP API (django-ninja): POST /api/check, GET /api/rules; OpenAPI at /api/openapi.json, docs at /api/docs.

POST /api/check is the fast path: the token lookup is one query, the school's Checker is
the cached one (core.checkers), the body is parsed and the results written here without
ninja's model validation, and nothing is written to the database except the token's
last_used_at (at most once a minute). Nothing of a record is stored or logged.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.debug import sensitive_variables
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError

from postcheck import limits
from postcheck.exports._json import BadItem, iter_array
from postcheck.limits import loads
from postcheck.model import Result
from postcheck.web.api import schemas
from postcheck.web.api.auth import TokenAuth
from postcheck.web.api.models import ApiToken
from postcheck.web.core.budget import check_records
from postcheck.web.core.models import School

ERRORS = {401: schemas.ErrorOut, 403: schemas.ErrorOut, 413: schemas.ErrorOut, 422: schemas.ErrorOut,
          400: schemas.ErrorOut}  # fmt: skip


class AccessibleSwagger(Swagger):
    template = "api/swagger.html"


class PostcheckAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(schemas.record_components())
        return schema


api = PostcheckAPI(
    title="postcheck API",
    version="1",
    description=(
        "Check social media posts against the school's social media policy. Authenticate with "
        "`Authorization: Bearer <token>`; a manager creates tokens under Settings → API tokens, or "
        "`postcheck token create --school SLUG --user USERNAME --name NAME`. See docs/api.md."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    # No deep links: Swagger UI then puts a link inside each section's toggle (axe: nested-interactive).
    docs=AccessibleSwagger(settings={"deepLinking": False}),
)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = str(exc)
    if message == "Unauthorized":  # ninja's own: no Authorization header, or not a Bearer one
        message = "Authentication needed: send 'Authorization: Bearer <token>'."
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="postcheck"'
    return response


def _school(token: ApiToken, wanted: str | None) -> School:
    if wanted and wanted != token.school.slug:
        # The same answer whether or not such a school exists: a token reveals nothing beyond its own school.
        raise HttpError(403, f"This token checks for one school only ('{token.school.slug}'), not '{wanted}'.")
    return token.school


@sensitive_variables("body", "data")
def _read_records(request: HttpRequest) -> Any:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = f"at most {schemas.MAX_BODY_BYTES // 1024} KB and {schemas.MAX_RECORDS} records"
    if length > schemas.MAX_BODY_BYTES:
        raise HttpError(413, f"The body is {length} bytes; send {limit} per request.")
    try:
        body = request.body
    except RequestDataTooBig:
        raise HttpError(413, f"The body is too large; send {limit} per request.") from None
    if len(body) > schemas.MAX_BODY_BYTES:
        raise HttpError(413, f"The body is {len(body)} bytes; send {limit} per request.")
    if body.lstrip()[:1] == b"[":
        return _read_list(body, limit)
    try:
        data = loads(body)
    except (UnicodeDecodeError, ValueError) as exc:  # broken, nested too deep, a number too big
        raise HttpError(400, f"The body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise HttpError(422, "Send one record (a JSON object) or a list of records (a JSON array).")
    return data


def _read_list(body: bytes, limit: str) -> list[Any]:
    """A list read item by item: a broken item (bad JSON, too deep, a huge number) becomes an
    error result in its place, and the items after it are still checked."""
    items: list[Any] = []
    try:
        for item in iter_array(io.BytesIO(body)):
            if len(items) == schemas.MAX_RECORDS:
                raise HttpError(413, f"Over {schemas.MAX_RECORDS} records in one request; send {limit} per request.")
            items.append(Result(id=None, error=f"not read: {item.reason}") if isinstance(item, BadItem) else item)
    except (UnicodeDecodeError, ValueError) as exc:  # cut short, or junk after the list
        raise HttpError(400, f"The body is not valid JSON: {exc}") from None
    return items


@api.post("/check", response={200: schemas.ResultOut | list[schemas.ResultOut], **ERRORS},
          openapi_extra={"requestBody": schemas.CHECK_REQUEST_BODY}, summary="Check records against the policy",
          url_name="check")  # fmt: skip
def check(request: HttpRequest, school: str | None = None) -> HttpResponse:
    """Check one record, or a list of records in order (FORMATS.md section 1), and return the results
    (FORMATS.md section 3): one result for one record, a list for a list. A record that cannot be checked
    gets a result with `error` set; the others are still checked. `school` (optional) must be the token's school.
    """
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    checker = _school(token, school).checker()
    data = _read_records(request)
    # Validated against the API's limits (postcheck.limits.API), then checked within the
    # request's time budget; a long request waits at the long-check gate (core.budget).
    many = isinstance(data, list)
    results = check_records(checker, data if many else [data], limits.API, numbered=many)
    out: Any = [r.to_json() for r in results] if many else results[0].to_json()
    # backslashreplace: a lone surrogate read from an id comes back as the same \udXXXX escape, not a 500.
    body = json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "backslashreplace")
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@api.get("/rules", response={200: schemas.RulesOut, 401: schemas.ErrorOut, 403: schemas.ErrorOut},
         summary="The policy's clauses and the rules that check them", url_name="rules")  # fmt: skip
def rules(request: HttpRequest, school: str | None = None) -> dict[str, Any]:
    """The rulebook: every clause (with the school's name in its words) and every rule with its documentation."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    the_school = _school(token, school)
    name = the_school.name
    book = the_school.checker().rulebook  # the school's own rulebook, or the bundled one
    return {
        "rulebook": book.spec.name, "version": book.spec.version, "school": name,
        "clauses": [{"ref": ref, "section": c.section, "covers": c.covers, "who": [r.value for r in c.who],
                     "kind": c.kind, "text": c.text(name)} for ref, c in book.clauses.items()],
        "rules": [{"name": r.name, "code": r.code, "clauses": r.clauses, "roles": [x.value for x in r.roles],
                   "severity": r.severity, "accounts": r.accounts, "kinds": r.kinds, "message": r.message,
                   "advice": r.advice, "doc": r.doc} for r in book.rules],
    }  # fmt: skip


# Export scans (upload, poll, results): their own module, on the same API, tokens and docs.
# The docs page is ninja's Swagger with a language, a landmark and darker colours (tests/e2e/test_e2e_a11y.py).
from postcheck.web.api.scans import router as _scans_router  # noqa: E402

api.add_router("/scans", _scans_router)

# One draft described as the check page describes it (postcheck.drafts), for scripts.
from postcheck.web.api.drafts import router as _drafts_router  # noqa: E402

api.add_router("/check", _drafts_router)
