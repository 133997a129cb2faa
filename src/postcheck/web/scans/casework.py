"""Open a case from a scan's finding, or from a whole group of them (a clause, a month, a person).

The case is checked already (the scan did it), so it keeps the scan's record and findings
rather than checking again: its page shows what the scan found. A group's case takes its
first record as "the post" and lists every post of the group in its first note.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from postcheck.web.cases import actions
from postcheck.web.cases.choices import AuthorRole, EventAction, Platform
from postcheck.web.cases.models import Case, clause_index
from postcheck.web.core.access import membership_for
from postcheck.web.scans.models import Scan, ScanFinding

PLATFORMS = {"twitter": Platform.X, "facebook": Platform.FACEBOOK, "instagram": Platform.INSTAGRAM,
             "mastodon": Platform.MASTODON, "linkedin": Platform.LINKEDIN, "wordpress": Platform.BLOG,
             "blogger": Platform.BLOG}  # fmt: skip
LISTED_IN_NOTE = 200
MAX_POSSIBLE = 200  # possible findings a case keeps (a group of a thousand posts could carry thousands)


def _finding_json(f: ScanFinding, first_record: int) -> dict[str, Any]:
    out = dict(f.finding)
    out["record_id"] = f.record.record_id
    if f.record_id != first_record:
        out.pop("spans", None)  # spans point into that post's text, not the case's
    return out


@transaction.atomic
def open_case(scan: Scan, user: Any, findings: list[ScanFinding], title: str = "") -> Case:
    """A new case at the scan's school holding ``findings`` (at least one), with the scan linked."""
    if not findings:
        raise ValueError("a case needs at least one finding")
    first = findings[0].record
    record = first.record_json
    kind = record.get("kind") if record.get("kind") in {"post", "comment", "message", "blog", "share",
                                                         "profile"} else "post"  # fmt: skip
    # A finding the scan marked possible (below the judge's threshold) stays possible on the case: shown
    # apart for a reviewer's eye, never counted. The chosen posts' other possible findings come along.
    found = [_finding_json(f, first.pk) for f in findings if not _is_possible(f)]
    possible = [_finding_json(f, first.pk) for f in findings if _is_possible(f)]
    possible += _other_possible(findings, first.pk, MAX_POSSIBLE - len(possible))
    membership = membership_for(user, scan.school)
    case = Case(school=scan.school, scan=scan, reported_by=user, reporter_role=membership.role if membership else "",
                text=first.text, platform=PLATFORMS.get(scan.platform, Platform.OTHER), kind=kind,
                audience=record.get("audience") if record.get("audience") in {"public", "friends", "group",
                                                                              "private"} else "",
                author_name=scan.subject_name, author_role=scan.subject_role or AuthorRole.UNKNOWN,
                posted_at=first.posted_at, link=_link(record), record_json=record, findings_json=found,
                possible_json=possible, clause_index=clause_index(found), checked_at=timezone.now(),
                checked_context_hash=scan.school.context_hash)  # fmt: skip
    case.breaches = sum(1 for f in found if f.get("severity") == "breach")
    case.advisories = len(found) - case.breaches
    actions.create_case(case, user)
    actions.log(case, user, EventAction.NOTE, note=_note(scan, findings, title),
                audit={"scan": scan.pk, "findings": len(findings)})  # fmt: skip
    return case


def _is_possible(f: ScanFinding) -> bool:
    """Marked possible by the scan, or one of its post's ``possible`` list (ScanFinding.finding's order)."""
    return f.level == ScanFinding.Level.POSSIBLE or f.index >= len((f.record.result_json or {}).get("findings") or [])


def _other_possible(findings: list[ScanFinding], first_record: int, room: int) -> list[dict[str, Any]]:
    """The possible findings (engine ``Result.possible``) of the chosen findings' posts that were not chosen."""
    chosen = {(f.record_id, f.index) for f in findings}
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for f in findings:
        record = f.record
        if record.pk in seen:
            continue
        seen.add(record.pk)
        result = record.result_json or {}
        offset = len(result.get("findings") or [])
        for i, raw in enumerate(result.get("possible") or []):
            if len(out) >= room:
                return out
            if (record.pk, offset + i) in chosen or not isinstance(raw, dict):
                continue
            item = dict(raw)
            item["record_id"] = record.record_id
            if record.pk != first_record:
                item.pop("spans", None)
            out.append(item)
    return out


def _link(record: dict[str, Any]) -> str:
    url = record.get("url") or next(iter(record.get("links") or []), "")
    return str(url)[:2000] if str(url).startswith(("https://", "http://")) else ""


def _note(scan: Scan, findings: list[ScanFinding], title: str) -> str:
    head = f"Opened from export scan {scan.pk}" + (f" ({title})" if title else "") + f": {len(findings)} finding(s)."
    lines = [head]
    seen: set[int] = set()
    for f in findings:
        if f.record_id in seen:
            continue
        seen.add(f.record_id)
        if len(seen) > LISTED_IN_NOTE:
            lines.append("… and more: see the scan's report.")
            break
        when = f.record.posted_at.strftime("%d %b %Y %H:%M") if f.record.posted_at else "date not known"
        excerpt = " ".join(f.record.text.split())[:160]
        lines.append(f"- {when} [{f.clause}] {excerpt}")
    return "\n".join(lines)
