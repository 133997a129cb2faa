"""The corpus splits keep their promise: no test school, and no test text, is ever trained on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postcheck.judge.corpus import CORPUS, load_splits
from postcheck.judge.model import JudgeModel, bundled_path

SPLITS = load_splits()


def _ids_and_texts(split: str) -> tuple[set[str], set[str]]:
    ids, texts = set(), set()
    for ls in SPLITS[split]:
        if ls.fixtures:
            continue
        for rec, _ in ls.rows():
            ids.add(rec["id"])
            if len(rec.get("text") or "") > 40:
                texts.add(rec["text"])
    return ids, texts


def test_test_schools_are_in_no_other_split() -> None:
    def folders(split: str) -> set[str]:
        return {ls.name.split(":")[0] for ls in SPLITS[split] if ":" not in ls.name}

    assert folders("test"), "no test schools"
    assert not folders("test") & (folders("train") | folders("validation"))


def test_no_test_record_or_text_is_trained_on() -> None:
    test_ids, test_texts = _ids_and_texts("test")
    train_ids, train_texts = _ids_and_texts("train")
    val_ids, val_texts = _ids_and_texts("validation")
    assert test_ids and not test_ids & (train_ids | val_ids)
    assert not test_texts & (train_texts | val_texts), "a test text also appears in training or validation"


def test_real_text_slices_cover_each_record_once() -> None:
    for folder in ("real/posts", "real/exports"):
        seen: dict[str, str] = {}
        for split, sets in SPLITS.items():
            for ls in sets:
                if ls.name.split(":")[0] != folder:
                    continue
                for rec, _ in ls.rows():
                    assert rec["id"] not in seen, f"{rec['id']} in {seen.get(rec['id'])} and {split}"
                    seen[rec["id"]] = split
        assert set(seen.values()) == {"train", "validation", "test"}


@pytest.mark.parametrize("folder", sorted(p.parent for p in CORPUS.glob("*/*/records.jsonl")), ids=str)
def test_labels_match_records_one_to_one(folder: Path) -> None:
    ids = [json.loads(line)["id"] for line in (folder / "records.jsonl").read_text("utf-8").splitlines() if line]
    for name in ("labels.a.jsonl", "labels.b.jsonl", "labels.jsonl"):
        labels = [json.loads(line) for line in (folder / name).read_text("utf-8").splitlines() if line]
        assert [row["id"] for row in labels] == ids, f"{folder.name}/{name}"


def test_bundled_judge_was_never_shown_a_test_set() -> None:
    manifest = JudgeModel.load(bundled_path()).manifest
    seen = {entry["set"].split(":")[0] for key in ("trained_on", "calibrated_on") for entry in manifest[key]}
    test = {ls.name.split(":")[0] for ls in SPLITS["test"] if ":" not in ls.name}
    assert test and not seen & test
    for entry in manifest["trained_on"] + manifest["calibrated_on"]:
        name, _, part = entry["set"].partition(":")
        if name.startswith("real/"):
            hi = int(part.split("-")[1])
            assert hi <= 75, f"{entry['set']} reaches into the real-text test slice (75-100)"
