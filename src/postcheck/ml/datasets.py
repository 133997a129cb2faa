"""Which rows of which files train each head, and which rows are held out.

Every loader names its file and split. Held out, never trained on:
the OLID test set (``testset-levela.tsv``) and the EDOS ``test`` split; they
are what ``benchmarks/eval_abuse.py`` scores. ``../shared/eval/`` is never read here.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO.parent / "shared" / "data"
POLICY_TRAINING = REPO / "data" / "training" / "policy.jsonl"
POLICY_LABELS = ("criticism", "disrepute", "campaign", "relationship", "allegation", "abuse", "bullying",
                 "private_conversation", "inflammatory", "school_matter")  # fmt: skip


@dataclass
class Rows:
    """Texts with 0/1 labels, and where they came from (for the training manifest)."""

    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    sources: list[dict[str, object]] = field(default_factory=list)

    def add(self, path: Path, split: str, texts: list[str], labels: list[int]) -> None:
        self.texts += texts
        self.labels += labels
        digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
        self.sources.append({"file": _rel(path), "file_sha256": _sha256(path)[:16], "split": split,
                             "rows": len(texts), "positives": sum(labels), "rows_sha256": digest})  # fmt: skip

    def __len__(self) -> int:
        return len(self.texts)


def _rel(path: Path) -> str:
    for base in (REPO, REPO.parent):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _csv(path: Path, **kw: object) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, **kw))  # type: ignore[call-overload]


def olid_train(data: Path, rows: Rows) -> None:
    """OLID 1.0 training file, subtask A: OFF = 1. (The 860-row test set is held out.)"""
    path = data / "abuse/olid/olid-training-v1.0.tsv"
    recs = _csv(path, delimiter="\t", quoting=csv.QUOTE_NONE)
    rows.add(path, "train (all rows)", [r["tweet"] for r in recs], [int(r["subtask_a"] == "OFF") for r in recs])


def edos(data: Path, rows: Rows, splits: tuple[str, ...] = ("train",)) -> None:
    """EDOS aggregated labels: label_sexist == 'sexist' = 1. The 'test' split is held out."""
    path = data / "abuse/edos/edos_labelled_aggregated.csv"
    recs = [r for r in _csv(path) if r["split"] in splits]
    if "test" in splits:
        raise ValueError("the EDOS test split is held out for evaluation")
    rows.add(path, "+".join(splits), [r["text"] for r in recs], [int(r["label_sexist"] == "sexist") for r in recs])


def davidson(data: Path, rows: Rows) -> None:
    """Davidson et al. 2017: hate speech or offensive (class 0/1) = 1, neither (2) = 0. No test split used."""
    path = data / "abuse/davidson/data_labeled_data.csv"
    recs = _csv(path)
    rows.add(path, "all rows", [r["tweet"] for r in recs], [int(r["class"] in ("0", "1")) for r in recs])


def policy(rows_by_label: dict[str, Rows], path: Path = POLICY_TRAINING) -> None:
    """The project's own policy-specific examples (data/training/policy.jsonl), one head per label."""
    recs = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for label in POLICY_LABELS:
        rows_by_label[label].add(path, "all rows", [r["text"] for r in recs],
                                 [int(label in r["labels"]) for r in recs])  # fmt: skip


Loader = Callable[[Path, Rows], None]
PUBLIC_HEADS: dict[str, tuple[Loader, ...]] = {
    "offensive": (olid_train,),
    "sexism": (edos,),
}
