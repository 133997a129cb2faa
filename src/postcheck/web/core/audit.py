"""The append-only, hash-chained audit log, keyed and checkpointed outside the database.

Every entry's ``hash`` is HMAC-SHA256, under the *audit key*, of the canonical JSON of its
contents followed by the ``prev_hash`` it was chained to (the previous entry's hash; 64 zeros
for the first). Changing, removing or reordering any entry breaks the chain from there on, and
:func:`verify_chain` names the first entry where it breaks. The key is not in the database
(``POSTCHECK_AUDIT_KEY``, or the file ``audit.key`` in the audit folder, made on first use), so
someone who can write the database but not read the key cannot recompute a chain.

After every append a *checkpoint* (the head hash, its entry id and the number of entries,
HMAC-signed with the same key) is written to the audit folder (``POSTCHECK_AUDIT_DIR``,
default ``<data folder>/audit``). :func:`verify` checks the chain against the latest
checkpoint, so removing the last entries, removing every entry, recomputing the chain and
replacing the database file are all caught. What it cannot catch: changes by someone who
holds the key *and* can write the audit folder, and appends lost since the last checkpoint
was written (a crash between commit and checkpoint). Keep the folder on other storage, or
copy the checkpoints away (e-mail, another machine), for those. docs/audit.md says more.

``prev_hash`` is UNIQUE: two writers that read the same head cannot both append,
so the chain stays one line on SQLite and PostgreSQL alike (the loser retries).

Keep personal data out of ``detail``: record ids and field names, not names or text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
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
        message = (canonical + self.prev_hash).encode("utf-8", "backslashreplace")
        return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def audit_dir() -> Path:
    configured = getattr(settings, "POSTCHECK_AUDIT_DIR", None) or os.environ.get("POSTCHECK_AUDIT_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit"


def audit_key() -> bytes:
    """POSTCHECK_AUDIT_KEY (hex or text), else ``audit.key`` in the audit folder, made (0600) on first use."""
    given = getattr(settings, "POSTCHECK_AUDIT_KEY", None) or os.environ.get("POSTCHECK_AUDIT_KEY")
    if given:
        return given.encode("utf-8")
    path = audit_dir() / "audit.key"
    cached = _KEYS.get(path)
    if cached is None:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_hex(32))
            except FileExistsError:
                pass  # another process made it first: use theirs
        cached = _KEYS[path] = path.read_text().strip().encode("utf-8")
    return cached


_KEYS: dict[Path, bytes] = {}


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
                transaction.on_commit(write_checkpoint)
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
            note = f"; {self.reason}" if self.reason else ""
            return f"audit chain intact: {self.checked} entries, head {self.head[:16]}{note}"
        if self.broken_id is None:
            return f"audit log check failed: {self.reason}"
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


# --- checkpoints, outside the database ----------------------------------------------------------


def _sign(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(audit_key(), b"checkpoint:" + canonical.encode(), hashlib.sha256).hexdigest()


def latest_checkpoint() -> dict[str, Any] | None:
    path = audit_dir() / "checkpoint.json"
    try:
        return dict(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (ValueError, OSError) as exc:
        return {"unreadable": str(exc)}


def write_checkpoint() -> dict[str, Any] | None:
    """Sign the log's head (hash, entry id, count) into ``checkpoint.json``; never moves backwards."""
    head = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return None
    body = {"last_id": head[0], "head": head[1], "count": AuditEntry.objects.filter(id__lte=head[0]).count(),
            "at": timezone.now().astimezone(UTC).isoformat(timespec="seconds")}  # fmt: skip
    old = latest_checkpoint()
    if old and isinstance(old.get("last_id"), int) and old["last_id"] > body["last_id"]:
        return old  # a slower writer's older head: keep the newer checkpoint
    folder = audit_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".checkpoint.{os.getpid()}.{secrets.token_hex(4)}"
    tmp.write_text(json.dumps({**body, "mac": _sign(body)}, sort_keys=True))
    os.replace(tmp, folder / "checkpoint.json")  # atomic: a reader sees the old or the new, whole
    return body


def verify() -> ChainReport:
    """The chain (:func:`verify_chain`), then the latest checkpoint: its entry must still be there,
    with the same hash and as many entries up to it. That catches what the chain alone cannot:
    the last entries removed, every entry removed, a chain recomputed, the database replaced."""
    report = verify_chain()
    if not report.ok:
        return report
    cp = latest_checkpoint()
    where = audit_dir() / "checkpoint.json"
    if cp is None:
        if report.checked == 0:
            return report
        return ChainReport(False, report.checked, None, f"{report.checked} entries but no checkpoint at {where}: "
                           "it was removed, or this log predates checkpoints (then run `postcheck audit "
                           "checkpoint` once)")  # fmt: skip
    body = {k: cp.get(k) for k in ("last_id", "head", "count", "at")}
    if "unreadable" in cp or not hmac.compare_digest(str(cp.get("mac", "")), _sign(body)):
        return ChainReport(False, report.checked, None, f"the checkpoint {where} is unreadable or its signature "
                           "does not match the audit key (forged, or the key was changed)")  # fmt: skip
    entry = AuditEntry.objects.filter(id=body["last_id"]).values_list("hash", flat=True).first()
    count = AuditEntry.objects.filter(id__lte=body["last_id"]).count()
    said = f"the checkpoint of {body['at']} names entry #{body['last_id']} as entry {body['count']}"
    if entry is None:
        return ChainReport(False, report.checked, body["last_id"], f"entry #{body['last_id']} is missing: {said}, "
                           f"and the log holds {report.checked} entries (entries at the end were removed, "
                           "or the database was replaced)")  # fmt: skip
    if entry != body["head"]:
        why = "the chain was recomputed, or the database replaced"
        return ChainReport(False, report.checked, body["last_id"], f"entry #{body['last_id']}'s hash differs from "
                           f"the checkpoint's: {said} ({why})")  # fmt: skip
    if count != body["count"]:
        return ChainReport(False, report.checked, body["last_id"], f"{said}, but {count} entries now lead up to it "
                           "(entries were removed or added before it)")  # fmt: skip
    report.reason = f"matches the checkpoint of {body['at']} (entry #{body['last_id']})"
    return report
