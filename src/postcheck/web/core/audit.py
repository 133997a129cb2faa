"""The append-only, hash-chained audit log.

Every entry's ``hash`` is sha256 over the canonical JSON of its contents followed by
the ``prev_hash`` it was chained to (the previous entry's hash; 64 zeros for the
first). Changing, removing or reordering any entry breaks the chain from there on,
and :func:`verify_chain` names the first entry where it breaks.

``prev_hash`` is UNIQUE: two writers that read the same head cannot both append,
so the chain stays one line on SQLite and PostgreSQL alike (the loser retries).

Keep personal data out of ``detail``: record ids and field names, not names or text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

GENESIS = "0" * 64
_RETRIES = 8


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit entry through the ORM."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("audit entries cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditImmutableError("audit entries cannot be changed")


class AuditEntry(models.Model):
    timestamp = models.DateTimeField(db_index=True)
    # No database constraint and DO_NOTHING: deleting a user or school must not rewrite the log.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True, help_text="Username at the time.")
    school = models.ForeignKey("core.School", null=True, blank=True, on_delete=models.DO_NOTHING,
                               db_constraint=False, related_name="+")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.timestamp:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("audit entries cannot be deleted")

    def payload(self) -> dict[str, Any]:
        return {
            "timestamp": self.timestamp.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "school": self.school_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "detail": self.detail,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256((canonical + self.prev_hash).encode("utf-8")).hexdigest()


def record_audit(
    action: str,
    *,
    actor: Any = None,
    school: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: who (a user, or None for the system/anonymous), in which school, did what to what.

    ``obj`` fills object_type (``app.model``) and object_id from a model instance.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # AnonymousUser
    # Round-trip through JSON now, so the hash covers exactly what the database will hand back.
    plain = json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder))
    for attempt in range(_RETRIES):
        entry = AuditEntry(
            timestamp=timezone.now().astimezone(UTC),
            actor=actor,
            actor_label=actor.get_username() if actor is not None else "",
            school=school,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=plain,
        )
        try:
            with transaction.atomic():
                head = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
                entry.prev_hash = head or GENESIS
                entry.hash = entry.compute_hash()
                entry.save(force_insert=True)
            return entry
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise  # another writer appended first every time: give up loudly rather than fork
    raise AssertionError("unreachable")


@dataclass
class ChainReport:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""
    head: str = GENESIS

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} entries, head {self.head[:16]}"
        return (f"audit chain broken at entry #{self.broken_id}: {self.reason} "
                f"({self.checked} entries before it verified)")


def verify_chain() -> ChainReport:
    """Walk the log in order and recompute every hash; report the first entry that does not fit."""
    prev = GENESIS
    prev_id: int | None = None
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            after = f"entry #{prev_id}" if prev_id is not None else "the start of the log"
            return ChainReport(False, checked, entry.pk,
                               f"its prev_hash does not match {after} (that entry was changed, "
                               f"or entries between them were removed)")  # fmt: skip
        if entry.compute_hash() != entry.hash:
            return ChainReport(False, checked, entry.pk, "its contents were changed after it was recorded")
        prev, prev_id = entry.hash, entry.pk
        checked += 1
    return ChainReport(True, checked, head=prev)
