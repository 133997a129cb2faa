"""The judge's remembered feature columns are the columns themselves (a wrong one would misread the model)."""

from __future__ import annotations

import pytest

from postcheck.judge import features


def test_remembered_columns_equal_fresh_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["bias", "w:lazy", "b:the head", "w:lazy", "cue:criticism:staff", "c:<laz"]
    fresh = [features.index(n) for n in names]
    assert features.column_indices(names) == fresh
    assert features.column_indices(names) == fresh  # from the memo now
    monkeypatch.setattr(features, "_COLUMN_MEMO_MAX", 2)  # full: the memo starts again, same answers
    assert features.column_indices(names) == fresh
    assert features.column_indices(names) == fresh
    assert len(features._column_memo) <= len(set(names))


def test_hashed_sums_colliding_columns_in_first_seen_order() -> None:
    feats = {"a": 1.0, "b": 0.5, "c": 0.25}
    idx, val = features.hashed(feats, [7, 3, 7])
    assert (idx, val) == ([7, 3], [1.25, 0.5])
    assert features.hashed(feats) == features.hashed(feats, features.column_indices(feats))


def test_remembered_character_names_equal_fresh_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    assert features._char_names("lazy") == ()  # four letters or fewer: no character features
    assert features._char_names("useless") == ("c:<use", "c:usel", "c:sele", "c:eles", "c:less", "c:ess>")
    monkeypatch.setattr(features, "_CHAR_MEMO_MAX", 1)  # full: the memo starts again, same answers
    features._char_memo.clear()
    assert features._char_names("useless") == ("c:<use", "c:usel", "c:sele", "c:eles", "c:less", "c:ess>")
    assert features._char_names("lazy") == ()
    assert len(features._char_memo) <= 1
