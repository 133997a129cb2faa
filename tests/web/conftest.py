"""Personas and schools for the web tests.

Two schools: Lancastrian (the bundled example; lets anyone check) and Moorside (invented;
members only). Personas: a reviewer (headteacher), a staff member and a parent at
Lancastrian; an outsider (headteacher at Moorside); a trust governor in both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from postcheck.engine import example_school_path
from postcheck.web.core.models import Membership, School
from postcheck.web.demo import SECOND_SCHOOL

PASSWORD = "correct horse battery staple"


@functools.cache
def password_hash() -> str:
    return make_password(PASSWORD)  # Argon2 is slow on purpose: hash once for every persona


@pytest.fixture
def school_a(db: Any) -> School:
    school = School(name="Lancastrian Infant School", slug="lancastrian", allow_anonymous_check=True)
    school.set_context(example_school_path().read_text(encoding="utf-8"))
    school.save()
    return school


@pytest.fixture
def school_b(db: Any) -> School:
    school = School(name="Moorside Primary School", slug="moorside", allow_anonymous_check=False)
    school.set_context(SECOND_SCHOOL)
    school.save()
    return school


@pytest.fixture
def make_user(db: Any, django_user_model: Any) -> Callable[..., Any]:
    def make(username: str, *memberships: tuple[School, str]) -> Any:
        user = django_user_model.objects.create(username=username, password=password_hash())
        for school, role in memberships:
            Membership.objects.create(user=user, school=school, role=role)
        return user

    return make


@pytest.fixture
def reviewer(make_user: Callable[..., Any], school_a: School) -> Any:
    return make_user("rita-reviewer", (school_a, "headteacher"))


@pytest.fixture
def staff(make_user: Callable[..., Any], school_a: School) -> Any:
    return make_user("sam-staff", (school_a, "staff"))


@pytest.fixture
def parent(make_user: Callable[..., Any], school_a: School) -> Any:
    return make_user("pat-parent", (school_a, "parent"))


@pytest.fixture
def outsider(make_user: Callable[..., Any], school_b: School) -> Any:
    return make_user("oscar-outsider", (school_b, "headteacher"))


@pytest.fixture
def trust_governor(make_user: Callable[..., Any], school_a: School, school_b: School) -> Any:
    return make_user("greta-governor", (school_a, "governor"), (school_b, "governor"))


@pytest.fixture
def password() -> str:
    """Every persona's password."""
    return PASSWORD


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make
