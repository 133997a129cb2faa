"""``postcheck demo``: two invented schools, a user for every role, demo records for cases.

Everything here is fictional. The second school exists so that per-school isolation
can be seen: its users see nothing of the first, and the other way round.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from postcheck.cli import example_records_path
from postcheck.engine import example_school_path
from postcheck.web.core.models import Membership, School
from postcheck.web.core.roles import Role

SECOND_SCHOOL: dict[str, Any] = {
    "name": "Moorside Primary School",
    "aliases": ["Moorside", "Moorside Primary", "MPS"],
    "domains": ["moorside.example.sch.uk"],
    "official_accounts": ["@MoorsidePrimary"],
    "timezone": "Europe/London",
    "working_hours": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:15", "end": "16:45"}],
    "sessions": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:45", "end": "15:20"}],
    "term_dates": [{"start": "2026-09-03", "end": "2026-10-23"}, {"start": "2026-11-02", "end": "2026-12-18"}],
    "pupils": [
        {"name": "Harriet Oyelaran", "aliases": ["Hattie"], "photo_consent": True},
        {"name": "Jakub Wisniewski", "photo_consent": False},
        {"name": "Sami Rahman", "photo_consent": True},
    ],
    "staff": [
        {"name": "Gareth Pryce", "role": "headteacher", "aliases": ["Mr Pryce"]},
        {"name": "Lowri Evans", "role": "Year 3 teacher", "aliases": ["Miss Evans"]},
    ],
    "parents": [{"name": "Funmi Oyelaran", "children": ["Harriet Oyelaran"]}],
    "confidential_terms": ["safeguarding referral", "exclusion meeting"],
}

SECOND_RECORDS: list[dict[str, Any]] = [
    {"id": "m1", "kind": "post", "platform": "facebook", "created_at": "2026-10-06T20:10:00+01:00",
     "author": {"name": "A parent", "role": "parent"}, "audience": "public",
     "text": "Moorside Primary is a joke, Miss Evans clearly can't control that class"},
    {"id": "m2", "kind": "post", "platform": "instagram", "created_at": "2026-10-08T10:30:00+01:00",
     "author": {"name": "A teacher", "role": "staff"}, "audience": "friends",
     "text": "So proud of Hattie today, she read to the whole class!"},
    {"id": "m3", "kind": "post", "platform": "facebook", "created_at": "2026-10-10T19:00:00+01:00",
     "author": {"name": "A governor", "role": "governor"}, "audience": "public",
     "text": "Lovely autumn fair at school today, thank you to everyone who helped."},
]  # fmt: skip


def demo_records(school: School) -> list[dict[str, Any]]:
    """A handful of FORMATS.md records about ``school`` (the cases app turns them into demo cases)."""
    if school.slug == "lancastrian":
        with open(example_records_path(), encoding="utf-8") as fh:
            return [json.loads(line) for line, _ in zip(fh, range(8), strict=False) if line.strip()]
    if school.slug == "moorside":
        return [dict(r) for r in SECOND_RECORDS]
    return []


@dataclass
class DemoAccounts:
    password: str
    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role label, school(s)
    cases: dict[str, int] = field(default_factory=dict)


def _school(slug: str, context: dict[str, Any] | str, anonymous: bool) -> School:
    school = School.objects.filter(slug=slug).first() or School(slug=slug)
    school.set_context(context)
    school.name = school.context["name"]
    school.allow_anonymous_check = anonymous
    school.save()
    return school


def _user(username: str, password: str, **extra: Any) -> Any:
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username, defaults={"email": f"{username}@example.invalid"})
    for key, value in extra.items():
        setattr(user, key, value)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def setup_demo(password: str | None = None) -> DemoAccounts:
    """Create (or refresh) the demo schools and users; every demo user gets the same new password."""
    from postcheck.web.cases.demo import seed_demo_cases
    from postcheck.web.policy.demo import seed_demo_policy

    accounts = DemoAccounts(password or secrets.token_urlsafe(9))
    first = _school("lancastrian", example_school_path().read_text(encoding="utf-8"), anonymous=True)
    second = _school("moorside", SECOND_SCHOOL, anonymous=False)
    for school in (first, second):
        for role in Role:
            username = f"{school.slug}-{role.value.replace('_', '-')}"
            user = _user(username, accounts.password)
            Membership.objects.update_or_create(user=user, school=school, defaults={"role": role.value})
            accounts.users.append((username, role.label, school.name))
    # One person in both schools, to show the school switcher.
    both = _user("trust-governor", accounts.password)
    for school in (first, second):
        Membership.objects.update_or_create(user=both, school=school, defaults={"role": Role.GOVERNOR.value})
    accounts.users.append(("trust-governor", Role.GOVERNOR.label, f"{first.name} and {second.name}"))
    _user("demo-superuser", accounts.password, is_staff=True, is_superuser=True)
    accounts.users.append(("demo-superuser", "Django admin (whole installation)", "all"))
    for school in (first, second):
        accounts.cases[school.name] = seed_demo_cases(school)
        # A published policy version, so staff and governors have something to acknowledge.
        head = Membership.objects.filter(school=school, role=Role.HEADTEACHER.value).first()
        seed_demo_policy(school, head.user if head else None)
    return accounts
