"""Forms: the rate-limited sign-in form and the check-before-you-post form."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.http import HttpRequest

from postcheck import drafts
from postcheck.model import Record
from postcheck.web.core import ratelimit
from postcheck.web.core.models import School

LOCKED_MESSAGE = (
    "Too many failed sign-in attempts for this username or from this address. For your security, sign-in is "
    "paused for "
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


ROLE_CHOICES = [(r, r.capitalize()) for r in drafts.AUTHOR_ROLES]
NOT_SAID = [("", "Not sure")]


class CheckForm(AccessibleFormMixin, forms.Form):
    """A draft and what it is; :mod:`postcheck.drafts` makes the record, as for the CLI and the API."""

    text = forms.CharField(
        label="Your draft", max_length=MAX_DRAFT, strip=False, required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        help_text="Paste what you plan to post. It is checked and then forgotten: nothing is stored.")
    role = forms.ChoiceField(label="I am posting as", choices=ROLE_CHOICES, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label="What it is", choices=list(drafts.KINDS.items()), initial="post", required=False)
    other_role = forms.ChoiceField(
        label="Who the other person is", required=False, choices=NOT_SAID + list(drafts.OTHER_ROLES.items()),
        help_text="For a friend request: whom it is with (needed). For a reply: whose post you answer.")
    audience = forms.ChoiceField(label="Who will see it", required=False,
                                 choices=NOT_SAID + list(drafts.AUDIENCES.items()))  # fmt: skip
    photo = forms.BooleanField(label="It has a photo or video", required=False)
    caption = forms.CharField(label="The photo's caption (optional)", required=False, max_length=2000,
                              help_text="What the caption says, or who and what the photo shows.")  # fmt: skip
    own_children = forms.CharField(
        label="The child I name is my own (optional)", required=False, max_length=500,
        help_text="If the draft names your own child, write their name; several: separate with commas. "
                  "They are then read as your child, not as a pupil the policy protects.")
    planned_at = LocalDateTimeField(
        label="When you plan to post", required=False, widget=DateTimeLocalInput(),
        help_text="Filled in with the time now, in the school's time zone ({zone}); change it if you will post "
                  "later. Some rules depend on the time, e.g. working hours: left empty, those are not checked.")
    school = forms.ModelChoiceField(label="School", queryset=School.objects.none(), empty_label=None,
                                    to_field_name="slug")  # fmt: skip

    def __init__(self, *args: Any, schools: list[School], zone: tzinfo | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["school"]  # type: ignore[assignment]
        field.queryset = School.objects.filter(pk__in=[s.pk for s in schools])
        if len(schools) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("school", schools[0].slug)
        if zone is not None:
            self.initial.setdefault("planned_at", drafts.now_local(zone))
        # The roles come from the schools' rulebooks (each may have its own), in rulebook order.
        books = [s.checker().rulebook for s in schools]
        roles = dict(item for book in books for item in book.role_choices(bound_only=True))
        if roles and set(roles) != set(drafts.AUTHOR_ROLES):
            self.fields["role"].choices = list(roles.items())  # type: ignore[attr-defined]
            others = dict(item for book in books for item in book.role_choices())
            self.fields["other_role"].choices = NOT_SAID + list(others.items())  # type: ignore[attr-defined]
        name = getattr(zone, "key", None) or str(zone or "the school's")
        field_help = str(self.fields["planned_at"].help_text).format(zone=name)
        self.fields["planned_at"].help_text = self["planned_at"].help_text = field_help  # the bound field copied it

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        school: School | None = data.get("school")
        if school is None or self.errors:
            return data
        data["kind"] = data.get("kind") or "post"
        # A friend request has no words of its own, and a photo may be all there is; anything else needs text.
        if not (data.get("text") or "").strip() and not data.get("caption") and data["kind"] not in drafts.FRIEND_KINDS:
            self.add_error("text", "Paste the draft you want to check.")
            return data
        zone = school.checker().school.zone  # the compiled, cached context
        draft = drafts.Draft(
            text=data.get("text") or "", role=data["role"], kind=data["kind"], audience=data.get("audience") or None,
            when=data.get("planned_at"), other_role=data.get("other_role") or None,
            photo=bool(data.get("photo")), caption=data.get("caption") or "",
            own_children=drafts.split_names(data.get("own_children") or ""))  # fmt: skip
        try:
            self._record = drafts.build(draft, zone)
        except drafts.DraftError as exc:
            where = "other_role" if data["kind"] in drafts.FRIEND_KINDS and not draft.other_role else None
            self.add_error(where, str(exc))
        return data

    def record(self) -> Record:
        """The draft as a FORMATS.md record, in memory only (built by :func:`postcheck.drafts.build`)."""
        return self._record
