"""Forms: acknowledge, publish, the school's settings, the full context editor, the roster upload."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from postcheck import safe_yaml
from postcheck.errors import ConfigError
from postcheck.web.core.forms import AccessibleFormMixin
from postcheck.web.core.models import School, normalise_context
from postcheck.web.policy import lines
from postcheck.web.policy.roster import MAX_BYTES


class AcknowledgeForm(AccessibleFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have read this version of the policy and I will follow it.",
        error_messages={"required": "Tick the box to say that you have read the policy."},
    )


class PublishForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label="What changed (optional)",
        max_length=500,
        required=False,
        help_text="One sentence that everyone asked to acknowledge will see, e.g. 'New term dates and roster'.",
    )
    republish = forms.BooleanField(
        label="Publish anyway, and ask everyone to acknowledge again",
        required=False,
        help_text="Nothing has changed since the current version; tick this for a yearly re-acknowledgement.",
    )

    def __init__(self, *args: Any, unchanged: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unchanged = unchanged
        if not unchanged:
            del self.fields["republish"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.unchanged and not data.get("republish"):
            raise ValidationError("Nothing has changed since the current version. Tick the box to publish it again.")
        return data


def _context_errors(exc: ConfigError) -> list[tuple[str, str]]:
    """A ConfigError from the school validator as (top-level key, message) pairs; key '' when it names none.

    The validator writes one mistake as 'school context: timezone: ...', and several as a head line
    ('... has 2 mistakes:') followed by one '  school context: working_hours[0].days[1]: ...' line each.
    """
    head, *rest = str(exc).splitlines() or [""]
    out = []
    for line in rest or [head]:
        text = line.strip().removeprefix("school context: ")
        where, _, msg = text.partition(": ")
        key = re.split(r"[.\[]", where)[0]
        out.append((key, f"{where}: {msg}") if msg and " " not in where else ("", text))
    return out


def _load_yaml(text: str) -> Any:
    """YAML (or JSON) text, with a mistake (syntax, an alias bomb, a bad date) reported by line and column."""
    try:
        return safe_yaml.load(text, "school context")
    except safe_yaml.YamlError as exc:
        raise ValidationError(exc.located()) from None


def _text_list(label: str, help_text: str, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "false"}))  # fmt: skip


LIST_FIELDS = ("aliases", "domains", "official_accounts", "confidential_terms")


class SchoolSettingsForm(AccessibleFormMixin, forms.Form):
    """The common parts of the school context as plain fields, and the school's options."""

    name = forms.CharField(label="School name", max_length=200,
                           help_text="As the policy names it, e.g. Lancastrian Infant School.")  # fmt: skip
    aliases = _text_list("Other names", "One per line: short names, initials, hashtags without '#'.")
    domains = _text_list("Web and e-mail domains", "One per line, e.g. lancastrian.example.sch.uk.")
    official_accounts = _text_list("The school's own social media accounts",
                                   "One handle per line, e.g. @LancastrianInfant. Posts there follow the "
                                   "official-channel rules.")  # fmt: skip
    timezone = forms.CharField(label="Time zone", max_length=64, help_text="An IANA name, e.g. Europe/London.")
    working_hours = _text_list("Working hours (staff employer time)", "One slot per line: 'mon-fri 08:00-16:30'.", 2)
    breaks = _text_list("Breaks (staff own time inside working hours)", "One slot per line: 'mon-fri 12:00-13:00'.", 2)
    sessions = _text_list("Pupil sessions", "One slot per line: 'mon-fri 08:50-12:00'.", 2)
    term_dates = _text_list("Term dates", "One term per line: '2026-09-02 to 2026-10-23'. Outside terms is own "
                            "time.", 6)  # fmt: skip
    holidays = _text_list("Closure days inside terms", "One date per line: 2026-11-30.")
    confidential_terms = _text_list("Confidential terms", "One per line: words that must never be posted, e.g. "
                                    "exclusion meeting.", 4)  # fmt: skip
    allow_anonymous_check = forms.BooleanField(
        label="Anyone may use Check before you post for this school, without signing in", required=False
    )
    allow_anonymous_report = forms.BooleanField(
        label="Anyone may report a concern to this school, without signing in", required=False
    )
    retention_days = forms.IntegerField(label="Keep closed cases for (days)", min_value=1, max_value=36500,
                                        help_text=School._meta.get_field("retention_days").help_text)  # fmt: skip

    PARSERS: dict[str, Callable[[str], Any]] = {
        "working_hours": lines.parse_slots, "breaks": lines.parse_slots, "sessions": lines.parse_slots,
        "term_dates": lines.parse_terms, "holidays": lines.parse_dates,
    }  # fmt: skip

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        self.school = school
        ctx = school.context or {}
        initial = {
            "name": school.name, "timezone": ctx.get("timezone", "Europe/London"),
            **{f: "\n".join(ctx.get(f) or []) for f in LIST_FIELDS},
            **{f: lines.format_slots(ctx.get(f) or []) for f in ("working_hours", "breaks", "sessions")},
            "term_dates": lines.format_terms(ctx.get("term_dates") or []),
            "holidays": "\n".join(str(d) for d in ctx.get("holidays") or []),
            "allow_anonymous_check": school.allow_anonymous_check,
            "allow_anonymous_report": school.allow_anonymous_report, "retention_days": school.retention_days,
        }  # fmt: skip
        super().__init__(*args, initial=initial, **kwargs)
        self.new_context: dict[str, Any] = {}
        for name, field in self.fields.items():  # tall enough to show what is there (a long list scrolls)
            if isinstance(field.widget, forms.Textarea):
                lines_now = str(initial.get(name, "")).count("\n") + 2
                field.widget.attrs["rows"] = min(max(int(field.widget.attrs.get("rows", 3)), lines_now), 12)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ctx = dict(self.school.context or {})
        ctx["name"] = data.get("name") or ctx.get("name") or self.school.name
        if data.get("timezone"):
            ctx["timezone"] = data["timezone"].strip()
        for name in LIST_FIELDS:
            ctx[name] = lines.split_lines(data.get(name, ""))
        failed = set(self.errors)
        for name, parse in self.PARSERS.items():
            try:
                ctx[name] = parse(data.get(name, ""))
            except lines.LineError as exc:
                failed.add(name)
                for message in exc.messages:
                    self.add_error(name, message)
        ctx = {k: v for k, v in ctx.items() if v != [] or k in (self.school.context or {})}
        # The whole context is validated even when a field could not be read (that field keeps its
        # saved value meanwhile), so every mistake is shown at once, not the time zone only on resubmit.
        for name in failed & set(self.PARSERS):
            ctx[name] = (self.school.context or {}).get(name, [])
        try:
            new_context = normalise_context(ctx, self.school.policy_roles())  # the school's rulebook's roles
        except ConfigError as exc:
            for key, message in _context_errors(exc):
                if key not in failed:
                    self.add_error(key if key in self.fields else None, message)
        else:
            if not self.errors:
                self.new_context = new_context
        return data

    def changed_fields(self) -> list[str]:
        """The names of what changed (for the audit log: names of fields, never their values)."""
        old = self.school.context or {}
        changed = sorted(k for k in {*old, *self.new_context} if old.get(k) != self.new_context.get(k))
        return changed + [f for f in ("allow_anonymous_check", "allow_anonymous_report", "retention_days")
                          if getattr(self.school, f) != self.cleaned_data[f]]  # fmt: skip

    def save(self) -> School:
        school = self.school
        school.context = self.new_context
        school.name = self.new_context["name"]
        for f in ("allow_anonymous_check", "allow_anonymous_report", "retention_days"):
            setattr(school, f, self.cleaned_data[f])
        school.save()
        return school


