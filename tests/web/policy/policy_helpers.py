"""Helpers shared by the policy tests."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client


def upload(c: Client, text: str | bytes, name: str = "roster.csv", slug: str = "lancastrian",
           mode: str = "merge") -> Any:  # fmt: skip
    data = text.encode("utf-8") if isinstance(text, str) else text
    return c.post(f"/policy/{slug}/settings/roster/", {"file": SimpleUploadedFile(name, data, "text/csv"),
                                                       "mode": mode})  # fmt: skip
