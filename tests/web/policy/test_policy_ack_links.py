"""Staff and governors on the roster acknowledge without an account, through a signed one-time link
sent by e-mail; every reminder addresses its reader by name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client
from policy_helpers import upload

from postcheck.web.core.models import AuditEntry, School
from postcheck.web.policy import links
from postcheck.web.policy.models import ContactAcknowledgement, PolicyVersion, RosterContact

ROSTER = "name,kind,email\nHelen Ward,governor,h.ward@example.org\nSam Okafor,staff,\n"


def remind(c: Client) -> Any:
    return c.post("/policy/lancastrian/acknowledgements/remind/", follow=True)


def test_governors_and_addresses_come_from_the_roster_import(client_for: Callable[[Any], Client], reviewer: Any,
                                                             school_a: School) -> None:  # fmt: skip
    c = client_for(reviewer)
    upload(c, ROSTER)
    c.post("/policy/settings/roster/confirm/")
    contacts = {(x.kind, x.name, x.email) for x in RosterContact.objects.filter(school=school_a)}
    assert contacts == {("governor", "Helen Ward", "h.ward@example.org")}  # staff without an address: no link
    assert "Helen Ward" not in str(School.objects.get(pk=school_a.pk).context)  # governors stay out of the context


def test_a_contact_acknowledges_through_the_link_once(client: Client, client_for: Callable[[Any], Client],
                                                      reviewer: Any, school_a: School,
                                                      published: PolicyVersion) -> None:  # fmt: skip
    RosterContact.objects.create(school=school_a, kind="governor", name="Helen Ward", email="h.ward@example.org")
    page = remind(client_for(reviewer))
    assert "Reminder sent to 1 person." in page.content.decode()
    (message,) = mail.outbox
    assert message.to == ["h.ward@example.org"] and message.body.startswith("Dear Helen Ward,")
    url = re.search(r"http://testserver(/policy/ack/\S+/)", message.body)
    assert url is not None
    shown = client.get(url.group(1))  # no account, not signed in
    assert shown.status_code == 200 and "asks Helen Ward to read" in shown.content.decode()
    assert client.post(url.group(1)).status_code == 302
    assert ContactAcknowledgement.objects.filter(version=published).count() == 1
    again = client.get(url.group(1)).content.decode()
    assert "this link cannot be used again" in again and "I have read" not in again
    client.post(url.group(1))  # a second use records nothing more
    assert ContactAcknowledgement.objects.count() == 1
    assert AuditEntry.objects.filter(action="policy.acknowledge_link").count() == 1
    mail.outbox.clear()
    remind(client_for(reviewer))
    assert not mail.outbox  # done: not reminded again


def test_an_altered_link_is_refused(client: Client, school_a: School, published: PolicyVersion) -> None:
    contact = RosterContact.objects.create(school=school_a, kind="staff", name="Sam Okafor", email="s@example.org")
    token = links.make_token(contact, published)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(f"/policy/ack/{forged}/")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert not ContactAcknowledgement.objects.exists()


def test_reminders_address_account_holders_by_name(client_for: Callable[[Any], Client], reviewer: Any,
                                                   staff: Any, school_a: School,
                                                   published: PolicyVersion) -> None:  # fmt: skip
    staff.email = "sam.okafor@example.org"
    staff.save()
    RosterContact.objects.create(school=school_a, kind="staff", name="Sam Okafor", email="sam.okafor@example.org")
    remind(client_for(reviewer))
    (message,) = mail.outbox  # one message: the contact has an account, so no second link
    assert message.body.startswith("Dear Sam Okafor,") and "sam-staff" not in message.body
    staff.first_name, staff.last_name = "Samuel", "Okafor"
    staff.save()
    mail.outbox.clear()
    remind(client_for(reviewer))
    assert mail.outbox[0].body.startswith("Dear Samuel Okafor,")
