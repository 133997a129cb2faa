"""The fixed vocabularies of a case: status, outcome, and the FORMATS.md fields of the reported post."""

from __future__ import annotations

from django.db import models

from postcheck.rulebook import DEFAULT_ROLES


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


# Where each status may go next. Closing needs a decision first, so every closed case has an
# outcome; a decided or closed case can be reopened (the change and who made it are in its history).
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.IN_REVIEW,),
    Status.IN_REVIEW: (),  # leaves review by a decision
    Status.DECIDED: (Status.CLOSED, Status.IN_REVIEW),
    Status.CLOSED: (Status.IN_REVIEW,),
}
OPEN_STATUSES: frozenset[str] = frozenset({Status.NEW, Status.IN_REVIEW})
# A closed case must be reopened before its decision can change.
DECIDABLE_STATUSES: frozenset[str] = frozenset({Status.NEW, Status.IN_REVIEW, Status.DECIDED})


class Outcome(models.TextChoices):
    NO_BREACH = "no_breach", "No breach"
    ADVICE_GIVEN = "advice_given", "Advice given"
    LOW_LEVEL_CONCERN = "low_level_concern", "Low-level concern"
    COMPLAINTS_PROCEDURE = "complaints_procedure", "Complaints procedure"
    DISCIPLINARY_REFERRAL = "disciplinary_referral", "Disciplinary referral"
    SAFEGUARDING_REFERRAL = "safeguarding_referral", "Safeguarding referral (children's social care)"
    LADO_REFERRAL = "lado_referral", "LADO referral (allegation against an adult)"
    POLICE = "police", "Reported to the police"


class Category(models.TextChoices):
    """What the concern is about, in a designated safeguarding lead's terms."""

    NOT_SET = "", "Not set"
    PUPIL_NAMED = "pupil_named", "A pupil named or shown"
    CONFIDENTIAL = "confidential", "Confidential school information"
    CONTACT = "contact", "Contact with a pupil or parent"
    CONDUCT = "conduct", "Professional conduct or reputation"
    ABUSE = "abuse", "Abuse, bullying or harassment"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    PRIORITY = "priority", "Priority (within a day)"
    URGENT = "urgent", "Urgent (now: a child may be at risk)"


class AuthorRole(models.TextChoices):
    """FORMATS.md author roles, plus 'unknown': the reporter often cannot tell."""

    UNKNOWN = "unknown", "Not known"
    STAFF = "staff", "Staff"
    GOVERNOR = "governor", "Governor"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    PUPIL = "pupil", "Pupil"
    PUBLIC = "public", "Member of the public"


# The bundled policy's bound roles. A case is checked as its school's rulebook's bound roles
# (checking.run_check); this is the fallback where no school is at hand.
BOUND_AUTHOR_ROLES: tuple[str, ...] = tuple(name for name, r in DEFAULT_ROLES.items() if r.bound)


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    MASTODON = "mastodon", "Mastodon"
    WHATSAPP = "whatsapp", "WhatsApp"
    BLOG = "blog", "A blog"
    OTHER = "other", "Other or not known"


class Kind(models.TextChoices):
    POST = "post", "A post"
    COMMENT = "comment", "A comment on someone else's post"
    MESSAGE = "message", "A message"
    BLOG = "blog", "A blog entry"
    SHARE = "share", "A share of someone else's post"
    PROFILE = "profile", "A profile (the words about the person)"
    FRIEND_ACCEPT = "friend_accept", "Accepted a friend request"
    FRIEND_INVITE = "friend_invite", "Sent a friend request"


# What a reporter can choose: friend requests need a counterparty the form does not ask for.
REPORTABLE_KINDS: tuple[str, ...] = ("post", "comment", "message", "blog", "share", "profile")


class Audience(models.TextChoices):
    UNKNOWN = "", "Not known"
    PUBLIC = "public", "Anyone (public)"
    FRIENDS = "friends", "Friends or followers"
    GROUP = "group", "A group"
    PRIVATE = "private", "Private (one person)"


class EventAction(models.TextChoices):
    REPORTED = "reported", "Reported"
    CHECKED = "checked", "Checked against the policy"
    RECHECKED = "rechecked", "Re-checked against the current policy"
    ASSIGNED = "assigned", "Assigned"
    STATUS = "status", "Status changed"
    NOTE = "note", "Note added"
    DECIDED = "decided", "Decided"
    TRIAGED = "triaged", "Category or urgency changed"
    PERSON_LINKED = "person_linked", "Person linked"
    PERSON_UNLINKED = "person_unlinked", "Person unlinked"
    ATTACHED = "attached", "Attachment added"
    DETACHED = "detached", "Attachment removed"
