"""Acknowledging the current version, the prompt until then, who has not, and reminders by e-mail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client

from postcheck.web.core.models import AuditEntry, School
from postcheck.web.policy.models import Acknowledgement, PolicyVersion
from postcheck.web.policy.publishing import acknowledge, publish

PROMPT = "Please read the social media policy."


def ack(c: Client, number: int = 1, confirm: bool = True) -> Any:
    return c.post("/policy/lancastrian/acknowledge/", {"version": number, **({"confirm": "on"} if confirm else {})})


def test_staff_acknowledge_once(client_for: Callable[[Any], Client], staff: Any, published: PolicyVersion) -> None:
    c = client_for(staff)
    page = c.get("/policy/").content.decode()
    assert "You have not acknowledged this version yet." in page and 'id="acknowledge"' in page
    assert PROMPT not in page  # the policy page says it by the button, not in a banner
    assert PROMPT in c.get("/").content.decode()  # every other page prompts
    response = ack(c)
    assert response.status_code == 302 and response["Location"] == "/policy/lancastrian/"
    first = Acknowledgement.objects.get(user=staff, version=published)
    assert ack(c).status_code == 302  # twice is harmless
    assert Acknowledgement.objects.filter(user=staff).count() == 1
    assert Acknowledgement.objects.get(user=staff).acknowledged_at == first.acknowledged_at
    entries = AuditEntry.objects.filter(action="policy.acknowledge")
    assert entries.count() == 1 and entries[0].actor_id == staff.pk and entries[0].detail == {"number": 1}
    assert PROMPT not in c.get("/").content.decode()
    assert "You acknowledged this version on" in c.get("/policy/").content.decode()


def test_acknowledging_needs_the_box_ticked(client_for: Callable[[Any], Client], staff: Any,
                                           published: PolicyVersion) -> None:  # fmt: skip
    page = ack(client_for(staff), confirm=False)
    assert page.status_code == 400
    assert "Tick the box to say that you have read the policy." in page.content.decode()
    assert not Acknowledgement.objects.exists()


def test_governor_acknowledges_each_school_separately(client_for: Callable[[Any], Client], trust_governor: Any,
                                                      school_a: School, school_b: School, reviewer: Any,
                                                      outsider: Any) -> None:  # fmt: skip
    v_a, v_b = publish(school_a, reviewer), publish(school_b, outsider)
    c = client_for(trust_governor)
    assert ack(c).status_code == 302
    assert list(Acknowledgement.objects.values_list("version", flat=True)) == [v_a.pk]
    c.post("/policy/moorside/acknowledge/", {"version": 1, "confirm": "on"})
    assert set(Acknowledgement.objects.values_list("version", flat=True)) == {v_a.pk, v_b.pk}


def test_parents_are_not_asked(client_for: Callable[[Any], Client], parent: Any, published: PolicyVersion) -> None:
    c = client_for(parent)
    page = c.get("/policy/").content.decode()
    assert "Parents and carers are not asked to acknowledge" in page and 'id="acknowledge"' not in page
    assert PROMPT not in c.get("/").content.decode()
    assert ack(c).status_code == 403
    assert not Acknowledgement.objects.exists()


def test_other_school_cannot_acknowledge(client_for: Callable[[Any], Client], outsider: Any,
                                         published: PolicyVersion) -> None:  # fmt: skip
    assert ack(client_for(outsider)).status_code == 404
    assert not Acknowledgement.objects.exists()


def test_a_stale_page_does_not_acknowledge_a_newer_version(client_for: Callable[[Any], Client], staff: Any,
                                                           reviewer: Any, school_a: School,
                                                           published: PolicyVersion) -> None:  # fmt: skip
    publish(school_a, reviewer, "second")
    c = client_for(staff)
    assert ack(c, number=1).status_code == 302
    assert not Acknowledgement.objects.exists()
    ack(c, number=2)
    assert Acknowledgement.objects.get().version.number == 2


def test_a_new_version_asks_again(client_for: Callable[[Any], Client], staff: Any, reviewer: Any,
                                  school_a: School, published: PolicyVersion) -> None:  # fmt: skip
    acknowledge(staff, published)
    c = client_for(staff)
    assert PROMPT not in c.get("/").content.decode()
    publish(school_a, reviewer, "New term dates")
    assert PROMPT in c.get("/").content.decode()


def test_who_has_not(client_for: Callable[[Any], Client], reviewer: Any, staff: Any, parent: Any,
                     trust_governor: Any, published: PolicyVersion) -> None:  # fmt: skip
    acknowledge(staff, published)
    page = client_for(reviewer).get("/policy/acknowledgements/")
    assert page.status_code == 200
    status = page.context["status"]
    assert {p.user.username for p in status.done} == {"sam-staff"}
    assert {p.user.username for p in status.pending} == {"rita-reviewer", "greta-governor"}
    assert "pat-parent" not in page.content.decode()  # parents are not asked
    assert "Send a reminder" in page.content.decode()


def test_who_has_not_is_for_managers(client_for: Callable[[Any], Client], staff: Any, parent: Any, outsider: Any,
                                     published: PolicyVersion) -> None:  # fmt: skip
    assert client_for(staff).get("/policy/acknowledgements/").status_code == 403
    assert client_for(parent).get("/policy/acknowledgements/").status_code == 403
    assert client_for(outsider).get("/policy/lancastrian/acknowledgements/").status_code == 404
    assert client_for(staff).post("/policy/acknowledgements/remind/").status_code == 403
    assert client_for(outsider).post("/policy/lancastrian/acknowledgements/remind/").status_code == 404
    assert not mail.outbox


def test_reminder_goes_only_to_those_who_have_not(client_for: Callable[[Any], Client], reviewer: Any, staff: Any,
                                                  parent: Any, trust_governor: Any, with_emails: None,
                                                  published: PolicyVersion) -> None:  # fmt: skip
    acknowledge(staff, published)
    acknowledge(reviewer, published)
    response = client_for(reviewer).post("/policy/lancastrian/acknowledgements/remind/", follow=True)
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["greta-governor@example.invalid"]]  # not staff, manager or parent
    message = mail.outbox[0]
    assert "version 1" in message.subject and "Lancastrian Infant School" in message.subject
    assert "http://testserver/policy/lancastrian/" in message.body
    assert "Reminder sent to 1 person." in response.content.decode()
    entry = AuditEntry.objects.get(action="policy.remind")
    assert entry.detail == {"number": 1, "sent": 1, "no_email": 0}
    assert "greta" not in str(entry.detail)  # counts, never names


def test_reminder_counts_those_without_an_address(client_for: Callable[[Any], Client], reviewer: Any,
                                                  staff: Any, published: PolicyVersion) -> None:  # fmt: skip
    staff.email = "sam@example.invalid"
    staff.save()
    response = client_for(reviewer).post("/policy/acknowledgements/remind/", follow=True)
    assert [m.to for m in mail.outbox] == [["sam@example.invalid"]]
    assert "1 without an e-mail address" in response.content.decode()


def test_no_reminder_without_a_version_or_when_all_done(client_for: Callable[[Any], Client], reviewer: Any,
                                                        school_a: School) -> None:  # fmt: skip
    c = client_for(reviewer)
    assert "No version of the policy has been published" in c.get("/policy/acknowledgements/").content.decode()
    c.post("/policy/acknowledgements/remind/")
    assert not mail.outbox
    version = publish(school_a, reviewer)
    acknowledge(reviewer, version)
    response = c.post("/policy/acknowledgements/remind/", follow=True)
    assert "no reminder was sent" in response.content.decode() and not mail.outbox
