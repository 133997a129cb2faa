"""The upload form: the export, whose it is and their role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from postcheck.web.core import rulebook_roles
from postcheck.web.core.forms import AccessibleFormMixin
from postcheck.web.scans.starting import UploadRefused, check_upload


class ScanForm(AccessibleFormMixin, forms.Form):
    archive = forms.FileField(
        label="The export",
        widget=forms.FileInput(attrs={"accept": ".zip,.json,.js,.jsonl,.xml,application/zip"}),
        help_text="The file the platform gave them: a .zip (zip a folder export first) or a single JSON or XML "
                  "file, from X, Facebook, Instagram, Mastodon, LinkedIn, WordPress or Blogger; up to "
                  f"{settings.POSTCHECK_SCAN_MAX_BYTES // 1024**3} GB.")  # fmt: skip
    subject_name = forms.CharField(label="Whose export it is", max_length=200,
                                   help_text="Their name as the school knows it.")  # fmt: skip
    # Choices: the roles the school's rulebook binds (its own, or the bundled one's); see __init__.
    subject_role = forms.ChoiceField(label="Their role")

    def __init__(self, *args: Any, school: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = rulebook_roles.bound_role_choices(school)
        field = self.fields["subject_role"]
        field.choices = roles  # type: ignore[attr-defined]
        field.initial = roles[0][0] if roles else None
        if school is not None:
            # Django fills in %(value)s: any other % (in the school's name) is escaped.
            message = rulebook_roles.unknown_role_message(school, "\0", roles).replace("%", "%%")
            field.error_messages["invalid_choice"] = message.replace("\0", "%(value)s")

    def clean_archive(self) -> Any:
        upload = self.cleaned_data["archive"]
        try:
            check_upload(upload)
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
