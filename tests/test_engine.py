"""The checker's contracts: Who is strict, official accounts, evidence offsets, streaming."""

from __future__ import annotations

import pytest

from postcheck import Checker
from postcheck.rulebook import load_rulebook

# The bundled rulebook declares its clause references (FORMATS.md's enum); no list in code.
CLAUSES = tuple(load_rulebook().clauses)


def staff_post(text: str, **extra: object) -> dict:
    record = {"id": "t1", "kind": "post", "author": {"name": "Naomi Fielden", "role": "staff"},
              "text": text}  # fmt: skip
    record.update(extra)
    return record


def clauses(checker: Checker, record: dict) -> set[str]:
    return {c for f in checker.check(record) for c in f.clauses}


@pytest.mark.parametrize("role", ["pupil", "public"])
def test_unbound_authors_are_always_clean(checker: Checker, role: str) -> None:
    rec = staff_post("Lancastrian Infants is rubbish, Mrs Holroyd is a lazy cow", audience="public")
    rec["author"]["role"] = role
    assert checker.check(rec) == []


def test_staff_only_clauses_never_fire_for_parents(checker: Checker) -> None:
    staff_only = {"SN.c", "SN.names", "IC.f", "IC.I", "IC.II", "IC.III", "PU", "FP.a", "FP.b", "FP.c",
                  "FP.d", "FP.e"}  # fmt: skip
    rec = staff_post("our lovely #LancastrianInfants nativity, Pops was a star, vaccines are poison",
                     audience="public", created_at="2026-11-24T10:30:00+00:00")  # fmt: skip
    assert clauses(checker, rec) & staff_only
    rec["author"] = {"name": "Rachel Ashworth", "role": "parent"}
    assert not clauses(checker, rec) & staff_only


def test_official_account_is_the_school_speaking(checker: Checker) -> None:
    rec = {"id": "o", "kind": "post", "author": {"name": "LIS", "role": "staff", "handle": "@LancastrianInfant"},
           "text": "Well done Ada and Pops at Lancastrian Infant School!", "audience": "public",
           "created_at": "2026-11-24T10:30:00+00:00",
           "attachments": [{"type": "image", "alt_text": "two children with certificates"}]}  # fmt: skip
    assert clauses(checker, rec) == set()
    rec["text"] = "Well done Adaeze Obi!"
    assert clauses(checker, rec) == {"WB.c", "IC.c"}
    rec["text"] = "Well done Kamil!"  # photo_consent: false, image attached
    assert clauses(checker, rec) == {"WB.c"}
    del rec["attachments"]
    assert clauses(checker, rec) == set()


def test_spans_point_at_the_words(checker: Checker) -> None:
    text = "So proud of Pops and Teddy today at Lancastrian"
    for f in checker.check(staff_post(text)):
        for s in f.spans:
            assert s.field == "text" and text[s.start:s.end] == s.text


def test_share_counts_the_shared_item(checker: Checker) -> None:
    rec = staff_post("look at this!", kind="share")
    rec["in_reply_to"] = {"author": {"name": "X", "role": "parent"}, "text": "Pops won at Lancastrian today"}
    assert {"SN.names", "IC.c"} <= clauses(checker, rec)
    rec["kind"] = "comment"  # for a comment, the post replied to is not the author's words
    assert "SN.names" not in clauses(checker, rec)


def test_check_many_streams_in_order_with_errors(checker: Checker) -> None:
    recs = [staff_post("hello"), {"id": "bad", "kind": "post"}, staff_post("Pops!")]
    results = list(checker.check_many(recs))
    assert [r.id for r in results] == ["t1", "bad", "t1"]
    assert results[1].error and "author" in results[1].error and results[1].line == 2
    assert results[2].findings


def test_clause_list_matches_result_schema() -> None:
    import json
    from pathlib import Path

    schema = Path(__file__).resolve().parents[2] / "shared" / "spec" / "result.schema.json"
    if not schema.exists():
        pytest.skip("shared/spec not present")
    enum = json.loads(schema.read_text())["properties"]["findings"]["items"]["properties"]["clauses"]["items"]["enum"]
    assert tuple(enum) == CLAUSES
