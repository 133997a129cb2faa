"""The hash-chained audit log: append-only, and tampering is found and named."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import connection

from postcheck.web.core.audit import GENESIS, AuditEntry, AuditImmutableError, record_audit, verify_chain
from postcheck.web.core.models import School


@pytest.fixture
def chain(reviewer: Any, school_a: School) -> list[AuditEntry]:
    return [
        record_audit("case.view", actor=reviewer, school=school_a, object_type="cases.case", object_id=1),
        record_audit("case.decide", actor=reviewer, school=school_a, obj=school_a,
                     detail={"outcome": "advice_given", "n": 1.5, "tags": ["a", "b"]}),
        record_audit("case.view", actor=None, school=None, object_type="cases.case", object_id="2"),
        record_audit("case.note", actor=reviewer, school=school_a, detail={"note": 7}),
    ]  # fmt: skip


def raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cur:
        cur.execute(sql.replace("{t}", AuditEntry._meta.db_table), params)


def test_entries_chain(chain: list[AuditEntry], reviewer: Any, school_a: School) -> None:
    assert chain[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    assert chain[1].object_type == "core.school" and chain[1].object_id == str(school_a.pk)
    assert chain[0].actor_label == reviewer.username
    report = verify_chain()
    assert report.ok and report.checked == 4 and report.head == chain[-1].hash


@pytest.mark.django_db
def test_empty_log_verifies() -> None:
    assert verify_chain().ok


@pytest.mark.django_db
def test_anonymous_actor_recorded_as_nobody() -> None:
    from django.contrib.auth.models import AnonymousUser

    entry = record_audit("check.page", actor=AnonymousUser())
    assert entry.actor_id is None and entry.actor_label == ""


def test_changed_row_is_found_and_named(chain: list[AuditEntry]) -> None:
    raw("UPDATE {t} SET detail = %s WHERE id = %s", '{"outcome": "no_breach", "n": 1.5, "tags": ["a", "b"]}',
        chain[1].pk)  # fmt: skip
    report = verify_chain()
    assert not report.ok
    assert report.broken_id == chain[1].pk
    assert report.checked == 1
    assert "changed" in report.reason
    assert f"#{chain[1].pk}" in report.describe()


def test_rehashed_row_breaks_the_next_link(chain: list[AuditEntry]) -> None:
    # A careful forger recomputes the changed entry's own hash; the next entry still points at the old one.
    entry = AuditEntry.objects.get(pk=chain[1].pk)
    entry.action = "case.view"
    raw("UPDATE {t} SET action = %s, hash = %s WHERE id = %s", "case.view", entry.compute_hash(), entry.pk)
    report = verify_chain()
    assert report.broken_id == chain[2].pk
    assert f"entry #{chain[1].pk}" in report.reason


def test_deleted_row_is_found(chain: list[AuditEntry]) -> None:
    raw("DELETE FROM {t} WHERE id = %s", chain[2].pk)
    report = verify_chain()
    assert report.broken_id == chain[3].pk
    assert "removed" in report.reason


def test_changed_timestamp_or_actor_is_found(chain: list[AuditEntry], staff: Any) -> None:
    raw("UPDATE {t} SET actor_id = %s WHERE id = %s", staff.pk, chain[3].pk)
    assert verify_chain().broken_id == chain[3].pk


def test_orm_refuses_change_and_delete(chain: list[AuditEntry]) -> None:
    entry = AuditEntry.objects.get(pk=chain[0].pk)
    entry.action = "other"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.all().delete()
    assert verify_chain().ok


def test_fork_is_refused_by_the_database(chain: list[AuditEntry]) -> None:
    from django.db import IntegrityError, transaction

    fork = AuditEntry(timestamp=chain[-1].timestamp, action="x", prev_hash=chain[-1].prev_hash, hash="f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)


def test_deleting_a_user_or_school_leaves_the_chain_intact(chain: list[AuditEntry], reviewer: Any,
                                                           school_a: School) -> None:  # fmt: skip
    reviewer.delete()
    school_a.delete()
    assert verify_chain().ok


# The CLI (`postcheck audit verify`, chain + checkpoint) is tested in test_web_audit_checkpoints.py.
