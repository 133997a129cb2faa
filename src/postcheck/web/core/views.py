"""Core pages: home, check before you post, sign in/out, switch school."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from postcheck.limits import DRAFT
from postcheck.web.core.access import current_school, membership_for, set_current_school, user_schools
from postcheck.web.core.budget import check_records
from postcheck.web.core.forms import CheckForm, SignInForm
from postcheck.web.core.models import School


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"page_title": "Home"}
    school = current_school(request)
    if school is not None:
        from postcheck.web.cases.access import can_review
        from postcheck.web.cases.stats import home_counts

        if can_review(request.user, school):
            context["counts"] = home_counts(request.user, school)
    return render(request, "core/home.html", context)


def checkable_schools(request: HttpRequest) -> list[School]:
    """The user's own schools first, then every school that lets anyone check (visitors get only those)."""
    own = user_schools(request)
    public = School.objects.filter(allow_anonymous_check=True).exclude(pk__in=[s.pk for s in own])
    return own + list(public.defer("context").order_by("name"))


# Nothing of the draft is stored or logged: no model is written, no session key set, no
# message queued, and the text is masked in Django's error reports (sensitive_post_parameters).
@sensitive_post_parameters("text")
@never_cache  # and no browser or proxy keeps the page with the draft in it
def check(request: HttpRequest) -> HttpResponse:
    schools = checkable_schools(request)
    wanted = request.GET.get("school")
    if not request.user.is_authenticated and (not schools or (wanted and wanted not in {s.slug for s in schools})):
        return redirect_to_login(request.get_full_path())  # the school asks its visitors to sign in
    preset = next((s for s in schools if s.slug == wanted), None) or current_school(request)
    preset = preset or (schools[0] if schools else None)
    membership = membership_for(request.user, preset) if preset else None
    initial = {"school": preset.slug if preset else None, "role": membership.policy_role if membership else "staff"}
    zone = preset.checker().school.zone if preset else None  # the time input starts at now, on the school's clock
    form = CheckForm(request.POST if request.method == "POST" else None, schools=schools, initial=initial, zone=zone)
    context: dict[str, Any] = {"page_title": "Check before you post", "form": form, "schools": schools}
    if request.method == "POST" and form.is_valid():
        school: School = form.cleaned_data["school"]
        record = form.record()
        # Within the request's time budget, behind the long-check gate when the draft is long (core.budget).
        result = check_records(school.checker(), [record], DRAFT, numbered=False)[0]
        context.update(result=result, record=record, checked_school=school)
    return render(request, "core/check.html", context)


@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("core:home"))
    school = get_object_or_404(School.objects.defer("context"), slug=request.POST.get("school", ""))
    set_current_school(request, school)  # 404 unless a member
    target = request.POST.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("core:home")
    return HttpResponseRedirect(target)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    pass
