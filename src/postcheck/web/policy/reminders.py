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
from postcheck.web.policy.models import PolicyVersion
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


def send_reminders(school: School, version: PolicyVersion, pending: list[PersonStatus], url: str,
                   actor: Any) -> ReminderReport:  # fmt: skip
    """E-mail everyone in ``pending`` who has an address; audit the counts (never the names)."""
    sender = actor.get_full_name() or actor.get_username()
    messages = []
    for person in pending:
        user = person.user
        if not user.email:
            continue
        body = BODY.format(name=user.get_full_name() or user.get_username(), school=school.name,
                           number=version.number, date=f"{version.published_at:%d %B %Y}", url=url,
                           sender=f"{sender}, {school.name}")  # fmt: skip
        subject = f"Please read and acknowledge {school.name}'s social media policy (version {version.number})"
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    sent = (get_connection(fail_silently=False).send_messages(messages) or 0) if messages else 0
    report = ReminderReport(sent=sent, no_email=len(pending) - len(messages))
    record_audit("policy.remind", actor=actor, school=school, obj=version,
                 detail={"number": version.number, "sent": report.sent, "no_email": report.no_email})  # fmt: skip
    return report
