"""E-mail reminders to those who have not acknowledged the current policy version.

One message per person (nobody sees who else was reminded), through Django's mail
backend: the console backend unless POSTCHECK_EMAIL_BACKEND names another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from postcheck.web.core.audit import record_audit
from postcheck.web.core.models import School
from postcheck.web.policy.links import link_messages, pending_contacts
from postcheck.web.policy.models import PolicyVersion, RosterContact
from postcheck.web.policy.publishing import PersonStatus

BODY = """Dear {name},

{school} has published version {number} of its social media policy on {date}, and you
have not yet told us that you have read it.

Please read it and acknowledge it here:
{url}

It takes a few minutes. Thank you.

{sender}
"""


@dataclass
class ReminderReport:
    sent: int
    no_email: int


def addressed_as(user: Any, by_email: dict[str, str]) -> str:
    """The name a reminder opens with: the account's full name, else the name on the roster for its
    e-mail address, else 'colleague' (never a username such as 'lancastrian-admin')."""
    return user.get_full_name() or by_email.get((user.email or "").casefold(), "") or "colleague"


def send_reminders(school: School, version: PolicyVersion, pending: list[PersonStatus], url: str,
                   actor: Any, link_url: Any = None) -> ReminderReport:  # fmt: skip
    """E-mail everyone in ``pending`` who has an address, and (with ``link_url``) a signed acknowledgement
    link to each roster contact who has not acknowledged; audit the counts (never the names)."""
    sender = actor.get_full_name() or actor.get_username()
    contacts = pending_contacts(school, version)
    by_email = {c.email.casefold(): c.name for c in RosterContact.objects.filter(school=school).exclude(email="")}
    accounts = {(p.user.email or "").casefold() for p in pending} | {
        (e or "").casefold() for e in school.memberships.values_list("user__email", flat=True)}
    messages = []
    for person in pending:
        user = person.user
        if not user.email:
            continue
        body = BODY.format(name=addressed_as(user, by_email), school=school.name,
                           number=version.number, date=f"{version.published_at:%d %B %Y}", url=url,
                           sender=f"{sender}, {school.name}")  # fmt: skip
        subject = f"Please read and acknowledge {school.name}'s social media policy (version {version.number})"
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    no_email = len(pending) - len(messages)
    if link_url is not None:
        # A contact who also has an account is reminded once, through the account.
        without_account = [c for c in contacts if not c.email or c.email.casefold() not in accounts]
        links, no_address = link_messages(school, version, without_account, link_url, sender)
        messages += links
        no_email += no_address
    sent = (get_connection(fail_silently=False).send_messages(messages) or 0) if messages else 0
    report = ReminderReport(sent=sent, no_email=no_email)
    record_audit("policy.remind", actor=actor, school=school, obj=version,
                 detail={"number": version.number, "sent": report.sent, "no_email": report.no_email})  # fmt: skip
    return report
