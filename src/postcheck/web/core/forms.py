"""Forms: the rate-limited sign-in form and the check-before-you-post form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.http import HttpRequest

from postcheck.model import Record, parse_record
from postcheck.web.core import ratelimit
from postcheck.web.core.models import School

LOCKED_MESSAGE = (
    "Too many failed sign-in attempts for this username. For your security, sign-in is paused for "
    "%(minutes)d minutes. Wait, then try again, or ask your school's administrator to reset your password."
)
MAX_DRAFT = 20_000


class AccessibleFormMixin:
    """Point each field at its help text and errors (aria-describedby) and mark errors (aria-invalid)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._describe()

    def _describe(self) -> None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        errors = form._errors or {}  # None until validated; reading .errors here would validate
        for name in form.fields:
            bound = form[name]
            ids = [f"{bound.auto_id}_helptext"] if bound.help_text else []
            if name in errors:
                ids.append(f"{bound.auto_id}_errors")
                bound.field.widget.attrs["aria-invalid"] = "true"
            if ids:
                bound.field.widget.attrs["aria-describedby"] = " ".join(ids)


class SignInForm(AccessibleFormMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "locked": LOCKED_MESSAGE}

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = self.cleaned_data.get("username") or ""
        if self.request is not None and username and ratelimit.is_locked(self.request, username):
            # Checked before the password, so a locked account cannot be probed further.
            raise ValidationError(self.error_messages["locked"], code="locked",
                                  params={"minutes": settings.POSTCHECK_LOGIN_WINDOW_S // 60})  # fmt: skip
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.request is not None and username:
                ratelimit.register_failure(self.request, username)
            raise
        if self.request is not None:
            ratelimit.reset(self.request, username)
        return cleaned


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time with no zone: it is read in the chosen school's time zone, not the server's."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        return BaseTemporalField.to_python(self, str(value).strip())


ROLE_CHOICES = [("staff", "Staff"), ("governor", "Governor"), ("parent", "Parent"), ("carer", "Carer")]


class CheckForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label="Your draft", max_length=MAX_DRAFT, strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        help_text="Paste what you plan to post. It is checked and then forgotten: nothing is stored.")
    role = forms.ChoiceField(label="I am posting as", choices=ROLE_CHOICES, widget=forms.RadioSelect)
    planned_at = LocalDateTimeField(
        label="When you plan to post (optional)", required=False, widget=DateTimeLocalInput(),
        help_text="Some rules depend on the time, e.g. working hours. Leave empty if you do not know.")
    school = forms.ModelChoiceField(label="School", queryset=School.objects.none(), empty_label=None,
                                    to_field_name="slug")  # fmt: skip

    def __init__(self, *args: Any, schools: list[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["school"]  # type: ignore[assignment]
        field.queryset = School.objects.filter(pk__in=[s.pk for s in schools])
        if len(schools) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("school", schools[0].slug)

    def record(self) -> Record:
        """The draft as a FORMATS.md record, in memory only."""
        data = self.cleaned_data
        school: School = data["school"]
        record: dict[str, Any] = {"id": "draft", "kind": "post", "author": {"name": "you", "role": data["role"]},
                                  "text": data["text"]}  # fmt: skip
        if data.get("planned_at"):
            zone = school.checker().school.zone  # the compiled, cached context
            record["created_at"] = data["planned_at"].replace(tzinfo=zone).isoformat()
        return parse_record(record)
