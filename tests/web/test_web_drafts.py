"""One draft, three front ends: postcheck.drafts builds the record for the CLI, the check page and the API."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from django.test import Client

from postcheck.cli import main
from postcheck.drafts import Draft, DraftError, build, parse_when, split_names
from postcheck.engine import Checker
from postcheck.model import Finding, Span
from postcheck.web.core.checkers import default_rulebook
from postcheck.web.core.models import School
from postcheck.web.core.presenting import present

LONDON = ZoneInfo("Europe/London")
OWN = "So proud of Zara Mahmood at sports day today!"  # Zara Mahmood is a pupil on the example roster


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(None, None)


def rules(checker: Checker, draft: Draft) -> set[str]:
    return {f.rule for f in checker.check(build(draft, LONDON))}


def test_it_builds_each_kind_as_formats_md_says() -> None:
    friend = build(Draft(text="", kind="friend_accept", other_role="pupil"), LONDON)
    assert friend.counterparty is not None and friend.counterparty.role == "pupil"
    reply = build(Draft(text="Agreed", kind="comment", other_role="parent"), LONDON)
    assert reply.in_reply_to is not None and reply.in_reply_to.author is not None
    assert reply.in_reply_to.author.role == "parent"
    profile = build(Draft(text="Teacher. Views my own.", kind="profile", audience="public"), LONDON)
    assert profile.profile is not None and profile.profile.bio == "Teacher. Views my own." and profile.text == ""
    assert profile.profile.visibility == "public"
    photo = build(Draft(text="Park", photo=True, caption="At the park"), LONDON)
    assert [(a.type, a.caption) for a in photo.attachments] == [("image", "At the park")]
    assert build(Draft(text="x"), LONDON).attachments == []


def test_it_reads_a_wall_clock_time_in_the_schools_zone() -> None:
    record = build(Draft(text="x", when=datetime(2026, 7, 1, 10, 30)), LONDON)
    assert record.created_at is not None and record.created_at.isoformat() == "2026-07-01T10:30:00+01:00"
    assert build(Draft(text="x"), LONDON).created_at is None
    assert parse_when("now", LONDON).tzinfo is None
    with pytest.raises(DraftError, match="not a time"):
        parse_when("teatime", LONDON)


def test_it_refuses_a_friend_request_without_the_other_side() -> None:
    with pytest.raises(DraftError, match="friend request"):
        build(Draft(text="", kind="friend_invite"), LONDON)


def test_it_splits_own_children_names() -> None:
    assert split_names(" Zara,  Theo Barnes ;Ada ,") == ("Zara", "Theo Barnes", "Ada")


def test_own_child_named_by_a_parent_is_not_another_child(checker: Checker) -> None:
    assert "other-child-named" in rules(checker, Draft(text=OWN, role="parent"))
    assert "other-child-named" not in rules(checker, Draft(text=OWN, role="parent", own_children=("Zara",)))
    # Naming one's own child does not excuse naming someone else's.
    both = Draft(text="Zara Mahmood and Theo Barnes won!", role="parent", own_children=("Zara Mahmood",))
    assert "other-child-named" in rules(checker, both)


def test_a_friend_request_is_judged_by_the_other_sides_role(checker: Checker) -> None:
    assert "pupil-friend-accepted" in rules(checker, Draft(kind="friend_accept", other_role="pupil"))
    assert "pupil-friend-accepted" not in rules(checker, Draft(kind="friend_accept", other_role="staff"))


def test_cli_builds_the_same_record() -> None:
    run = CliRunner().invoke(main, ["check", "--text", "", "--kind", "friend_accept", "--other-role", "pupil",
                                    "--format", "jsonl"])  # fmt: skip
    assert run.exit_code == 1, run.output
    assert "pupil-friend-accepted" in {f["rule"] for f in json.loads(run.output)["findings"]}
    run = CliRunner().invoke(main, ["check", "--text", OWN, "--role", "parent", "--own-child", "Zara",
                                    "--format", "jsonl"])  # fmt: skip
    assert "other-child-named" not in {f["rule"] for f in json.loads(run.output)["findings"]}
    run = CliRunner().invoke(main, ["check", "--text", "x", "--kind", "friend_invite"])
    assert run.exit_code == 2 and "friend request" in run.output


def check(client: Client, **fields: str) -> Any:
    data = {"text": "", "role": "staff", "school": "lancastrian", "kind": "post", "planned_at": "", **fields}
    return client.post("/check/", data)


def test_check_page_says_what_it_checks(client: Client, school_a: School) -> None:
    html = client.get("/check/").content.decode()
    for label in ("What it is", "Who the other person is", "Who will see it", "It has a photo or video",
                  "The photo&#x27;s caption", "The child I name is my own",
                  "in the school&#x27;s time zone (Europe/London)"):  # fmt: skip
        assert label in html, label
    now = datetime.now(LONDON).strftime("%Y-%m-%dT")
    assert f'name="planned_at" value="{now}' in html  # filled in with now, on the school's clock


def test_check_page_checks_a_friend_request(client: Client, school_a: School) -> None:
    page = check(client, kind="friend_accept", other_role="pupil")
    assert page.status_code == 200
    assert "pupil-friend-accepted" in {f.rule for f in page.context["result"].findings}
    assert "DO NOT accept friend requests" in page.content.decode()


def test_check_page_asks_whom_a_friend_request_is_with(client: Client, school_a: School) -> None:
    page = check(client, kind="friend_invite")
    assert page.context.get("result") is None
    assert "say whom the friend request is with" in page.content.decode()


def test_check_page_honours_own_child_and_says_when_no_time_was_given(client: Client, school_a: School) -> None:
    page = check(client, text=OWN, role="parent", own_children="Zara")
    assert "other-child-named" not in {f.rule for f in page.context["result"].findings}
    assert "You gave no time" in page.content.decode()
    timed = check(client, text="Lovely day", role="staff", planned_at="2026-11-24T10:30")
    assert "You gave no time" not in timed.content.decode()
    assert "working-time" in {f.rule for f in timed.context["result"].findings}


def test_possible_findings_are_listed_apart_and_not_counted(school_a: School) -> None:
    sure = Finding(rule="pupil-named", clauses=["SN.names"], severity="breach", message="Names a pupil",
                   spans=[Span(field="text", start=0, end=4, text="Pops")])  # fmt: skip
    unsure = Finding(rule="threats-and-bullying", clauses=["CB"], severity="breach", message="Maybe bullying")
    shown = present([sure], "Pops was brilliant", default_rulebook(), "Lancastrian", possible=[unsure])
    assert shown.breaches == 1 and [f.rule for f in shown.findings] == ["pupil-named"]
    assert [f.rule for f in shown.possible] == ["threats-and-bullying"]
    assert "Pops</mark>" in shown.fields[0].html and "Maybe" not in shown.fields[0].html
