"""School and Membership; AuditEntry lives in audit.py and is re-exported here for Django."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from postcheck import safe_yaml
from postcheck.errors import ConfigError
from postcheck.school import School as SchoolContext
from postcheck.school import school_from_data
from postcheck.web.core.audit import AuditEntry
from postcheck.web.core.roles import REVIEWERS, Role, policy_role

if TYPE_CHECKING:
    from postcheck.engine import Checker

__all__ = ["AuditEntry", "Membership", "School"]


def _jsonable(value: Any) -> Any:
    # YAML reads unquoted dates as date objects; JSONField needs plain strings.
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    raise TypeError(f"{type(value).__name__} cannot be stored in a school context")


def normalise_context(raw: Any, roles: list[str] | None = None) -> dict[str, Any]:
    """A school context as plain JSON (dates as strings), validated; raises ConfigError with the fix.
    ``roles``: the school's rulebook's parents roles (a parent's ``role`` must be one); default FORMATS.md's."""
    if isinstance(raw, str):
        raw = safe_yaml.load(raw, "school context")  # YamlError (a ConfigError): the place and the fix
    try:
        plain = json.loads(json.dumps(raw, default=_jsonable))
    except (TypeError, ValueError) as exc:  # e.g. a date or a list as a key: JSON keys are text
        raise ConfigError(f"school context: {exc}; write every key as text") from None
    school_from_data(plain, source="school context", roles=roles)
    return plain


def context_hash(context: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(context, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class School(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True, help_text="Short name used in addresses, e.g. lancastrian.")
    # The school context of FORMATS.md section 2, as JSON: the Checker is built from it.
    context = models.JSONField(default=dict, blank=True)
    # Changes whenever the context does: the cached Checker is rebuilt when it no longer matches.
    context_hash = models.CharField(max_length=64, editable=False, default="")
    allow_anonymous_check = models.BooleanField(
        default=False, help_text="Anyone, signed in or not, may use Check before you post for this school."
    )
    allow_anonymous_report = models.BooleanField(
        default=False, help_text="Anyone, signed in or not, may report a concern to this school."
    )
    retention_days = models.PositiveIntegerField(
        default=365,
        validators=[MinValueValidator(1)],
        help_text="Closed cases older than this many days are deleted by `postcheck purge`.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def policy_roles(self) -> list[str]:
        """The school's rulebook's parents roles (``roster: parents``): a parent's ``role`` in the context
        must be one of them."""
        from postcheck.web.core.rulebook_roles import parent_roles

        return parent_roles(self)

    def clean(self) -> None:
        try:
            self.context = normalise_context(self.context or {"name": self.name}, self.policy_roles())
        except ConfigError as exc:
            raise ValidationError({"context": str(exc)}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.context:
            self.context = {"name": self.name}
        self.context_hash = context_hash(self.context)
        if kwargs.get("update_fields") is not None and "context" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "context_hash"}
        super().save(*args, **kwargs)

    def set_context(self, raw: dict[str, Any] | str) -> None:
        """Replace the context (a mapping, or YAML/JSON text) after validating it with the school's
        rulebook's roles; call save() after."""
        self.context = normalise_context(raw, self.policy_roles())

    def context_yaml(self) -> str:
        return yaml.safe_dump(self.context, sort_keys=False, allow_unicode=True)

    def school_context(self) -> SchoolContext:
        return school_from_data(self.context or {"name": self.name}, source=f"school {self.slug}",
                                roles=self.policy_roles())  # fmt: skip

    def checker(self) -> Checker:
        """The compiled Checker for this school, cached per process and rebuilt when the context changes."""
        from postcheck.web.core.checkers import checker_for

        return checker_for(self)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school__name", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_school")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.school}"

    @property
    def is_reviewer(self) -> bool:
        return self.role in REVIEWERS

    @property
    def policy_role(self) -> str:
        return policy_role(self.role)
