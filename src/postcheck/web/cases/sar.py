"""Subject access: everything one school holds about a named person, as JSON (or a zip with the attachments).

A person is found by their full name and by the aliases the school's roster gives them
(Amelia Hart is also "Millie"), as whole words, ignoring case: as the author of a reported
post, named in it (text, reply, counterparty, findings), named in a case's notes or
decision or an attachment's caption, or as the reporter. For every case found come its
attachments (their files in the zip), possible findings, history and the audit entries
about it. Only the one school's data is searched: a trust's other schools are separate
controllers' records.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from postcheck.web.cases import screenshots
from postcheck.web.cases.models import Case
from postcheck.web.core.audit import AuditEntry, record_audit
from postcheck.web.core.models import Membership, School

ROSTER_KEYS = ("pupils", "staff", "parents", "governors")


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


def roster_entries(school: School, name: str) -> list[dict[str, Any]]:
    """The school context's roster entries for this person (by name or alias)."""
    wanted = _norm(name)
    found = []
    for key in ROSTER_KEYS:
        for entry in (school.context or {}).get(key) or []:
            if not isinstance(entry, dict):
                continue
            names = [entry.get("name", ""), *(entry.get("aliases") or [])]
            if any(isinstance(n, str) and _norm(n) == wanted for n in names):
                found.append({"list": key, **entry})
    return found


def search_terms(school: School, name: str) -> list[str]:
    """The name and the person's roster aliases; the roster's spelling wins over the one typed."""
    terms: dict[str, str] = {}
    for entry in roster_entries(school, name):
        for term in [entry.get("name", ""), *(entry.get("aliases") or [])]:
            if isinstance(term, str) and term.strip():
                terms.setdefault(_norm(term), " ".join(term.split()))
    terms.setdefault(_norm(name), " ".join(name.split()))
    return sorted(terms.values(), key=str.casefold)


def _pattern(terms: list[str]) -> re.Pattern[str]:
    # Whole words, any run of spaces between them: "Amelia  Hart" and "amelia hart" both match.
    alternatives = ["\\s+".join(re.escape(w) for w in t.split()) for t in sorted(terms, key=len, reverse=True)]
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def match_reasons(case: Case, pattern: re.Pattern[str], users: set[int]) -> list[str]:
    reasons = []
    if case.author_name and pattern.search(case.author_name):
        reasons.append("author of the reported post")
    if any(pattern.search(s) for s in [case.text, case.link, *_strings(case.record_json)]):
        reasons.append("named in the reported post")
    if any(pattern.search(s) for s in _strings([case.findings_json, case.possible_json])):
        reasons.append("named in the findings")
    if any(a.caption and pattern.search(a.caption) for a in case.attachments.all()):
        reasons.append("named in an attachment's caption")
    if any(pattern.search(s) for e in case.events.all() for s in (e.note, e.old_value, e.new_value)) or (
            case.decision_reason and pattern.search(case.decision_reason)):  # fmt: skip
        reasons.append("named in the case's notes or decision")
    if case.reported_by_id in users:
        reasons.append("reported the concern")
    if case.assigned_to_id in users or case.decided_by_id in users:
        reasons.append("reviewer of the case")
    return reasons


def matching_users(school: School, terms: list[str]) -> list[Any]:
    """Accounts in this school whose full name is one of the terms."""
    wanted = {_norm(t) for t in terms}
    members = Membership.objects.filter(school=school).select_related("user")
    return [m.user for m in members if _norm(m.user.get_full_name()) in wanted]


def _attachment_names(case: Case) -> list[str | None]:
    """Each attachment's name inside the zip (None when its file is missing): listed in the JSON either way."""
    return [f"attachments/{case.reference}-{n}{a.extension}" if screenshots.path_of(a.file_name) else None
            for n, a in enumerate(case.attachments.all(), 1)]  # fmt: skip


