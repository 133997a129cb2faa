"""Template context for every page: the user's schools, the current school and role, the menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from postcheck.web.core.access import current_school, membership_for, user_schools
from postcheck.web.core.nav import visible_items


def site(request: HttpRequest) -> dict[str, Any]:
    schools = user_schools(request)
    school = current_school(request)
    membership = membership_for(request.user, school) if school is not None else None
    return {
        "user_schools": schools,
        "current_school": school,
        "current_membership": membership,
        "nav_items": visible_items(request, membership.role if membership else None),
    }
