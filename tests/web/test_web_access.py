"""Per-school isolation helpers, role checks, the school switcher and the menu."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from postcheck.web.core import nav
from postcheck.web.core.access import (
    SchoolRequiredMixin,
    current_school,
    has_role,
    is_reviewer,
    membership_for,
    school_required,
    schools_for,
    scope,
)
from postcheck.web.core.models import Membership, School
from postcheck.web.core.roles import REVIEWERS, STAFF_ROLES, policy_role


def slugs(qs: Any) -> list[str]:
    return [s.slug for s in qs]


def test_schools_for(reviewer: Any, outsider: Any, trust_governor: Any) -> None:
    assert slugs(schools_for(reviewer)) == ["lancastrian"]
    assert slugs(schools_for(outsider)) == ["moorside"]
    assert slugs(schools_for(trust_governor)) == ["lancastrian", "moorside"]
    assert slugs(schools_for(AnonymousUser())) == []


def test_scope_limits_any_queryset(reviewer: Any, outsider: Any, staff: Any) -> None:
    seen = scope(Membership.objects.all(), reviewer)
    assert {m.user.username for m in seen} == {"rita-reviewer", "sam-staff"}
    assert {m.user.username for m in scope(Membership.objects.all(), outsider)} == {"oscar-outsider"}


def test_roles(reviewer: Any, staff: Any, parent: Any, outsider: Any, school_a: School, school_b: School) -> None:
    assert is_reviewer(reviewer, school_a) and not is_reviewer(reviewer, school_b)
    assert not is_reviewer(staff, school_a)
    assert has_role(staff, school_a) and has_role(staff, school_a, STAFF_ROLES)
    assert not has_role(parent, school_a, STAFF_ROLES)
    assert not has_role(outsider, school_a)
    assert is_reviewer(outsider, school_b)
    assert membership_for(parent, school_a).policy_role == "parent"
    assert policy_role("safeguarding_lead") == "staff" and policy_role("carer") == "carer"
    assert not has_role(AnonymousUser(), school_a)


def _request(user: Any, path: str = "/x/") -> HttpRequest:
    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = user
    return request


@school_required(roles=REVIEWERS)
def review_view(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    return HttpResponse(f"{request.school.slug}:{request.membership.role}")  # type: ignore[attr-defined]


def test_decorator(reviewer: Any, staff: Any, outsider: Any) -> None:
    assert review_view(_request(AnonymousUser())).status_code == 302
    assert review_view(_request(reviewer), school_slug="lancastrian").content == b"lancastrian:headteacher"
    assert review_view(_request(reviewer)).content == b"lancastrian:headteacher"  # the current school
    with pytest.raises(PermissionDenied):
        review_view(_request(staff), school_slug="lancastrian")
    with pytest.raises(Http404):  # another school's page does not even exist for them
        review_view(_request(outsider), school_slug="lancastrian")
    with pytest.raises(Http404):
        review_view(_request(reviewer), school_slug="no-such-school")


def test_mixin(reviewer: Any, parent: Any) -> None:
    from django.views import View

    class Page(SchoolRequiredMixin, View):
        allowed_roles = REVIEWERS

        def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
            return HttpResponse(self.school.slug)

    assert Page.as_view()(_request(reviewer)).content == b"lancastrian"
    with pytest.raises(PermissionDenied):
        Page.as_view()(_request(parent))
    assert Page.as_view()(_request(AnonymousUser())).status_code == 302


def test_switcher_shown_only_with_several_schools(client_for: Any, trust_governor: Any, staff: Any) -> None:
    assert 'class="school-switcher"' in client_for(trust_governor).get("/").content.decode()
    assert 'class="school-switcher"' not in client_for(staff).get("/").content.decode()


def test_switching_school(client_for: Any, trust_governor: Any, outsider: Any) -> None:
    c = client_for(trust_governor)
    assert c.get("/").context["current_school"].slug == "lancastrian"
    page = c.post("/school/", {"school": "moorside", "next": "/check/"})
    assert page.status_code == 302 and page["Location"] == "/check/"
    assert c.get("/").context["current_school"].slug == "moorside"
    assert c.post("/school/", {"school": "lancastrian", "next": "https://evil.example/"})["Location"] == "/"
    # Not a member: 404, and the current school stays.
    other = client_for(outsider)
    assert other.post("/school/", {"school": "lancastrian"}).status_code == 404
    assert other.get("/").context["current_school"].slug == "moorside"


def test_current_school_ignores_a_forged_session(trust_governor: Any, staff: Any, school_b: School) -> None:
    request = _request(staff)
    request.session["postcheck_school"] = school_b.pk  # not staff's school
    assert current_school(request).slug == "lancastrian"


@pytest.fixture
def reviewers_page() -> Any:
    item = nav.NavItem("Review queue (test)", "core:switch_school", roles=REVIEWERS, order=50)
    nav.register(item)
    yield item
    nav._items.pop(item.url_name)


def test_menu_follows_role(client: Client, client_for: Any, reviewer: Any, staff: Any,
                           reviewers_page: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    # Only core's entries and the test's: the other apps' own entries are tested in their apps.
    monkeypatch.setattr(nav, "_items", {k: v for k, v in nav._items.items() if k.startswith("core:")})

    def labels(c: Client) -> list[str]:
        return [i["label"] for i in c.get("/").context["nav_items"]]

    assert labels(client) == ["Check before you post"]
    assert labels(client_for(reviewer)) == ["Check before you post", "Review queue (test)"]
    assert labels(client_for(staff)) == ["Check before you post"]
    html = client_for(reviewer).get("/check/").content.decode()
    assert 'href="/check/" aria-current="page"' in html


def test_menu_skips_unresolvable_entries(client: Client, school_a: School) -> None:
    nav.register(nav.NavItem("Not yet", "cases:does-not-exist", anonymous=True))
    try:
        assert "Not yet" not in client.get("/").content.decode()
    finally:
        nav._items.pop("cases:does-not-exist")
