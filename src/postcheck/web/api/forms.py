"""The form a manager fills in to create an API token."""

from __future__ import annotations

from django import forms

from postcheck.web.core.forms import AccessibleFormMixin


class TokenForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label="What the token is for", max_length=100,
        help_text="So you recognise it later, e.g. 'newsletter checker'. The token acts as you.")
