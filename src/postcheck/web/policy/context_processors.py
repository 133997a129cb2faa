"""The prompt on every page for staff and governors who have not acknowledged the current policy version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from postcheck.web.core.access import current_school
from postcheck.web.core.models import Membership
from postcheck.web.policy.models import Acknowledgement, PolicyVersion
from postcheck.web.policy.publishing import needs_to_acknowledge

# Always set, even when there is nothing to say: a template variable that fails to resolve is logged at
# DEBUG with the whole template context, and on the check page that context holds the draft.
NONE: dict[str, Any] = {"policy_prompt": None}


def policy_prompt(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return NONE
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "policy:policy":
        return NONE  # the policy page itself says it, next to the button
    school = current_school(request)
    if school is None:
        return NONE
    role = Membership.objects.filter(user=request.user, school=school).values_list("role", flat=True).first()
    if not needs_to_acknowledge(role):
        return NONE
    version = PolicyVersion.objects.filter(school=school).order_by("-number").values_list("pk", "number").first()
    if version is None or Acknowledgement.objects.filter(version_id=version[0], user=request.user).exists():
        return NONE
    url = reverse("policy:policy", kwargs={"school_slug": school.slug})
    return {"policy_prompt": {"number": version[1], "url": url, "school": school.name}}
