"""Published policy versions, who acknowledged which, and roster imports awaiting confirmation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class PolicyVersion(models.Model):
    """A snapshot of the policy as published for one school: what people read is what they acknowledge."""

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="policy_versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # fmt: skip
    # sha256 over the rendered policy and the school context's hash (policy.document.content_hash).
    content_hash = models.CharField(max_length=64)
    rulebook_version = models.CharField(max_length=40, blank=True)
    # The rendered policy as data (for the page) and as plain text (for the record): kept, never re-rendered.
    document = models.JSONField(default=dict)
    text = models.TextField()
    note = models.CharField(max_length=500, blank=True, help_text="What changed, in a sentence.")
    # The school's own rulebook (YAML) as published with this version; empty: the bundled one. The
    # latest version's rulebook is the one the school's Checker, forms, filters and API use.
    rulebook_text = models.TextField(blank=True)
    rulebook_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["school", "-number"]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="one_policy_version_number")]
        get_latest_by = "number"

    def __str__(self) -> str:
        return f"{self.school_id}: version {self.number}"


class Acknowledgement(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acks")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements")
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["version", "acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="one_ack_per_user_per_version")]

    def __str__(self) -> str:
        return f"{self.user_id} acknowledged {self.version}"


class RosterImport(models.Model):
    """An uploaded roster waiting for the manager to confirm the preview; deleted on confirm, cancel or expiry.

    It holds names (personal data) for minutes at most, so it lives in the database only between the
    upload and the confirmation, and every new upload removes expired ones.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The school's context_hash when previewed: confirming after someone else changed it is refused.
    base_hash = models.CharField(max_length=64)
    sections = models.JSONField(default=dict)  # {"pupils": [...], ...}: only the sections the file has rows for
    summary = models.JSONField(default=dict)  # counts, for the audit entry and the message
    contacts = models.JSONField(default=list)  # staff's and governors' e-mail addresses (RosterContact)
    replace = models.BooleanField(default=False, help_text="The file is the whole list: remove who is not in it.")

    def __str__(self) -> str:
        return f"roster import {self.id} for school {self.school_id}"


class RosterContact(models.Model):
    """A member of staff or a governor on the roster who can acknowledge the policy without an account,
    through a signed link sent to this address (policy.links). Kept here, not in the school context:
    nothing checks a post against an e-mail address, and governors are not in the context at all."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        GOVERNOR = "governor", "Governor"

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="roster_contacts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["school", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "kind", "name"], name="one_contact_per_name")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} contact {self.pk}"  # never the name: this string reaches logs


class ContactAcknowledgement(models.Model):
    """A roster contact acknowledged a version through their signed link (once: the link then says so)."""

    contact = models.ForeignKey(RosterContact, on_delete=models.CASCADE, related_name="acknowledgements")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="contact_acknowledgements")
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["version", "acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["contact", "version"], name="one_ack_per_contact_per_version")]

    def __str__(self) -> str:
        return f"contact {self.contact_id} acknowledged {self.version}"
