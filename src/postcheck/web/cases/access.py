"""Who may see cases: reviewers (headteacher, safeguarding lead) and the school administrator.

A case in a school the user is not a member of is a 404, like every other page of another
school (core/access.py); a member without a reviewing role gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from postcheck.web.cases.models import Case
from postcheck.web.core.access import membership_for, schools_for
from postcheck.web.core.models import Membership, School
from postcheck.web.core.roles import REVIEWERS, Role

CASE_ROLES: frozenset[str] = REVIEWERS | {Role.ADMIN}


def can_review(user: Any, school: School | int) -> bool:
    m = membership_for(user, school)
    return m is not None and m.role in CASE_ROLES


def reviewable_schools(user: Any) -> QuerySet[School]:
    """The schools whose cases the user may see (only schools they belong to, in a reviewing role)."""
    if user is None or not user.is_authenticated:
        return School.objects.none()
    # One filter() call: the user and the role must be on the same membership row.
    return (School.objects.filter(memberships__user=user, memberships__role__in=CASE_ROLES)
            .defer("context").order_by("name").distinct())


def case_for(request: HttpRequest, pk: int) -> Case:
    """The case, if the user may review it: another school's case is 404, a non-reviewer 403."""
    case = Case.objects.select_related("school", "assigned_to", "reported_by", "decided_by").filter(
        pk=pk, school__in=schools_for(request.user).values("pk")).first()  # fmt: skip
    if case is None:
        raise Http404("No such case")
    if not can_review(request.user, case.school_id):
        raise PermissionDenied("Only the school's reviewers can see its cases.")
    return case


def reviewers_of(school: School) -> list[Any]:
    """People a case can be assigned to."""
    members = Membership.objects.filter(school=school, role__in=CASE_ROLES).select_related("user")
    return sorted({m.user for m in members}, key=lambda u: u.get_username())
