"""Forms: report a concern, the reviewer's actions on a case, the queue's filters, subject access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from postcheck.web.cases import screenshots
from postcheck.web.cases.choices import (
    REPORTABLE_KINDS,
    Audience,
    Category,
    Kind,
    Outcome,
    Platform,
    Status,
    Urgency,
)
from postcheck.web.cases.models import Case, CasePerson
from postcheck.web.core import rulebook_roles
from postcheck.web.core.checkers import default_rulebook
from postcheck.web.core.forms import AccessibleFormMixin, DateTimeLocalInput, LocalDateTimeField
from postcheck.web.core.models import School

MAX_TEXT = 20_000
ACCEPT = "image/png,image/jpeg,image/webp,image/gif"
MAX_NOTE = 5_000


class WebURLField(forms.URLField):
    """A web address (http or https only). Replacing the field's own validator, not adding a second one,
    keeps a bad address to one "Enter a valid URL." (it was shown twice)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class RoleChoiceField(forms.ChoiceField):
    """Offers the schools' roles; which are valid depends on the school chosen, so the form's clean()
    checks the value against that school's rulebook (and says which roles it has)."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class ReportForm(AccessibleFormMixin, forms.Form):
    school = forms.ModelChoiceField(label="School", queryset=School.objects.none(), empty_label=None,
                                    to_field_name="slug", help_text="The school the post is about.")  # fmt: skip
    text = forms.CharField(
        label="What the post says",
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Copy the words exactly as they appear, names included: they are checked against the policy.",
    )
    link = WebURLField(
        label="Link to the post (optional)",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The web address of the post, starting https://",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    platform = forms.ChoiceField(label="Where it was posted", choices=Platform.choices, initial=Platform.FACEBOOK)
    kind = forms.ChoiceField(label="What kind of post it is", initial=Kind.POST,
                             choices=[(k, Kind(k).label) for k in REPORTABLE_KINDS])  # fmt: skip
    audience = forms.ChoiceField(label="Who can see it (if you know)", choices=Audience.choices, required=False)
    has_media = forms.BooleanField(label="The post includes a photo or video", required=False)
    author_name = forms.CharField(label="Their name (optional)", max_length=200, required=False,
                                  help_text="As it appears on the post, if you know it.")  # fmt: skip
    # Choices: the roles of the schools' rulebooks (__init__); checked against the chosen school's in clean().
    author_role = RoleChoiceField(label="Their role", initial=rulebook_roles.UNKNOWN,
                                    help_text="Choose “Not known” if you are not sure.")  # fmt: skip
    posted_at = LocalDateTimeField(label="When it was posted (optional)", required=False, widget=DateTimeLocalInput(),
                                   help_text="In the school's local time. Some rules depend on the time.")  # fmt: skip
    screenshot = forms.FileField(
        label="Screenshot (optional)", required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=f"A picture of the post: PNG, JPEG, WebP or GIF, up to {screenshots.MAX_BYTES // 2**20} MB. "
                  "Hidden details in the file, such as location, are removed before it is kept.")  # fmt: skip

    def __init__(self, *args: Any, schools: list[School], upload_too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        field: forms.ModelChoiceField = self.fields["school"]  # type: ignore[assignment]
        field.queryset = School.objects.filter(pk__in=[s.pk for s in schools])
        if len(schools) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("school", schools[0].slug)
        self.fields["author_role"].choices = role_choices(schools)  # type: ignore[attr-defined]

    def clean_screenshot(self) -> screenshots.CleanImage | None:
        if self.upload_too_large:  # cut off while uploading (views.report.LimitedUploadHandler)
            raise forms.ValidationError(screenshots.too_large_message(), code="too_large")
        upload = self.cleaned_data.get("screenshot")
        if not upload:
            return None
        try:
            return screenshots.clean_image(upload, upload.size)
        except screenshots.ScreenshotError as exc:
            raise forms.ValidationError(str(exc), code="not_image") from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # One list of choices may hold several schools' roles: the role must be the chosen school's.
        role, school = data.get("author_role"), data.get("school")
        if role and school is not None:
            try:
                rulebook_roles.validate_role(school, role)
            except forms.ValidationError as exc:
                self.add_error("author_role", exc)
        return data

    def clean_posted_at(self) -> Any:
        value = self.cleaned_data.get("posted_at")
        # The school field comes first, so it is cleaned by now (when it is not, the form is invalid anyway).
        if value is not None and "school" in self.cleaned_data:
            zone = self.cleaned_data["school"].checker().school.zone
            value = value.replace(tzinfo=zone)
            if value > timezone.now() + timedelta(days=1):
                raise forms.ValidationError("This is in the future. Give the date and time it was posted.")
        return value

    def to_case(self) -> Case:
        d = self.cleaned_data
        return Case(school=d["school"], text=d["text"], link=d["link"], platform=d["platform"], kind=d["kind"],
                    audience=d["audience"], has_media=d["has_media"], author_name=d["author_name"].strip(),
                    author_role=d["author_role"], posted_at=d["posted_at"])  # fmt: skip


def role_choices(schools: list[School]) -> list[Any]:
    """ "Not known", then each school's rulebook's roles: one flat list when the schools share one set of
    roles, else a group per school, so nobody is offered a role their school's policy does not have."""
    unknown = (rulebook_roles.UNKNOWN, rulebook_roles.UNKNOWN_LABEL)
    per_school = [(s, rulebook_roles.author_role_choices(s, unknown=False)) for s in schools]
    if len({tuple(c) for _, c in per_school}) <= 1:
        return [unknown, *(per_school[0][1] if per_school else rulebook_roles.author_role_choices(None, unknown=False))]
    return [unknown, *((s.name, c) for s, c in per_school)]


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one field (Django's documented pattern); each is cleaned by the form, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


def _shown_name(upload: Any) -> str:
    """The uploaded file's own name, for its error only (never stored or logged)."""
    name = str(getattr(upload, "name", "") or "the file").replace("\n", " ").strip()
    return name if len(name) <= 60 else name[:57] + "…"


class AttachmentForm(AccessibleFormMixin, forms.Form):
    """Add screenshots or photos to a case: every file cleaned as a report's screenshot; one error per bad file."""

    files = MultipleImageField(
        label="Screenshots or photos", required=False,
        help_text=f"PNG, JPEG, WebP or GIF, up to {screenshots.MAX_BYTES // 2**20} MB each, "
                  f"{screenshots.MAX_FILES_PER_UPLOAD} at a time. Hidden details in each file, such as "
                  "location, are removed before it is kept.")  # fmt: skip
    caption = forms.CharField(
        label="What they show (optional)",
        max_length=200,
        required=False,
        help_text="Kept with each file and shown in the case file, e.g. “the reply thread”.",
    )

    def __init__(self, *args: Any, too_large: list[str] | None = None, room: int | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        kwargs.setdefault("prefix", "attach")
        super().__init__(*args, **kwargs)
        self.too_large = too_large or []  # names of files cut off while uploading (views.report.LimitedUploadHandler)
        self.room = screenshots.MAX_ATTACHMENTS if room is None else room
        self.images: list[screenshots.CleanImage] = []

    def clean_files(self) -> list[screenshots.CleanImage]:
        uploads = self.cleaned_data.get("files") or []
        errors = [forms.ValidationError(f"{name}: {screenshots.too_large_message()}", code="too_large")
                  for name in self.too_large]  # fmt: skip
        if not uploads and not errors:
            raise forms.ValidationError("Choose at least one screenshot or photo to add.", code="required")
        count = len(uploads) + len(self.too_large)
        if count > screenshots.MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(f"Add at most {screenshots.MAX_FILES_PER_UPLOAD} files at a time; you chose "
                                        f"{count}.", code="too_many")  # fmt: skip
        if count > self.room:
            raise forms.ValidationError(
                f"This case has room for {self.room} more attachment{'s' * (self.room != 1)} (at most "
                f"{screenshots.MAX_ATTACHMENTS}); you chose {count}. Remove one it does not need first.",
                code="too_many")  # fmt: skip
        images = []
        for upload in uploads:
            try:
                images.append(screenshots.clean_image(upload, upload.size))
            except screenshots.ScreenshotError as exc:
                errors.append(forms.ValidationError(f"{_shown_name(upload)}: {exc}", code="not_image"))
        if errors:  # all or nothing: the files must be chosen again anyway
            raise forms.ValidationError(errors)
        self.images = images
        return images


class RemoveAttachmentForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label="Why it is removed", max_length=MAX_NOTE,
                             help_text="Kept in the case history, e.g. “the wrong photo” or “a duplicate”.",
                             error_messages={"required": "Say why the attachment is removed."})  # fmt: skip

    def __init__(self, *args: Any, attachment_pk: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"remove-{attachment_pk}" if attachment_pk else "remove")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the attachment is removed.", code="required")
        return reason


class AssignForm(AccessibleFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(label="Assign to", queryset=None, required=False,  # type: ignore[arg-type]
                                      empty_label="Nobody (unassigned)")  # fmt: skip

    def __init__(self, *args: Any, reviewers: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        field: forms.ModelChoiceField = self.fields["assignee"]  # type: ignore[assignment]
        field.queryset = get_user_model().objects.filter(pk__in=[u.pk for u in reviewers]).order_by("username")
        field.label_from_instance = lambda u: u.get_full_name() or u.get_username()


class TriageForm(AccessibleFormMixin, forms.Form):
    category = forms.ChoiceField(label="Category", choices=Category.choices, required=False)
    urgency = forms.ChoiceField(label="Urgency", choices=Urgency.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "triage")
        super().__init__(*args, **kwargs)


class PersonForm(AccessibleFormMixin, forms.Form):
    """Link someone on the school's roster: the choice is "list|name", only names the roster has."""

    person = forms.ChoiceField(label="Person on the roster")
    link = forms.ChoiceField(label="Their part in the case", choices=CasePerson.Link.choices)

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "person")
        super().__init__(*args, **kwargs)
        from postcheck.web.cases.actions import roster_names

        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for roster, label in CasePerson.Roster.choices:
            names = roster_names(school, roster)
            if names:
                groups.append((label, [(f"{roster}|{n}", n) for n in names]))
        self.fields["person"].choices = [("", "Choose a person"), *groups]

    def clean_person(self) -> tuple[str, str]:
        roster, _, name = self.cleaned_data["person"].partition("|")
        return roster, name


class StatusForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label="Move the case to")
    note = forms.CharField(label="Why (optional)", required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = case.next_statuses()


class NoteForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the case history: everyone who can see the case can read it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)


class DecisionForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(label="Decision", choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason for the decision", max_length=MAX_NOTE,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="Required. Say what the decision rests on: it is kept in the case history.",
                             error_messages={"required": "Give the reason for the decision."})  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "decide")
        super().__init__(*args, **kwargs)


