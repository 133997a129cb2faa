"""A case as a FORMATS.md record, checked with its school's Checker.

When the reporter does not know the author's role, the post is checked as each role the
policy binds (staff, governor, parent, carer): a finding that only some of them produce
carries ``if_author_is`` and says so in its message, so the reviewer sees what would
apply once they know who wrote it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from postcheck.model import parse_record
from postcheck.web.cases.choices import BOUND_AUTHOR_ROLES, AuthorRole
from postcheck.web.cases.models import Case, clause_index


def build_record(case: Case) -> dict[str, Any]:
    """The record the case is checked as (stored as ``record_json``)."""
    known = case.author_role != AuthorRole.UNKNOWN
    record: dict[str, Any] = {
        "id": case.reference,
        "kind": case.kind,
        "platform": case.platform,
        # 'public' is only a placeholder for an unknown author: check() replaces it role by role.
        "author": {"name": case.author_name or "Not known", "role": case.author_role if known else "public"},
    }
    if case.kind == "profile":
        record["profile"] = {"bio": case.text}
    else:
        record["text"] = case.text
    if case.posted_at is not None:
        zone = case.school.checker().school.zone
        record["created_at"] = case.posted_at.astimezone(zone).isoformat()
    if case.audience:
        record["audience"] = case.audience
    if case.link:
        record["links"] = [case.link]
    if case.has_media:
        record["attachments"] = [{"type": "image"}]
    if not known:  # checked as each role the school's rulebook binds
        record["checked_as"] = case.school.checker().rulebook.bound_roles or list(BOUND_AUTHOR_ROLES)
    return record


def run_check(case: Case, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Findings (FORMATS.md dicts) for the record, merged over the roles it is checked as."""
    checker = case.school.checker()
    roles = record.get("checked_as") or [record["author"]["role"]]
    by_rule: dict[str, dict[str, Any]] = {}
    applies: dict[str, list[str]] = {}
    for role in roles:
        as_role = {**record, "author": {**record["author"], "role": role}}
        as_role.pop("checked_as", None)
        for finding in checker.check(parse_record(as_role)):
            by_rule.setdefault(finding.rule, finding.to_json())
            applies.setdefault(finding.rule, []).append(role)
    out = []
    for rule, finding in by_rule.items():
        if len(roles) > 1 and len(applies[rule]) < len(roles):
            finding["if_author_is"] = applies[rule]
            finding["message"] = f"If the author is {_or(applies[rule], checker.rulebook.roles)}: {finding['message']}"
        out.append(finding)
    return out


def _or(roles: list[str], known: dict[str, Any]) -> str:
    labels = [(known[r].label(r) if r in known else str(AuthorRole(r).label)).lower() for r in roles]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def check_case(case: Case, record: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Check ``record`` (default: built from the case's fields) against the school's current policy.

    Stores the record and findings on the case without saving it. A re-check passes the stored
    ``record_json``, so a record with more than the form asks (a demo or imported case) keeps it all.
    """
    record = record if record is not None else build_record(case)
    findings = run_check(case, record)
    case.record_json = record
    case.findings_json = findings
    case.clause_index = clause_index(findings)
    case.breaches = sum(1 for f in findings if f["severity"] == "breach")
    case.advisories = len(findings) - case.breaches
    case.checked_at = timezone.now()
    case.checked_context_hash = case.school.context_hash
    return findings
