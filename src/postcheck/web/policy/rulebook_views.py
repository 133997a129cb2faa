"""The school's own rulebook (managers): upload or paste it, validate it, preview it on its examples
and sample records, and publish it as the next policy version (audited by publishing.publish).

Nothing is saved until "Publish": the text travels in the form, and is validated again on publish,
by the same code as ``postcheck validate``. From then on the school's Checker, the policy page,
the clause filter, the dashboard, the forms' role choices and the API follow it.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from postcheck.engine import Checker
from postcheck.errors import ConfigError
from postcheck.rulebook import Rulebook, rulebook_from_text
from postcheck.rulebook.examples import run_examples
from postcheck.school import school_from_data
from postcheck.web.core.access import school_required
from postcheck.web.core.checkers import default_rulebook, school_rulebook
from postcheck.web.core.forms import AccessibleFormMixin
from postcheck.web.core.models import School
from postcheck.web.core.roles import MANAGERS
from postcheck.web.policy.publishing import current_rulebook_text, current_version, publish
from postcheck.web.policy.views import policy_url

MAX_CHARS = 1_000_000
MAX_SAMPLES = 200


class RulebookForm(AccessibleFormMixin, forms.Form):
    rulebook = forms.CharField(
        label="Rulebook (YAML)", strip=False, required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code", "autocapitalize": "none"}),
        help_text="The policy as data: roles, clauses, vocabularies and rules (docs/rulebook-language.md). "
                  "Leave empty to go back to the bundled policy.")  # fmt: skip
    upload = forms.FileField(label="Or upload a rulebook file", required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}))
    samples = forms.CharField(
        label="Sample records to preview (optional)", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "code"}),
        help_text="JSON Lines, one record per line (FORMATS.md section 1), checked with the new rulebook.")
    note = forms.CharField(label="What changed, in a sentence", max_length=500, required=False)

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        self.book: Rulebook | None = None
        self.text = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        text = data.get("rulebook") or ""
        if upload is not None:
            if upload.size > MAX_CHARS:
                raise ValidationError(f"The file is larger than {MAX_CHARS // 1000} KB.")
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError("The file is not UTF-8 text.") from None
        if len(text) > MAX_CHARS:
            raise ValidationError(f"The rulebook is longer than {MAX_CHARS:,} characters.")
        self.text = text
        if not text.strip():
            return data
        try:  # every mistake at once, each with its line, as `postcheck validate` says them
            self.book = rulebook_from_text(text, "rulebook.yaml")
            school_from_data(self.school.context or {"name": self.school.name}, "school context",
                             roles=self.book.parent_roles)  # fmt: skip
        except ConfigError as exc:
            lines = str(exc).splitlines()  # the first says how many; then one mistake a line
            raise ValidationError([line.strip() for line in lines[1:]] or lines) from None
        return data

    def sample_records(self) -> list[Any]:
        out = []
        for n, line in enumerate((self.cleaned_data.get("samples") or "").splitlines()[:MAX_SAMPLES], 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    out.append({"id": f"line {n}", "error": "not valid JSON"})
        return out


@never_cache
@require_http_methods(["GET", "POST"])
@school_required(roles=MANAGERS)
def rulebook_view(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    school: School = request.school  # type: ignore[attr-defined]
    current = current_rulebook_text(school)
    form = RulebookForm(request.POST or None, request.FILES or None, school=school, initial={"rulebook": current})
    preview: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        book = form.book
        if request.POST.get("action") == "publish":
            bundled = book is None
            new = publish(school, request.user, form.cleaned_data.get("note") or "",
                          rulebook=(form.text if not bundled else "", book or default_rulebook()))  # fmt: skip
            which = "the bundled policy" if bundled else f"{new.document['rulebook']['name']}"
            messages.success(request, f"Version {new.number} is published with {which}. Staff and governors "
                                      "are asked to acknowledge it.")  # fmt: skip
            return HttpResponseRedirect(policy_url("policy", school))
        preview = _preview(school, book or default_rulebook(), form.sample_records())
    version = current_version(school)
    return render(request, "policy/rulebook.html", {
        "page_title": "Rulebook", "school": school, "form": form, "preview": preview, "settings_tab": "rulebook",
        "current": school_rulebook(school)[1], "own": bool(current), "version": version})  # fmt: skip


def _preview(school: School, book: Rulebook, samples: list[Any]) -> dict[str, Any]:
    """The rulebook's own examples run against the school's context, and the sample records checked."""
    checker = Checker(book, school.context or {"name": school.name})
    outcomes = run_examples(checker)
    results = []
    for record in samples:
        if "error" in record and "kind" not in record:
            results.append({"id": record.get("id"), "error": record["error"], "findings": []})
            continue
        result = checker.check_result(record)
        results.append({"id": result.id, "error": result.error,
                        "findings": [f.to_json() for f in result.findings]})  # fmt: skip
    return {"book": book, "outcomes": outcomes, "failed": sum(not o.passed for o in outcomes), "results": results,
            "roles": book.role_choices()}  # fmt: skip


@require_GET
@school_required(roles=MANAGERS)
def rulebook_download(request: HttpRequest, school_slug: str | None = None) -> HttpResponse:
    """The school's rulebook as YAML: its own as published, or the bundled one to start from."""
    from importlib import resources

    school: School = request.school  # type: ignore[attr-defined]
    text = current_rulebook_text(school) or resources.files("postcheck.rulebook").joinpath(
        "lancastrian.yaml").read_text("utf-8")  # fmt: skip
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{school.slug}-rulebook.yaml"'
    return response
