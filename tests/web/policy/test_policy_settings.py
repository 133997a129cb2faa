"""The school's settings and the full context editor: managers only, validated, naming the field at fault."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.test import Client

from postcheck.web.core.models import AuditEntry, School
from postcheck.web.policy import lines


def settings_data(school: School, **changes: Any) -> dict[str, Any]:
    """The settings form as the page fills it in, with ``changes``."""
    from postcheck.web.policy.forms import SchoolSettingsForm

    form = SchoolSettingsForm(school=school)
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {k: v for k, v in data.items() if v is not False}  # an unticked box is not sent
    data.update(changes)
    return data


def test_settings_page(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    page = client_for(reviewer).get("/policy/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lancastrian Infant School" in html and "mon-fri 08:00-16:30" in html and "2026-09-02 to 2026-10-23" in html
    assert 'href="/api/lancastrian/tokens/"' in html  # the API tokens tab


@pytest.mark.parametrize("path", ["/policy/settings/", "/policy/settings/context/", "/policy/settings/roster/",
                                  "/policy/settings/roster/export.csv", "/policy/settings/roster/preview/"])
def test_settings_are_for_managers(client_for: Callable[[Any], Client], staff: Any, parent: Any, outsider: Any,
                                   trust_governor: Any, school_a: School, path: str) -> None:  # fmt: skip
    for user in (staff, parent, trust_governor):
        assert client_for(user).get(path).status_code == 403
    slugged = path.replace("/policy/", "/policy/lancastrian/")
    assert client_for(outsider).get(slugged).status_code == 404  # another school's settings do not exist for them
    own = client_for(outsider).get(path)  # their own school's page (the preview sends them to upload first)
    assert own.status_code == (302 if path.endswith("preview/") else 200)


def test_other_school_settings_post_is_404(client_for: Callable[[Any], Client], outsider: Any,
                                           school_a: School) -> None:  # fmt: skip
    before = School.objects.get(pk=school_a.pk).context
    c = client_for(outsider)
    assert c.post("/policy/lancastrian/settings/", settings_data(school_a, name="Hacked")).status_code == 404
    assert c.post("/policy/lancastrian/settings/context/", {"context": "name: Hacked"}).status_code == 404
    assert School.objects.get(pk=school_a.pk).context == before


def test_save_settings(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    data = settings_data(school_a, aliases="Lancastrian\nLIS\nLancs Infants", retention_days="400",
                         working_hours="mon-thu 08:00-16:30\nfri 08:00-15:00", allow_anonymous_report="on")
    response = client_for(reviewer).post("/policy/lancastrian/settings/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    school = School.objects.get(pk=school_a.pk)
    assert school.context["aliases"] == ["Lancastrian", "LIS", "Lancs Infants"]
    assert school.context["working_hours"] == [
        {"days": ["mon", "tue", "wed", "thu"], "start": "08:00", "end": "16:30"},
        {"days": ["fri"], "start": "08:00", "end": "15:00"}]
    assert school.retention_days == 400 and school.allow_anonymous_report
    assert school.context["pupils"] == school_a.context["pupils"]  # the roster is untouched
    assert school.checker().school.aliases == ["Lancastrian", "LIS", "Lancs Infants"]  # the checker follows
    entry = AuditEntry.objects.get(action="school.settings")
    assert entry.detail == {"changed": ["aliases", "working_hours", "allow_anonymous_report", "retention_days"]}


def test_unchanged_settings_save_nothing(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    response = client_for(reviewer).post("/policy/settings/", settings_data(school_a), follow=True)
    assert "Nothing had changed" in response.content.decode()
    assert not AuditEntry.objects.filter(action="school.settings").exists()


def test_invalid_settings_name_the_field(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    before = School.objects.get(pk=school_a.pk).context
    c = client_for(reviewer)
    page = c.post("/policy/settings/", settings_data(school_a, timezone="Mars/Olympus_Mons"))
    assert page.status_code == 200
    form = page.context["form"]
    assert "timezone: 'Mars/Olympus_Mons' is not a known time zone" in form.errors["timezone"][0]
    assert 'aria-invalid="true"' in page.content.decode()
    page = c.post("/policy/settings/", settings_data(school_a, term_dates="2026-09-02 to 2026-13-01",
                                                       sessions="mon-fry 08:50-12:00"))  # fmt: skip
    assert page.context["form"].errors["term_dates"] == ["Line 1: month must be in 1..12"]
    assert page.context["form"].errors["sessions"] == [
        "Line 1: 'fry' is not a day; days are mon, tue, wed, thu, fri, sat, sun"]
    assert School.objects.get(pk=school_a.pk).context == before
    assert not AuditEntry.objects.filter(action="school.settings").exists()


def test_context_editor(client_for: Callable[[Any], Client], reviewer: Any, school_a: School) -> None:
    c = client_for(reviewer)
    page = c.get("/policy/settings/context/")
    assert page.status_code == 200 and "Poppy Ashworth" in page.content.decode()
    context = yaml.safe_load(page.context["form"].initial["context"])
    context["name"] = "Lancastrian Infant and Nursery School"
    context["confidential_terms"] = ["exclusion meeting"]
    assert c.post("/policy/settings/context/", {"context": yaml.safe_dump(context)}).status_code == 302
    school = School.objects.get(pk=school_a.pk)
    assert school.name == "Lancastrian Infant and Nursery School" and school.context["name"] == school.name
    assert school.context["confidential_terms"] == ["exclusion meeting"]
    entry = AuditEntry.objects.get(action="school.context")
    assert entry.detail == {"changed": ["confidential_terms", "name"]}


@pytest.mark.parametrize(("text", "message"), [
    ("name: X\ntimezone: Mars/Base\n", "timezone: 'Mars/Base' is not a known time zone"),
    ("name: X\nterm_dates:\n  - {start: 2026-09-02}\n", "term_dates[0].end: required; add it"),
    ("name: X\nworking_hours:\n  - {days: [mon, fry], start: '08:00', end: '16:00'}\n", "working_hours[0].days[1]:"),
    ("aliases: [a]\n", "name: required; add it"),
    ("name: X\naliases: [a\n", "Line 3, column 1:"),
    ("- just\n- a list\n", "a school file must be a mapping"),
])  # fmt: skip
def test_context_editor_names_the_field(client_for: Callable[[Any], Client], reviewer: Any, school_a: School,
                                        text: str, message: str) -> None:  # fmt: skip
    before = School.objects.get(pk=school_a.pk).context
    page = client_for(reviewer).post("/policy/settings/context/", {"context": text})
    assert page.status_code == 200
    errors = page.context["form"].errors["context"]
    assert any(message in e for e in errors), errors
    assert message.split(":")[0] in page.content.decode()
    assert School.objects.get(pk=school_a.pk).context == before


def test_lines() -> None:
    assert lines.parse_slots("Monday-Wednesday, fri 8:00 - 12:30") == [
        {"days": ["mon", "tue", "wed", "fri"], "start": "08:00", "end": "12:30"}]
    assert lines.format_days(["mon", "tue", "wed", "fri", "sun"]) == "mon-wed,fri,sun"
    with pytest.raises(lines.LineError) as err:
        lines.parse_slots("mon-fri 16:00-08:00\n\nfri-mon 08:00-09:00\nwhenever")
    assert err.value.messages == ["Line 1: it ends (08:00) before it starts (16:00)",
                                  "Line 3: 'fri-mon' runs backwards; write the earlier day first, e.g. mon-fri",
                                  "Line 4: write days then times, e.g. 'mon-fri 08:00-16:30'"]  # fmt: skip
    assert lines.parse_terms("2026-09-02 to 2026-10-23\n2026-11-02 - 2026-12-18") == [
        {"start": "2026-09-02", "end": "2026-10-23"}, {"start": "2026-11-02", "end": "2026-12-18"}]
    with pytest.raises(lines.LineError, match="Line 1: the term ends"):
        lines.parse_terms("2026-10-23 to 2026-09-02")
    with pytest.raises(lines.LineError, match="Line 2: 'soon' is not a date"):
        lines.parse_dates("2026-11-30\nsoon")


def test_every_settings_mistake_is_shown_at_once(client_for: Callable[[Any], Client], reviewer: Any,
                                                 school_a: School) -> None:  # fmt: skip
    # Issue 12: the working hours' mistake came first and the time zone's only on resubmitting.
    page = client_for(reviewer).post("/policy/settings/", settings_data(
        school_a, timezone="Mars/Olympus_Mons", working_hours="mon-fry 08:00-16:00"))  # fmt: skip
    errors = page.context["form"].errors
    assert "timezone" in errors and "working_hours" in errors
    assert "'Mars/Olympus_Mons' is not a known time zone" in errors["timezone"][0]
