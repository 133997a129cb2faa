"""Per-school isolation: which schools a user may see, and role checks for views.

Every view that shows school data must go through one of these, so that a user
sees only the schools they belong to:

  schools_for(user)                     -> QuerySet[School] the user is a member of
  scope(queryset, user, field="school") -> queryset limited to those schools
  membership_for(user, school)          -> Membership | None
  has_role(user, school, roles=None)    -> bool (roles=None: any membership)
  is_reviewer(user, school)             -> bool (headteacher or safeguarding lead)
  current_school(request)               -> School | None (the one chosen in the switcher)
  school_required(roles=None)           view decorator; sets request.school and request.membership
  SchoolRequiredMixin                   the same for class-based views (allowed_roles = ...)

A school the user does not belong to is a 404, never a 403: its existence is not revealed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from postcheck.web.core.models import Membership, School
from postcheck.web.core.roles import REVIEWERS

SESSION_KEY = "postcheck_school"
M = TypeVar("M", bound=Model)


def schools_for(user: Any) -> QuerySet[School]:
    if user is None or not user.is_authenticated:
        return School.objects.none()
    # The context (roster) is large and rarely needed for listing; School.checker() does not need it.
    return School.objects.filter(memberships__user=user).defer("context").order_by("name").distinct()


def scope(queryset: QuerySet[M], user: Any, field: str = "school") -> QuerySet[M]:
    """Limit any queryset with a foreign key to School to the user's schools."""
    return queryset.filter(**{f"{field}__in": schools_for(user).values("pk")})


def membership_for(user: Any, school: School | int) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    school_id = school if isinstance(school, int) else school.pk
    return Membership.objects.filter(user=user, school_id=school_id).first()


def has_role(user: Any, school: School | int, roles: Iterable[str] | None = None) -> bool:
    m = membership_for(user, school)
    return m is not None and (roles is None or m.role in set(roles))


def is_reviewer(user: Any, school: School | int) -> bool:
    return has_role(user, school, REVIEWERS)


def user_schools(request: HttpRequest) -> list[School]:
    cached = getattr(request, "_postcheck_schools", None)
    if cached is None:
        cached = list(schools_for(request.user))
        request._postcheck_schools = cached  # type: ignore[attr-defined]
    return cached


def current_school(request: HttpRequest) -> School | None:
    """The school chosen in the switcher (kept in the session), else the user's first school."""
    schools = user_schools(request)
    if not schools:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((s for s in schools if s.pk == wanted), schools[0])


def set_current_school(request: HttpRequest, school: School) -> None:
    if membership_for(request.user, school) is None:
        raise Http404("No such school")
    request.session[SESSION_KEY] = school.pk


def resolve_school(request: HttpRequest, slug: str | None = None, roles: Iterable[str] | None = None) -> School:
    """The school a request is about (URL slug, else the current school), checked against the user's roles."""
    if slug is not None:
        school = next((s for s in user_schools(request) if s.slug == slug), None)
    else:
        school = current_school(request)
    if school is None:
        raise Http404("No such school")
    if roles is not None and not has_role(request.user, school, roles):
        raise PermissionDenied("Your role in this school does not give access to this page.")
    return school


ViewFunc = Callable[..., HttpResponse]


def school_required(roles: Iterable[str] | None = None) -> Callable[[ViewFunc], ViewFunc]:
    """Decorator: signed-in member of the school (URL kwarg ``school_slug`` or the current school).

    Sets ``request.school`` and ``request.membership``. Anonymous users go to sign in;
    a school the user does not belong to is 404; a role not in ``roles`` is 403.
    """
    allowed = frozenset(roles) if roles is not None else None

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            school = resolve_school(request, kwargs.get("school_slug"), allowed)
            request.school = school  # type: ignore[attr-defined]
            request.membership = membership_for(request.user, school)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


class SchoolRequiredMixin:
    """Class-based views: like :func:`school_required`; set ``allowed_roles`` to restrict by role."""

    allowed_roles: Iterable[str] | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        roles = frozenset(self.allowed_roles) if self.allowed_roles is not None else None
        self.school = resolve_school(request, kwargs.get("school_slug"), roles)
        self.membership = membership_for(request.user, self.school)
        request.school = self.school  # type: ignore[attr-defined]
        request.membership = self.membership  # type: ignore[attr-defined]
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
