"""Keyed hashes and signed checkpoints outside the database: truncation, wholesale deletion,
recomputed chains and a replaced database are each caught, with the place named (issue 10)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import connection

from postcheck.cli import main
from postcheck.web.core.audit import AuditEntry, audit_key, record_audit, verify, write_checkpoint
from postcheck.web.core.models import School


@pytest.fixture(autouse=True)
def audit_home(settings: Any, tmp_path: Path) -> Path:
    settings.POSTCHECK_AUDIT_DIR = str(tmp_path / "audit")  # key and checkpoints of this test only
    return tmp_path / "audit"


@pytest.fixture
def chain(reviewer: Any, school_a: School) -> list[AuditEntry]:
    entries = [record_audit("case.view", actor=reviewer, school=school_a, object_type="cases.case", object_id=i)
               for i in range(6)]  # fmt: skip
    write_checkpoint()  # the app does this on commit; tests run inside one transaction
    return entries


def raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cur:
        cur.execute(sql.replace("{t}", AuditEntry._meta.db_table), params)


def test_intact_log_matches_its_checkpoint(chain: list[AuditEntry]) -> None:
    report = verify()
    assert report.ok and report.checked == 6 and f"#{chain[-1].pk}" in report.describe()


def test_the_key_lives_outside_the_database(chain: list[AuditEntry], audit_home: Path) -> None:
    assert (audit_home / "audit.key").read_text().strip().encode() == audit_key()
    plain = hashlib.sha256(b"x").hexdigest()
    assert all(e.hash != plain for e in chain)


def test_deleting_the_tail_is_caught(chain: list[AuditEntry]) -> None:
    for e in chain[-2:]:
        raw("DELETE FROM {t} WHERE id = %s", e.pk)
    report = verify()
    assert not report.ok and report.broken_id == chain[-1].pk
    assert "missing" in report.reason and "removed" in report.reason


def test_deleting_every_entry_is_caught(chain: list[AuditEntry]) -> None:
    raw("DELETE FROM {t}")
    report = verify()
    assert not report.ok and f"entry #{chain[-1].pk} is missing" in report.reason


def test_editing_and_recomputing_the_chain_is_caught(chain: list[AuditEntry]) -> None:
    # The forger rewrites entry 2 and re-chains every later entry with the old unkeyed function.
    prev = chain[1].hash
    for e in chain[2:]:
        entry = AuditEntry.objects.get(pk=e.pk)
        entry.action = "case.forged" if e.pk == chain[2].pk else entry.action
        canonical = json.dumps(entry.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        new = hashlib.sha256((canonical + prev).encode()).hexdigest()
        raw("UPDATE {t} SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",
            entry.action, "t" + new[1:], "u" + new[1:], e.pk)  # placeholders first: the columns are UNIQUE
        raw("UPDATE {t} SET prev_hash = %s, hash = %s WHERE id = %s", prev, new, e.pk)
        prev = new
    report = verify()
    assert not report.ok and report.broken_id == chain[2].pk and "changed" in report.reason


def test_a_recomputed_chain_under_another_key_is_caught(chain: list[AuditEntry], settings: Any) -> None:
    # A chain made whole under the forger's own key fails under the app's key, from its first entry.
    settings.POSTCHECK_AUDIT_KEY = "the forger's own key"
    prev = "0" * 64
    for e in chain:
        entry = AuditEntry.objects.get(pk=e.pk)
        entry.prev_hash = prev
        new = entry.compute_hash()
        raw("UPDATE {t} SET prev_hash = %s, hash = %s WHERE id = %s", "t" + new[1:], "u" + new[1:], e.pk)
        raw("UPDATE {t} SET prev_hash = %s, hash = %s WHERE id = %s", prev, new, e.pk)
        prev = new
    settings.POSTCHECK_AUDIT_KEY = None  # verified with the app's key, in the audit folder
    report = verify()
    assert not report.ok and report.broken_id == chain[0].pk


def test_a_replaced_database_is_caught(chain: list[AuditEntry], reviewer: Any, school_a: School) -> None:
    raw("DELETE FROM {t}")  # another database file: a fresh log written by the same app
    for i in range(8):
        record_audit("case.view", actor=reviewer, school=school_a, object_type="cases.case", object_id=i)
    report = verify()
    assert not report.ok and report.broken_id == chain[-1].pk


def test_a_forged_checkpoint_is_caught(chain: list[AuditEntry], audit_home: Path) -> None:
    path = audit_home / "checkpoint.json"
    cp = json.loads(path.read_text())
    path.write_text(json.dumps({**cp, "count": 2, "last_id": chain[1].pk, "head": chain[1].hash}))
    report = verify()
    assert not report.ok and "signature" in report.reason


def test_a_removed_checkpoint_is_caught(chain: list[AuditEntry], audit_home: Path) -> None:
    (audit_home / "checkpoint.json").unlink()
    assert not verify().ok


def test_cli_audit_verify(chain: list[AuditEntry]) -> None:
    ok = CliRunner().invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact: 6 entries" in ok.output and "checkpoint" in ok.output
    raw("DELETE FROM {t} WHERE id = %s", chain[-1].pk)
    bad = CliRunner().invoke(main, ["audit", "verify"])
    assert bad.exit_code == 1 and f"entry #{chain[-1].pk} is missing" in bad.output
