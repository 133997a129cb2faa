"""API tokens: a script's key to POST /api/check for one school, acting as one member of it.

Only a SHA-256 hash of a token is stored: the token itself is shown once, when it is made.
Tokens are long and random (256 bits), so a fast unsalted hash is enough and lets the
lookup be one indexed query per request.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "pc_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             help_text="The member of the school the token acts as.")  # fmt: skip
    name = models.CharField(max_length=100, help_text="What it is for, e.g. 'newsletter checker'.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so a token can be recognised in a list; too short to be of use to anyone.
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["school", "-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def issue(cls, school: Any, user: Any, name: str, created_by: Any = None) -> tuple[ApiToken, str]:
        """Create a token; returns (the row, the token itself: shown once, never stored)."""
        raw = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(school=school, user=user, name=name.strip(), token_hash=hash_token(raw),
                                   hint=raw[:len(PREFIX) + 5], created_by=created_by)  # fmt: skip
        return token, raw

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
