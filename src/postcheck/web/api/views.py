"""API tokens on the settings pages (managers): list, create (the token is shown once), revoke.

Mounted at /api/tokens/ and /api/<school-slug>/tokens/ (namespace ``api_tokens``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from postcheck.web.api.forms import TokenForm
from postcheck.web.api.models import ApiToken
from postcheck.web.core.access import school_required
from postcheck.web.core.audit import record_audit
from postcheck.web.core.models import School
from postcheck.web.core.roles import MANAGERS


def _list_url(school: School) -> str:
    return reverse("api_tokens:list", kwargs={"school_slug": school.slug})


@never_cache  # the page that shows a new token must not be kept by the browser or a proxy
@require_http_methods(["GET", "POST"])
@school_required(roles=MANAGERS)
def token_list(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, new_token = ApiToken.issue(school, request.user, form.cleaned_data["name"], created_by=request.user)
        record_audit("api.token.create", actor=request.user, school=school, obj=token,
                     detail={"token_user": request.user.pk})  # fmt: skip
        form = TokenForm()
    tokens = ApiToken.objects.filter(school=school).select_related("user")
    return render(request, "api/tokens.html", {
        "page_title": "API tokens", "school": school, "form": form, "tokens": tokens, "new_token": new_token,
        "settings_tab": "tokens", "check_url": request.build_absolute_uri(reverse("api:check"))})  # fmt: skip


@require_POST
@school_required(roles=MANAGERS)
def token_revoke(request: HttpRequest, pk: int, school_slug: str | None = None) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    token = get_object_or_404(ApiToken, pk=pk, school=school)  # another school's token: 404
    if not token.revoked:
        token.revoke()
        record_audit("api.token.revoke", actor=request.user, school=school, obj=token)
        messages.success(request, f"The token '{token.name}' is revoked: scripts using it are refused from now on.")
    return HttpResponseRedirect(_list_url(school))