def clause_choices(schools: list[School] | None = None) -> list[tuple[str, str]]:
    """The clauses of the schools' rulebooks (each school may have its own), in rulebook order."""
    books = [s.checker().rulebook for s in schools] if schools else [default_rulebook()]
    out: dict[str, str] = {}
    for book in books:
        for ref, clause in book.clauses.items():
            out.setdefault(ref, f"{ref}: {clause.covers}")
    return list(out.items())


SORTS = {
    "newest": ("Newest first", ["-created_at", "-id"]),
    "oldest": ("Oldest first", ["created_at", "id"]),
    "breaches": ("Most breaches first", ["-breaches", "-advisories", "-created_at"]),
    "status": ("By status", ["status", "-created_at"]),
}


class QueueFilterForm(forms.Form):
    """The queue's filters (GET): every field optional, a bad value is ignored, not an error page."""

    school = forms.ChoiceField(label="School", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    clause = forms.ChoiceField(label="Policy clause", required=False)
    findings = forms.ChoiceField(label="Findings", required=False, choices=[
        ("", "Any"), ("with", "With findings"), ("breach", "With a breach"), ("none", "No findings")])  # fmt: skip
    outcome = forms.ChoiceField(label="Decision", required=False, choices=[("", "Any"), *Outcome.choices])
    older_than = forms.IntegerField(
        label="Reported more than this many days ago",
        required=False,
        min_value=0,
        max_value=36500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    assigned = forms.ChoiceField(label="Assigned", required=False, choices=[
        ("", "Anyone or nobody"), ("me", "To me"), ("nobody", "To nobody")])  # fmt: skip
    sort = forms.ChoiceField(label="Sort", required=False, choices=[(k, v[0]) for k, v in SORTS.items()])

    def __init__(self, *args: Any, schools: list[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", "All my schools"), *((s.slug, s.name) for s in schools)]
        self.fields["clause"].choices = [("", "Any clause"), *clause_choices(schools)]
        if len(schools) < 2:
            self.fields["school"].widget = forms.HiddenInput()


class SubjectAccessForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label="The person's full name", min_length=3, max_length=200,
                           help_text="As the school knows them, e.g. Amelia Hart. Their aliases in the school's "
                                     "roster (e.g. Millie) are searched too.")  # fmt: skip
    format = forms.ChoiceField(label="Download as", widget=forms.RadioSelect, initial="json", choices=[
        ("json", "JSON (a text file)"), ("zip", "ZIP (the JSON and the attachments)")])  # fmt: skip
