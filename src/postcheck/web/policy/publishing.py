"""Publishing versions, acknowledging them, and who still has to.

Views call these; each change is audit-logged here so no path can skip the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from postcheck.rulebook import Rulebook
from postcheck.web.core.audit import record_audit
from postcheck.web.core.checkers import invalidate, rulebook_hash, school_rulebook
from postcheck.web.core.models import Membership, School
from postcheck.web.core.roles import ACKNOWLEDGERS
from postcheck.web.policy.document import content_hash, policy_document, policy_text
from postcheck.web.policy.models import Acknowledgement, PolicyVersion


@dataclass
class LivePolicy:
    """The policy as it would be published now: the school's rulebook (its own, or the bundled one)
    with the school's name and context."""

    document: dict[str, Any]
    content_hash: str


def live_policy(school: School, rulebook: Rulebook | None = None) -> LivePolicy:
    document = policy_document(rulebook or school_rulebook(school)[1], school.name)
    return LivePolicy(document, content_hash(document, school.context_hash))


def current_rulebook_text(school: School) -> str:
    """The YAML of the school's own rulebook as last published; "" when it uses the bundled one."""
    version = current_version(school)
    return version.rulebook_text if version is not None else ""


def current_version(school: School | int) -> PolicyVersion | None:
    school_id = school if isinstance(school, int) else school.pk
    return PolicyVersion.objects.filter(school_id=school_id).order_by("-number").first()


def needs_to_acknowledge(role: str | None) -> bool:
    """Staff (the school's employees) and governors acknowledge; parents and carers are not asked to."""
    return role in ACKNOWLEDGERS


def publish(school: School, user: Any, note: str = "", rulebook: tuple[str, Rulebook] | None = None) -> PolicyVersion:
    """Publish the live policy as the next version number of this school. ``rulebook`` (its YAML and
    the validated rulebook) replaces the school's rulebook from this version on; ("", bundled) goes
    back to the bundled one; None keeps the current one."""
    text = current_rulebook_text(school) if rulebook is None else rulebook[0]
    live = live_policy(school, rulebook[1] if rulebook is not None else None)
    for _ in range(3):  # two managers publishing at once: the loser takes the next number
        try:
            with transaction.atomic():
                last = PolicyVersion.objects.filter(school=school).aggregate(n=Max("number"))["n"] or 0
                version = PolicyVersion.objects.create(
                    school=school, number=last + 1, published_at=timezone.now(), published_by=user,
                    content_hash=live.content_hash, rulebook_version=live.document["rulebook"]["version"],
                    document=live.document, text=policy_text(live.document), note=note.strip(),
                    rulebook_text=text, rulebook_hash=rulebook_hash(text) if text else "")  # fmt: skip
                break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("could not take a new version number; try again")
    detail = {"number": version.number, "content_hash": version.content_hash}
    if rulebook is not None:  # the rulebook changed: say which, by name, version and hash
        detail["rulebook"] = {"name": live.document["rulebook"]["name"], "version": version.rulebook_version,
                              "hash": version.rulebook_hash or "bundled"}  # fmt: skip
    record_audit("policy.publish", actor=user, school=school, obj=version, detail=detail)
    invalidate(school.pk)  # the school's Checker follows the new rulebook at once in this process
    return version


def acknowledge(user: Any, version: PolicyVersion) -> tuple[Acknowledgement, bool]:
    """Record that ``user`` read ``version``; (the acknowledgement, whether it is new). Once per user per version."""
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(user=user, version=version, acknowledged_at=timezone.now())
    except IntegrityError:
        return Acknowledgement.objects.get(user=user, version=version), False
    record_audit("policy.acknowledge", actor=user, school=version.school, obj=version,
                 detail={"number": version.number})  # fmt: skip
    return ack, True


def acknowledged(user: Any, version: PolicyVersion | None) -> Acknowledgement | None:
    if version is None or not user.is_authenticated:
        return None
    return Acknowledgement.objects.filter(user=user, version=version).first()


@dataclass
class PersonStatus:
    membership: Membership
    acknowledged_at: datetime | None
    last_number: int | None  # the newest version this person acknowledged, if any

    @property
    def user(self) -> Any:
        return self.membership.user


@dataclass
class AckStatus:
    version: PolicyVersion | None
    done: list[PersonStatus] = field(default_factory=list)
    pending: list[PersonStatus] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.done) + len(self.pending)


def ack_status(school: School) -> AckStatus:
    """Every active member who must acknowledge, split by whether they acknowledged the current version."""
    version = current_version(school)
    status = AckStatus(version)
    members = (Membership.objects.filter(school=school, role__in=ACKNOWLEDGERS, user__is_active=True)
               .select_related("user").order_by("user__last_name", "user__first_name", "user__username"))  # fmt: skip
    acks = {} if version is None else dict(
        Acknowledgement.objects.filter(version=version).values_list("user_id", "acknowledged_at"))
    newest = dict(Acknowledgement.objects.filter(version__school=school).values("user_id")
                  .annotate(n=Max("version__number")).values_list("user_id", "n"))  # fmt: skip
    for m in members:
        person = PersonStatus(m, acks.get(m.user_id), newest.get(m.user_id))
        (status.done if person.acknowledged_at else status.pending).append(person)
    return status
