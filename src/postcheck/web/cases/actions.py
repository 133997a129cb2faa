"""Every change of a case goes through here: the change, its CaseEvent and its audit entry together.

The CaseEvent is the history reviewers read on the case page (usernames, old and new
values, note text). The audit entry is the tamper-evident trail: ids and codes only,
never names or free text, because the audit log cannot be edited or purged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from postcheck.web.cases import checking, notify, screenshots
from postcheck.web.cases.choices import NEXT_STATUSES, Category, EventAction, Outcome, Status, Urgency
from postcheck.web.cases.models import Case, CaseAttachment, CaseEvent, CasePerson
from postcheck.web.core.audit import record_audit


def _actor(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def log(case: Case, user: Any, action: str, *, field: str = "", old: Any = "", new: Any = "", note: str = "",
        audit: dict[str, Any] | None = None, at: Any = None) -> CaseEvent:  # fmt: skip
    """Write one history entry and its audit entry."""
    actor = _actor(user)
    event = CaseEvent.objects.create(
        case=case, actor=actor, actor_label=actor.get_username() if actor else "", action=action, field=field,
        old_value="" if old is None else str(old), new_value="" if new is None else str(new), note=note,
        at=at or timezone.now())  # fmt: skip
    record_audit(f"case.{action}", actor=actor, school=case.school, obj=case,
                 detail={"event": event.pk, **(audit or {})})  # fmt: skip
    return event


def record_view(case: Case, user: Any, what: str = "page") -> None:
    """A view changes nothing, so it is not in the history; the audit log keeps every one."""
    record_audit("case.view", actor=_actor(user), school=case.school, obj=case, detail={"what": what})


def create_case(case: Case, user: Any, images: Sequence[screenshots.CleanImage] = ()) -> Case:
    """Save a new case (already checked: see checking.check_case) with its first history entries and
    the reporter's screenshots (``images``, already cleaned). No file is left behind when it fails."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            case.save()
            log(case, user, EventAction.REPORTED, new=case.reference,
                audit={"reporter": case.reported_by_id, "attachments": len(images)})  # fmt: skip
            log(case, None, EventAction.CHECKED, new=", ".join(case.clauses) or "no findings",
                audit={"clauses": case.clauses, "breaches": case.breaches, "advisories": case.advisories,
                       "possible": len(case.possible_json or [])})  # fmt: skip
            _attach(case, user, images, "", CaseAttachment.Source.REPORT, saved)
    except BaseException:
        for name in saved:
            screenshots.delete(name)
        raise
    notify.new_concern(case, _actor(user))
    return case


def _attach(case: Case, user: Any, images: Sequence[screenshots.CleanImage], caption: str, source: str,
            saved: list[str]) -> list[CaseAttachment]:  # fmt: skip
    """Write each image's file (names into ``saved``, for the caller to delete on failure), then its row,
    its history entry and its audit entry (the fingerprint and size, never the caption)."""
    out = []
    for image in images:
        name = screenshots.save(image, case.school_id)
        saved.append(name)
        attachment = CaseAttachment.objects.create(
            case=case,
            file_name=name,
            content_type=image.content_type,
            width=image.width,
            height=image.height,
            size=len(image.data),
            sha256=image.sha256,
            caption=caption,
            source=source,
            uploaded_by=_actor(user),
        )
        log(case, user, EventAction.ATTACHED, field="attachment", new=attachment.description,
            audit={"attachment": attachment.pk, "sha256": attachment.sha256, "bytes": attachment.size,
                   "type": attachment.content_type, "source": source})  # fmt: skip
        out.append(attachment)
    return out


class AttachmentLimitError(ValueError):
    pass


