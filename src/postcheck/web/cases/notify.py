"""E-mails to reviewers: a new concern at their school, and a case assigned to them.

Through Django's mail backend (the console unless POSTCHECK_EMAIL_BACKEND names another).
A message carries the case reference and a link, never the post or any name in it: e-mail
leaves the school's server, the case stays on it. A mail failure never undoes the case.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from postcheck.web.cases.models import Case

log = logging.getLogger("postcheck.web.cases")

NEW_CONCERN = """A concern has been reported at {school}: case {reference} ({urgency}).

Read it and decide what happens next:
{url}
"""

ASSIGNED = """{by} has assigned case {reference} at {school} to you ({urgency}).

{url}
"""


def case_url(case: Case) -> str:
    return settings.POSTCHECK_SITE_URL.rstrip("/") + reverse("cases:case", args=[case.pk])


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    try:
        return get_connection(fail_silently=False).send_messages(messages) or 0
    except Exception:  # the case is saved whatever the mail server says; the log says it failed (no addresses)
        log.warning("could not send %d case e-mail(s)", len(messages), exc_info=True)
        return 0


def new_concern(case: Case, reporter: Any = None) -> int:
    """One message to each reviewer of the school with an address (not the reporter): how many were sent."""
    from postcheck.web.cases.access import reviewers_of

    fields = {"school": case.school.name, "reference": case.reference, "urgency": case.get_urgency_display().lower(),
              "url": case_url(case)}  # fmt: skip
    subject = f"New concern at {case.school.name}: {case.reference}"
    to = [u for u in reviewers_of(case.school) if u.email and (reporter is None or u.pk != reporter.pk)]
    return _send([EmailMessage(subject, NEW_CONCERN.format(**fields), settings.DEFAULT_FROM_EMAIL, [u.email])
                  for u in to])  # fmt: skip


def assigned(case: Case, assignee: Any, by: Any) -> int:
    if assignee is None or not assignee.email or (by is not None and assignee.pk == getattr(by, "pk", None)):
        return 0
    body = ASSIGNED.format(
        by=by.get_username() if by is not None else "Someone", reference=case.reference, school=case.school.name,
        urgency=case.get_urgency_display().lower(), url=case_url(case))  # fmt: skip
    return _send([EmailMessage(f"Case {case.reference} is assigned to you", body, settings.DEFAULT_FROM_EMAIL,
                               [assignee.email])])  # fmt: skip
