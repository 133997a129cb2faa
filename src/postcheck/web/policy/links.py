"""Acknowledging the policy without an account: a signed, one-time link e-mailed to each member of
staff or governor on the roster (RosterContact) who has an address and has not acknowledged yet.

The link carries the contact and the version, signed with the site's secret (django.core.signing)
and valid for LINK_DAYS. It is one-time in effect: once used, it says when it was used and records
nothing more. A new version needs a new link. Nothing but ids is in the link; no name, no address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.utils import timezone

from postcheck.web.core.models import School
from postcheck.web.policy.models import ContactAcknowledgement, PolicyVersion, RosterContact

SALT = "postcheck.policy.ack-link"
LINK_DAYS = 60

BODY = """Dear {name},

{school} has published version {number} of its social media policy on {date}, and you
have not yet told us that you have read it.

Please read it and acknowledge it here (no account or password is needed; the link is yours alone):
{url}

It takes a few minutes. Thank you.

{sender}
"""


class BadLink(Exception):
    """The link was altered, has expired, or its version is no longer the current one."""


def make_token(contact: RosterContact, version: PolicyVersion) -> str:
    return signing.dumps({"c": contact.pk, "v": version.pk}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[RosterContact, PolicyVersion]:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 86400)
    except signing.SignatureExpired:
        raise BadLink("This link has expired. Ask the school for a new one.") from None
    except signing.BadSignature:
        raise BadLink("This link is not valid: it may have been cut short when it was copied.") from None
    contact = RosterContact.objects.select_related("school").filter(pk=data.get("c")).first()
    version = PolicyVersion.objects.filter(pk=data.get("v")).first()
    if contact is None or version is None or version.school_id != contact.school_id:
        raise BadLink("This link is no longer valid: the person or the policy version it was for has gone.")
    return contact, version


def acknowledge(contact: RosterContact, version: PolicyVersion) -> tuple[ContactAcknowledgement, bool]:
    return ContactAcknowledgement.objects.get_or_create(contact=contact, version=version,
                                                        defaults={"acknowledged_at": timezone.now()})  # fmt: skip


def pending_contacts(school: School, version: PolicyVersion) -> list[RosterContact]:
    done = ContactAcknowledgement.objects.filter(version=version).values("contact_id")
    return list(RosterContact.objects.filter(school=school).exclude(pk__in=done))


@dataclass
class Sent:
    sent: int
    no_email: int


def link_messages(school: School, version: PolicyVersion, contacts: list[RosterContact], link_url: Any,
                  sender: str) -> tuple[list[EmailMessage], int]:  # fmt: skip
    """One message per contact with an address, addressed by name; ``link_url(token)`` is the absolute URL."""
    subject = f"Please read and acknowledge {school.name}'s social media policy (version {version.number})"
    out = []
    for contact in contacts:
        if not contact.email:
            continue
        body = BODY.format(name=contact.name, school=school.name, number=version.number,
                           date=f"{version.published_at:%d %B %Y}", url=link_url(make_token(contact, version)),
                           sender=f"{sender}, {school.name}")  # fmt: skip
        out.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [contact.email]))
    return out, len(contacts) - len(out)
