"""School context storage, the cached Checker, and findings rendering."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template

from postcheck.errors import ConfigError
from postcheck.model import Finding, Span
from postcheck.web.core.checkers import checker_for
from postcheck.web.core.models import Membership, School
from postcheck.web.core.presenting import highlight, present

DRAFT = {"id": "d", "kind": "post", "author": {"name": "you", "role": "staff"},
         "text": "Pops and Kamilek were brilliant today"}  # fmt: skip


def test_context_round_trips_as_json(school_a: School) -> None:
    school = School.objects.get(pk=school_a.pk)
    assert school.context["term_dates"][0] == {"start": "2026-09-02", "end": "2026-10-23"}
    assert school.school_context().name == "Lancastrian Infant School"
    assert "Poppy Ashworth" in school.context_yaml()
    assert len(school.context_hash) == 64


def test_bad_context_refused_with_the_fix() -> None:
    school = School(name="X", slug="x")
    with pytest.raises(ConfigError, match="timezone"):
        school.set_context("name: X\ntimezone: Mars/Olympus\n")
    school.context = {"name": "X", "term_dates": [{"start": "soon"}]}
    with pytest.raises(ValidationError) as err:
        school.clean()
    assert "context" in err.value.message_dict


@pytest.mark.django_db
def test_empty_context_is_just_the_name() -> None:
    school = School.objects.create(name="Tiny School", slug="tiny")
    assert school.context == {"name": "Tiny School"}
    assert school.checker().check(DRAFT) == []  # no roster, no pupil names to find


def test_checker_cached_and_rebuilt_when_context_changes(school_a: School) -> None:
    first = school_a.checker()
    assert School.objects.get(pk=school_a.pk).checker() is first  # another request, same process
    assert {f.rule for f in first.check(DRAFT)} >= {"pupil-named"}
    context = dict(school_a.context, pupils=[{"name": "Ada Lovelace"}], parents=[])  # no child off the roster
    school_a.set_context(context)
    school_a.save()
    rebuilt = School.objects.get(pk=school_a.pk).checker()
    assert rebuilt is not first
    assert "pupil-named" not in {f.rule for f in rebuilt.check(DRAFT)}


def test_checker_rebuilt_when_another_process_changed_the_row(school_a: School) -> None:
    first = school_a.checker()
    # Another process saved a new context: this process's cache is stale but the hash tells.
    School.objects.filter(pk=school_a.pk).update(context={"name": "Renamed School"}, context_hash="x" * 64)
    assert checker_for(School.objects.get(pk=school_a.pk)) is not first


def test_one_membership_per_school(staff: Any, school_a: School) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=staff, school=school_a, role="parent")


def test_highlight_merges_and_escapes() -> None:
    text = "a <b> lazy sod"
    out = highlight(text, [(3, 5, "advisory"), (6, 10, "advisory"), (8, 14, "breach")])
    assert out == 'a &lt;<mark class="advisory">b&gt;</mark> <mark class="breach">lazy sod</mark>'
    assert highlight("abc", [(5, 9, "breach"), (2, 1, "breach")]) == "abc"


def test_present_accepts_dicts_and_text(school_a: School) -> None:
    finding = Finding(rule="pupil-named", clauses=["SN.names", "IC.c"], severity="breach", message="Names a pupil.",
                      spans=[Span(start=0, end=4, text="Pops")])  # fmt: skip
    checker = school_a.checker()
    shown = present([finding.to_json()], DRAFT["text"], checker.rulebook, "Lancastrian Infant School")
    assert shown.breaches == 1 and shown.advisories == 0
    assert shown.fields[0].html.startswith('<mark class="breach">Pops</mark>')
    view = shown.findings[0]
    assert view.code and [c.ref for c in view.clauses] == ["SN.names", "IC.c"]
    assert view.advice  # from the rulebook when the finding has none
    assert view.words == ["Pops"]


def test_template_tag_renders_like_the_check_page(school_a: School) -> None:
    findings = school_a.checker().check(DRAFT)
    html = Template("{% load findings %}{% render_findings findings record school heading_level=3 %}").render(
        Context({"findings": findings, "record": DRAFT, "school": school_a}))
    assert '<h3 class="findings-summary">' in html
    assert '<mark class="breach">Pops</mark>' in html
    assert "Policy clause SN.names" in html
    assert "What to write instead:" in html
    plain = Template("{% load findings %}{{ text|highlight_spans:findings }}").render(
        Context({"text": DRAFT["text"], "findings": [f.to_json() for f in findings]}))
    assert '<mark class="breach">Pops</mark>' in plain


def test_template_tag_without_school_uses_bundled_policy() -> None:
    html = Template("{% load findings %}{% render_findings findings 'ok' %}").render(Context({"findings": []}))
    assert "No problems found" in html


def test_admin_edits_context_as_yaml_and_audits(admin_client: Any, school_a: School) -> None:
    from postcheck.web.core.models import AuditEntry

    page = admin_client.get(f"/admin/core/school/{school_a.pk}/change/")
    assert page.status_code == 200 and "Poppy Ashworth" in page.content.decode()
    data = {"name": "Lancastrian Infant School", "slug": "lancastrian", "retention_days": 400,
            "allow_anonymous_check": "on", "context_text": "name: Lancastrian Infant School\ntimezone: Mars/Olympus",
            "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0}  # fmt: skip
    refused = admin_client.post(f"/admin/core/school/{school_a.pk}/change/", data)
    assert refused.status_code == 200 and "Mars/Olympus" in refused.content.decode()
    data["context_text"] = "name: Lancastrian Infant School\naliases: [LIS]"
    assert admin_client.post(f"/admin/core/school/{school_a.pk}/change/", data).status_code == 302
    school_a.refresh_from_db()
    assert school_a.context == {"name": "Lancastrian Infant School", "aliases": ["LIS"]}
    entry = AuditEntry.objects.get(action="school.change")
    assert "context_text" in entry.detail["fields"] and "Poppy" not in str(entry.detail)
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403


def test_not_found_page_uses_the_site_layout(client: Any, school_a: School) -> None:
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "Skip to main content" in page.content.decode()
