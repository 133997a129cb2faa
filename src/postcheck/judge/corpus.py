"""The labelled corpus the judge learns from, split by school (``data/corpus/splits.yaml``).

Whole schools are held out: the test schools and the real-text test slices are
never used for training or for thresholds; the validation schools choose the
calibration and thresholds only. A real-text set is cut into slices by a
stable hash of the record id, so a record's slice never changes.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "data" / "corpus"
SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class LabelledSet:
    name: str  # e.g. schools/hollybrook or real/posts:test
    records: Path
    labels: Path
    school: Path
    part: tuple[int, int] | str | None = None
    fixtures: bool = False  # a folder of rule fixtures (tests/fixtures/rules): records is that folder

    def rows(self) -> Iterator[tuple[dict[str, Any], list[str]]]:
        labels = {}
        for line in self.labels.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[row["id"]] = row["clauses"]
        for line in self.records.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("id") not in labels or not self.keeps(rec["id"]):
                continue
            yield rec, labels[rec["id"]]

    def keeps(self, rid: str) -> bool:
        if self.part is None:
            return True
        if isinstance(self.part, str):  # "odd" / "even": the number at the end of the id
            digits = "".join(ch for ch in rid[-6:] if ch.isdigit())
            return bool(digits) and int(digits) % 2 == (1 if self.part == "odd" else 0)
        lo, hi = self.part
        return lo <= zlib.crc32(rid.encode()) % 100 < hi


def labels_file(folder: Path) -> Path:
    """Settled labels when the second reading is done, else the first reader's."""
    for name in ("labels.jsonl", "labels.a.jsonl"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"{folder}: no labels.jsonl or labels.a.jsonl")


def load_splits(path: Path | None = None) -> dict[str, list[LabelledSet]]:
    path = path or CORPUS / "splits.yaml"
    spec = yaml.safe_load(path.read_text("utf-8"))
    out: dict[str, list[LabelledSet]] = {s: [] for s in SPLITS}
    for split in SPLITS:
        for entry in spec.get(split) or []:
            if entry.startswith("fixtures:"):  # rule fixtures: each speaks for its own rule's clauses only
                folder = (CORPUS / entry.removeprefix("fixtures:")).resolve()
                from postcheck.engine import example_school_path

                out[split].append(LabelledSet(entry, folder, folder, example_school_path(), fixtures=True))
                continue
            name, _, part = entry.partition(":")
            folder = (CORPUS / name).resolve()
            if not (folder / "records.jsonl").exists():
                continue  # a set still being written is skipped, and said so by `train`
            school = folder / "school.yaml"
            if not school.exists():
                school = folder.parent / "school.yaml"
            rng: tuple[int, int] | str | None = None
            if part in ("odd", "even"):
                rng = part
            elif part:
                lo, hi = part.split("-")
                rng = (int(lo), int(hi))
            out[split].append(LabelledSet(entry, folder / "records.jsonl", labels_file(folder), school, rng))
    return out