def add_attachments(case: Case, user: Any, images: Sequence[screenshots.CleanImage],
                    caption: str = "") -> list[CaseAttachment]:  # fmt: skip
    """A reviewer adds images to the case (already cleaned by the form): all of them, or none."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            case = _locked(case)
            have = CaseAttachment.objects.filter(case=case).count()
            if have + len(images) > screenshots.MAX_ATTACHMENTS:
                raise AttachmentLimitError(
                    f"A case keeps at most {screenshots.MAX_ATTACHMENTS} attachments; this one has {have}. "
                    "Remove one it does not need first.")  # fmt: skip
            out = _attach(case, user, images, caption, CaseAttachment.Source.REVIEWER, saved)
            case.save(update_fields=["updated_at"])
    except BaseException:
        for name in saved:
            screenshots.delete(name)
        raise
    return out


@transaction.atomic
def remove_attachment(case: Case, user: Any, attachment: CaseAttachment, reason: str) -> None:
    """Delete the attachment (its file goes once this commits: models._delete_file). The history keeps
    what it was and why it went; the audit log its id and fingerprint."""
    case = _locked(case)
    pk, digest, described = attachment.pk, attachment.sha256, attachment.description
    attachment.delete()
    case.save(update_fields=["updated_at"])
    log(case, user, EventAction.DETACHED, field="attachment", old=described, note=reason,
        audit={"attachment": pk, "sha256": digest})  # fmt: skip


def _locked(case: Case) -> Case:
    # Re-read under a row lock (PostgreSQL): two reviewers acting at once cannot overwrite each other.
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to assigned_to.
    return Case.objects.select_for_update(of=("self",)).select_related("school", "assigned_to").get(pk=case.pk)


@transaction.atomic
def assign(case: Case, user: Any, assignee: Any) -> Case:
    case = _locked(case)
    old = case.assigned_to
    if (old.pk if old else None) == (assignee.pk if assignee else None):
        return case
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    log(case, user, EventAction.ASSIGNED, field="assigned_to",
        old=old.get_username() if old else "nobody", new=assignee.get_username() if assignee else "nobody",
        audit={"old": old.pk if old else None, "new": assignee.pk if assignee else None})  # fmt: skip
    if assignee is not None and case.status == Status.NEW:
        _set_status(case, user, Status.IN_REVIEW)  # someone has picked it up
    notify.assigned(case, assignee, _actor(user))
    return case


def _set_status(case: Case, user: Any, status: str, note: str = "") -> None:
    old = case.status
    case.status = status
    fields = ["status", "updated_at"]
    if Status.CLOSED in (status, old):
        case.closed_at = timezone.now() if status == Status.CLOSED else None
        fields.append("closed_at")
    case.save(update_fields=fields)
    log(case, user, EventAction.STATUS, field="status", old=Status(old).label, new=Status(status).label,
        note=note, audit={"old": old, "new": status})  # fmt: skip


class TransitionError(ValueError):
    pass


@transaction.atomic
def change_status(case: Case, user: Any, status: str, note: str = "") -> Case:
    case = _locked(case)
    if status not in NEXT_STATUSES.get(case.status, ()):
        raise TransitionError(f"A {Status(case.status).label.lower()} case cannot be moved to "
                              f"{Status(status).label.lower()}.")  # fmt: skip
    _set_status(case, user, status, note)
    return case


@transaction.atomic
def add_note(case: Case, user: Any, note: str) -> CaseEvent:
    case = _locked(case)
    case.save(update_fields=["updated_at"])
    return log(case, user, EventAction.NOTE, note=note, audit={"length": len(note)})


@transaction.atomic
def decide(case: Case, user: Any, outcome: str, reason: str) -> Case:
    case = _locked(case)
    if not case.can_decide:
        raise TransitionError("A closed case must be reopened before its decision can change.")
    old = case.outcome
    case.outcome, case.decision_reason = outcome, reason
    case.decided_at, case.decided_by = timezone.now(), _actor(user)
    case.save(update_fields=["outcome", "decision_reason", "decided_at", "decided_by", "updated_at"])
    log(case, user, EventAction.DECIDED, field="outcome", old=Outcome(old).label if old else "",
        new=Outcome(outcome).label, note=reason, audit={"old": old, "new": outcome})  # fmt: skip
    if case.status != Status.DECIDED:
        _set_status(case, user, Status.DECIDED)
    return case


@transaction.atomic
def recheck(case: Case, user: Any) -> Case:
    """Check the stored record again against the school's policy and context as they are now."""
    case = _locked(case)
    old = case.clauses
    old_counts = (case.breaches, case.advisories)
    checking.check_case(case, case.record_json)
    case.save(update_fields=["record_json", "findings_json", "possible_json", "clause_index", "breaches",
                             "advisories", "checked_at", "checked_context_hash", "updated_at"])  # fmt: skip
    log(case, user, EventAction.RECHECKED, field="clauses",
        old=f"{', '.join(old) or 'no findings'} ({old_counts[0]} breaches, {old_counts[1]} advice)",
        new=f"{', '.join(case.clauses) or 'no findings'} ({case.breaches} breaches, {case.advisories} advice)",
        audit={"old": old, "new": case.clauses})  # fmt: skip
    return case


@transaction.atomic
def triage(case: Case, user: Any, category: str, urgency: str) -> Case:
    """Set the category and the urgency: one history entry and one audit entry (codes only) per field changed."""
    case = _locked(case)
    changes = [
        (f, getattr(case, f), new, labels)
        for f, new, labels in (("category", category, Category), ("urgency", urgency, Urgency))
        if getattr(case, f) != new
    ]
    if not changes:
        return case
    for f, _old, new, _labels in changes:
        setattr(case, f, new)
    case.save(update_fields=[c[0] for c in changes] + ["updated_at"])
    for f, old, new, labels in changes:
        log(case, user, EventAction.TRIAGED, field=f, old=labels(old).label, new=labels(new).label,
            audit={"field": f, "old": old, "new": new})  # fmt: skip
    return case


def roster_names(case_or_school: Any, roster: str) -> list[str]:
    """The names on one list of the school's roster (the context), as the roster spells them."""
    school = getattr(case_or_school, "school", case_or_school)
    names = [str(e.get("name", "")).strip() for e in (school.context or {}).get(roster) or [] if isinstance(e, dict)]
    return sorted({n for n in names if n}, key=str.casefold)


@transaction.atomic
def link_person(case: Case, user: Any, roster: str, name: str, link: str) -> CasePerson:
    """Link a roster person to the case (idempotent). The audit entry keeps the link's id, never the name."""
    case = _locked(case)
    person, created = CasePerson.objects.get_or_create(case=case, roster=roster, name=name, link=link)
    if created:
        case.save(update_fields=["updated_at"])
        log(case, user, EventAction.PERSON_LINKED, field=link, new=f"{name} ({person.get_roster_display().lower()})",
            audit={"person": person.pk, "roster": roster, "link": link})  # fmt: skip
    return person


@transaction.atomic
def unlink_person(case: Case, user: Any, person: CasePerson) -> None:
    case = _locked(case)
    label = f"{person.name} ({person.get_roster_display().lower()})"
    pk, roster, link = person.pk, person.roster, person.link
    person.delete()
    case.save(update_fields=["updated_at"])
    log(case, user, EventAction.PERSON_UNLINKED, field=link, old=label,
        audit={"person": pk, "roster": roster, "link": link})  # fmt: skip