def _case_json(case: Case, reasons: list[str]) -> dict[str, Any]:
    audit = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("id")
    return {
        "reference": case.reference, "id": case.pk, "found_because": reasons,
        "status": case.status, "outcome": case.outcome, "decision_reason": case.decision_reason,
        "decided_at": case.decided_at, "reported_at": case.created_at, "closed_at": case.closed_at,
        "reported_by": case.reported_by.get_username() if case.reported_by else None,
        "reporter_role": case.reporter_role,
        "post": {"text": case.text, "link": case.link, "platform": case.platform, "kind": case.kind,
                 "audience": case.audience, "author_name": case.author_name, "author_role": case.author_role,
                 "posted_at": case.posted_at, "has_media": case.has_media},
        "attachments": [{"file": name, "caption": a.caption, "source": a.source, "uploaded_at": a.uploaded_at,
                         "uploaded_by": a.uploaded_by.get_username() if a.uploaded_by else None,
                         "content_type": a.content_type, "width": a.width, "height": a.height, "bytes": a.size,
                         "sha256": a.sha256}
                        for a, name in zip(case.attachments.all(), _attachment_names(case), strict=True)],
        "record_checked": case.record_json, "findings": case.findings_json, "checked_at": case.checked_at,
        "possible_findings": case.possible_json,
        "history": [{"at": e.at, "by": e.actor_label or None, "action": e.action, "field": e.field,
                     "old": e.old_value, "new": e.new_value, "note": e.note} for e in case.events.all()],
        "audit": [{"id": a.pk, "at": a.timestamp, "by": a.actor_label or None, "action": a.action,
                   "detail": a.detail, "hash": a.hash} for a in audit],
    }  # fmt: skip


def collect(school: School, name: str) -> dict[str, Any]:
    """The export as a JSON-ready dict, with the cases (model objects) under ``_cases`` for the zip."""
    terms = search_terms(school, name)
    pattern = _pattern(terms)
    users = matching_users(school, terms)
    user_ids = {u.pk for u in users}
    found: list[tuple[Case, list[str]]] = []
    cases = (Case.objects.filter(school=school).select_related("reported_by")
             .prefetch_related("events", "attachments__uploaded_by"))  # fmt: skip
    for case in cases.order_by("created_at", "id").iterator(chunk_size=200):
        reasons = match_reasons(case, pattern, user_ids)
        if reasons:
            found.append((case, reasons))
    return {
        "subject_access_export": {
            "school": {"name": school.name, "slug": school.slug}, "person": " ".join(name.split()),
            "searched_for": terms, "generated_at": timezone.now(),
            "note": "Everything this school's postcheck holds about the person: roster entries, accounts, "
                    "cases that name them or that they reported or reviewed, each case's history and audit entries.",
        },
        "roster_entries": roster_entries(school, name),
        "accounts": [_account_json(u, school) for u in users],
        "cases": [_case_json(c, r) for c, r in found],
        "_cases": [c for c, _ in found],
    }  # fmt: skip


def _account_json(user: Any, school: School) -> dict[str, Any]:
    membership = Membership.objects.filter(user=user, school=school).first()
    actions = AuditEntry.objects.filter(actor_id=user.pk, school_id=school.pk).order_by("id")
    return {
        "username": user.get_username(), "full_name": user.get_full_name(), "email": user.email,
        "role": membership.role if membership else None, "date_joined": user.date_joined,
        "last_login": user.last_login,
        "audit_entries_as_actor": [{"id": a.pk, "at": a.timestamp, "action": a.action, "object_type": a.object_type,
                                    "object_id": a.object_id} for a in actions],
    }  # fmt: skip


def to_json(export: dict[str, Any]) -> bytes:
    plain = {k: v for k, v in export.items() if not k.startswith("_")}
    return json.dumps(plain, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode("utf-8")


def to_zip(export: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("subject-access.json", to_json(export))
        for case in export["_cases"]:
            for a, name in zip(case.attachments.all(), _attachment_names(case), strict=True):
                path = screenshots.path_of(a.file_name)
                if path is not None and name is not None:
                    zf.write(path, name)
    return buf.getvalue()


def audit_export(export: dict[str, Any], school: School, actor: Any, fmt: str, via: str) -> None:
    """One audit entry per export: which cases went out, never the name that was searched for."""
    record_audit("sar.export", actor=actor, school=school, object_type="core.school", object_id=school.pk,
                 detail={"cases": [c["id"] for c in export["cases"]], "roster_entries": len(export["roster_entries"]),
                         "accounts": len(export["accounts"]), "format": fmt, "via": via})  # fmt: skip
