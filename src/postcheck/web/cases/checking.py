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
from postcheck.web.core.rulebook_roles import role_label


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


def run_check(case: Case, record: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Findings and possible findings (FORMATS.md dicts) for the record, merged over the roles it is checked as.

    A possible finding is one the judge was not sure enough of (engine ``Result.possible``). A rule that is
    a finding for one role and only possible for another is a finding (``if_author_is`` says for whom)."""
    checker = case.school.checker()
    roles = record.get("checked_as") or [record["author"]["role"]]
    by_rule: dict[str, dict[str, Any]] = {}
    applies: dict[str, list[str]] = {}
    maybe: dict[str, dict[str, Any]] = {}
    maybe_for: dict[str, list[str]] = {}
    for role in roles:
        as_role = {**record, "author": {**record["author"], "role": role}}
        as_role.pop("checked_as", None)
        findings, possible = checker.check_full(parse_record(as_role))
        for finding in findings:
            by_rule.setdefault(finding.rule, finding.to_json())
            applies.setdefault(finding.rule, []).append(role)
        for finding in possible:
            maybe.setdefault(finding.rule, finding.to_json())
            maybe_for.setdefault(finding.rule, []).append(role)
    known = checker.rulebook.roles
    out = [_for_roles(f, applies[rule], roles, known) for rule, f in by_rule.items()]
    unsure = [_for_roles(f, maybe_for[rule], roles, known) for rule, f in maybe.items() if rule not in by_rule]
    return out, unsure


def _for_roles(finding: dict[str, Any], applies: list[str], roles: list[str], known: dict[str, Any]) -> dict[str, Any]:
    if len(roles) > 1 and len(applies) < len(roles):
        finding["if_author_is"] = applies
        finding["message"] = f"If the author is {_or(applies, known)}: {finding['message']}"
    return finding


def _or(roles: list[str], known: dict[str, Any]) -> str:
    labels = [role_label(None, r, {n: spec.label(n) for n, spec in known.items()}).lower() for r in roles]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def check_case(case: Case, record: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Check ``record`` (default: built from the case's fields) against the school's current policy.
    Returns the findings; the possible findings go to ``case.possible_json``.

    Stores the record and findings on the case without saving it. A re-check passes the stored
    ``record_json``, so a record with more than the form asks (a demo or imported case) keeps it all.
    """
    record = record if record is not None else build_record(case)
    findings, possible = run_check(case, record)
    case.record_json = record
    case.findings_json = findings
    case.possible_json = possible  # apart: never in the clause index or the counts
    case.clause_index = clause_index(findings)
    case.breaches = sum(1 for f in findings if f["severity"] == "breach")
    case.advisories = len(findings) - case.breaches
    case.checked_at = timezone.now()
    case.checked_context_hash = case.school.context_hash
    return findings
