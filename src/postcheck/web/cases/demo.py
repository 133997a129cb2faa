"""Demo cases for ``postcheck demo``: the demo records as cases, at every stage of review.

Each record becomes one case with a fixed reference (``DEMO-LANC-E1``), so running the
demo again finds it and adds nothing. The cases are spread over the last months with a
mix of statuses and decisions, so the queue and the dashboard look like a school's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from postcheck.web.cases import actions, checking
from postcheck.web.cases.choices import AuthorRole, EventAction, Kind, Outcome, Platform, Status
from postcheck.web.cases.models import Case
from postcheck.web.core.models import Membership, School
from postcheck.web.core.roles import REVIEWERS, Role


@dataclass(frozen=True)
class Stage:
    days_ago: int
    status: str
    outcome: str = ""
    note: str = ""
    reason: str = ""


STAGES = [
    Stage(2, Status.NEW),
    Stage(9, Status.IN_REVIEW, note="Asked the reporter whether the post is still up."),
    Stage(27, Status.DECIDED, Outcome.ADVICE_GIVEN, "Spoke to the author; they took the post down the same day.",
          "The post named the school; the author was reminded of the policy and removed it."),
    Stage(48, Status.CLOSED, Outcome.LOW_LEVEL_CONCERN, "Recorded in the low-level concerns log.",
          "A pattern of posting in working hours; recorded as a low-level concern."),
    Stage(76, Status.CLOSED, Outcome.NO_BREACH, reason="Posted in the author's own time and names no one."),
    Stage(104, Status.DECIDED, Outcome.COMPLAINTS_PROCEDURE,
          reason="A complaint about the school belongs in the complaints procedure; the author was sent it."),
    Stage(133, Status.CLOSED, Outcome.DISCIPLINARY_REFERRAL, "Referred to HR with the screenshot and findings.",
          "Repeated after earlier advice; referred under the disciplinary procedure."),
    Stage(160, Status.IN_REVIEW, note="Waiting for the safeguarding lead's view."),
    Stage(190, Status.CLOSED, Outcome.ADVICE_GIVEN, reason="Advice given on privacy settings."),
    Stage(215, Status.DECIDED, Outcome.NO_BREACH, reason="The pupil named has photo consent and the post is private."),
]


def demo_reference(school: School, record: dict[str, Any]) -> str:
    return f"DEMO-{school.slug[:4].upper()}-{str(record['id'])[:8].upper()}"


def _member(school: School, roles: frozenset[str] | set[str]) -> Any:
    m = Membership.objects.filter(school=school, role__in=roles).select_related("user").order_by("role").first()
    return m.user if m else None


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _case(school: School, record: dict[str, Any], reference: str, when: datetime) -> Case:
    author = record.get("author") or {}
    role = author.get("role")
    text = record.get("text") or (record.get("profile") or {}).get("bio") or ""
    return Case(
        school=school, reference=reference, created_at=when, text=text,
        link=(record.get("links") or [""])[0],
        platform=record.get("platform") if record.get("platform") in Platform.values else Platform.OTHER,
        kind=record["kind"] if record.get("kind") in Kind.values else Kind.POST,
        audience=record.get("audience") or "", author_name=author.get("name", ""),
        author_role=role if role in AuthorRole.values else AuthorRole.UNKNOWN,
        posted_at=_parse_time(record.get("created_at")), has_media=bool(record.get("attachments")),
    )  # fmt: skip


@transaction.atomic
def _seed(school: School, record: dict[str, Any], stage: Stage, now: datetime, people: dict[str, Any]) -> bool:
    reference = demo_reference(school, record)
    if Case.objects.filter(reference=reference).exists():
        return False
    when = now - timedelta(days=stage.days_ago, hours=3)
    case = _case(school, record, reference, when)
    case.reported_by = people["reporter"]
    case.reporter_role = Role.STAFF if people["reporter"] else ""
    checking.check_case(case, {**record, "id": reference})
    case.save()
    reviewer = people["reviewer"]
    actions.log(case, case.reported_by, EventAction.REPORTED, new=reference, at=when, audit={"demo": True})
    actions.log(case, None, EventAction.CHECKED, new=", ".join(case.clauses) or "no findings", at=when,
                audit={"demo": True, "clauses": case.clauses})  # fmt: skip
    if stage.status == Status.NEW:
        return True
    step = when + timedelta(hours=20)
    case.assigned_to, case.status = reviewer, Status.IN_REVIEW
    actions.log(case, reviewer, EventAction.ASSIGNED, field="assigned_to", old="nobody",
                new=reviewer.get_username() if reviewer else "nobody", at=step, audit={"demo": True})  # fmt: skip
    actions.log(case, reviewer, EventAction.STATUS, field="status", old="New", new="In review", at=step,
                audit={"demo": True})  # fmt: skip
    if stage.note:
        actions.log(case, reviewer, EventAction.NOTE, note=stage.note, at=step + timedelta(hours=2),
                    audit={"demo": True})  # fmt: skip
    if stage.outcome:
        decided = step + timedelta(days=2)
        case.outcome, case.decision_reason, case.decided_at, case.decided_by = (
            stage.outcome, stage.reason, decided, reviewer)
        case.status = Status.DECIDED
        actions.log(case, reviewer, EventAction.DECIDED, field="outcome", new=Outcome(stage.outcome).label,
                    note=stage.reason, at=decided, audit={"demo": True})  # fmt: skip
        actions.log(case, reviewer, EventAction.STATUS, field="status", old="In review", new="Decided",
                    at=decided, audit={"demo": True})  # fmt: skip
        if stage.status == Status.CLOSED:
            case.status, case.closed_at = Status.CLOSED, decided + timedelta(days=5)
            actions.log(case, reviewer, EventAction.STATUS, field="status", old="Decided", new="Closed",
                        at=case.closed_at, audit={"demo": True})  # fmt: skip
    case.save()
    return True


def seed_demo_cases(school: School) -> int:
    """Create demo cases for ``school`` from ``postcheck.web.demo.demo_records``; return how many were new.

    Safe to run again: a case whose demo reference exists already is left as it is.
    """
    from postcheck.web.demo import demo_records

    now = timezone.now()
    people = {"reviewer": _member(school, REVIEWERS),
              "reporter": _member(school, {Role.STAFF})}  # fmt: skip
    created = 0
    for i, record in enumerate(demo_records(school)):
        created += _seed(school, record, STAGES[i % len(STAGES)], now, people)
    return created