class ContextForm(AccessibleFormMixin, forms.Form):
    """The whole school context as YAML or JSON, checked by the same validator as `postcheck check --school`."""

    context = forms.CharField(
        label="School context (YAML or JSON)",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code", "autocapitalize": "none"}),
        help_text="Everything postcheck knows about the school (FORMATS.md section 2): name, aliases, domains, "
        "official accounts, time zone, working hours, sessions, terms, roster, confidential terms.",
    )

    def __init__(self, *args: Any, roles: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_context: dict[str, Any] = {}
        self.roles = roles  # the school's rulebook's parents roles: a parent's role must be one of them

    def clean_context(self) -> str:
        text = self.cleaned_data["context"]
        raw = _load_yaml(text)
        try:
            self.new_context = normalise_context(raw, self.roles)
        except ConfigError as exc:
            raise ValidationError([message for _, message in _context_errors(exc)]) from None
        return text


class RosterUploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="Roster file (CSV)",
        help_text="Columns: name, kind (pupil, staff, parent or governor), aliases (separated by ;), photo_consent "
        "(yes or no); optionally role (a member of staff's job), children (a parent's, separated by ;) "
        "and email (staff and governors, for acknowledging the policy). A SIMS, Arbor or Bromcom export "
        "is read as it is.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    mode = forms.ChoiceField(
        label="What the file is",
        initial="merge",
        widget=forms.RadioSelect,
        required=False,
        choices=[
            ("merge", "Changes: add the people in it and update them; remove nobody"),
            ("replace", "The whole list: also remove the pupils, staff or parents who are not in it"),
        ],
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(f"The file is larger than {MAX_BYTES // 1024} KB.")
        return upload
