"""The public abuse sets in ../shared/data/abuse, split once, here, into training and held-out rows.

One definition of what is held out, shared by the evaluation script (benchmarks/eval_abuse.py) and by training:
training may read the ``train``/``dev`` splits below and must never read a ``test`` split.

Every loader returns ``list[tuple[str, int]]`` (text, label) with label 1 = abusive/offensive/sexist (the positive
class) and 0 = not; ``rows(...)`` gives the same rows with the id that identifies each in its source file, so a
trained model can record which rows it used. Standard library only, so that training code can import it freely.

- olid: test = olid/testset-levela.tsv + labels-levela.csv (official test, 860);
  train = olid/olid-training-v1.0.tsv (13,240; no dev).
- edos: edos/edos_labelled_aggregated.csv by its ``split`` column: test 4,000, train 14,000, dev 2,000.
- hatexplain: hatexplain/hatexplain_mbib.csv by the ids of hatexplain/post_id_divisions.json:
  test 1,924, train 15,383, val (= dev) 1,922.
- davidson: davidson/data_labeled_data.csv; no official split, so here: row id % 10 == 0 test (2,484),
  == 1 dev, the rest train.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "abuse"
"""repo_root/../shared/data/abuse"""

Example = tuple[str, int]


class Row(NamedTuple):
    id: str
    text: str
    label: int


def _read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


# --- OLID (OffensEval 2019), sub-task A: OFF = 1, NOT = 0 -----------------------------------------------------


def olid_rows(split: str, data: Path = DEFAULT_DATA) -> list[Row]:
    """OLID level A. ``test``: olid/testset-levela.tsv (id, tweet) joined on id with olid/labels-levela.csv
    (header id,label; OFF|NOT), the official 860-tweet OffensEval 2019 test set. ``train``: olid/olid-training-v1.0.tsv
    column subtask_a, 13,240 tweets. Tabs separate columns; fields with quotes are CSV-quoted."""
    olid = Path(data) / "olid"
    if split == "test":
        gold = {r["id"]: r["label"] for r in _read_csv(olid / "labels-levela.csv")}
        tweets = _read_csv(olid / "testset-levela.tsv", delimiter="\t")
        if len(gold) != len(tweets):
            raise ValueError(f"OLID test: {len(tweets)} tweets but {len(gold)} labels")
        return [Row(t["id"], t["tweet"], _olid_label(gold[t["id"]])) for t in tweets]
    if split == "train":
        return [Row(t["id"], t["tweet"], _olid_label(t["subtask_a"]))
                for t in _read_csv(olid / "olid-training-v1.0.tsv", delimiter="\t")]
    raise ValueError(f"OLID has splits train and test, not {split!r}")


def _olid_label(value: str) -> int:
    if value not in ("OFF", "NOT"):
        raise ValueError(f"OLID level A label {value!r}")
    return int(value == "OFF")


def olid_test(data: Path = DEFAULT_DATA) -> list[Example]:
    """OLID level A official test set (860 tweets): olid/testset-levela.tsv + olid/labels-levela.csv. Held out."""
    return _pairs(olid_rows("test", data))


def olid_train(data: Path = DEFAULT_DATA) -> list[Example]:
    """OLID level A training set (13,240 tweets): olid/olid-training-v1.0.tsv."""
    return _pairs(olid_rows("train", data))


# --- EDOS (SemEval 2023 task 10), task A: "sexist" = 1, "not sexist" = 0 ------------------------------------


def edos_rows(split: str, data: Path = DEFAULT_DATA) -> list[Row]:
    """EDOS task A: edos/edos_labelled_aggregated.csv rows whose ``split`` column equals ``split``
    (train 14,000 / dev 2,000 / test 4,000); label_sexist == "sexist" is positive."""
    if split not in ("train", "dev", "test"):
        raise ValueError(f"EDOS has splits train, dev and test, not {split!r}")
    out = []
    for r in _read_csv(Path(data) / "edos" / "edos_labelled_aggregated.csv"):
        if r["split"] == split:
            if r["label_sexist"] not in ("sexist", "not sexist"):
                raise ValueError(f"EDOS label_sexist {r['label_sexist']!r}")
            out.append(Row(r["rewire_id"], r["text"], int(r["label_sexist"] == "sexist")))
    return out


def edos_test(data: Path = DEFAULT_DATA) -> list[Example]:
    """EDOS task A test split (4,000 Gab/Reddit posts): edos/edos_labelled_aggregated.csv, split == test. Held out."""
    return _pairs(edos_rows("test", data))


def edos_train(data: Path = DEFAULT_DATA) -> list[Example]:
    """EDOS task A, split == train (14,000)."""
    return _pairs(edos_rows("train", data))


def edos_dev(data: Path = DEFAULT_DATA) -> list[Example]:
    """EDOS task A, split == dev (2,000)."""
    return _pairs(edos_rows("dev", data))


# --- HateXplain (MBIB processed copy, lower-cased): hatespeech or offensive = 1, normal = 0 -----------------


HATEXPLAIN_CATEGORY = {"0": "normal", "1": "hatespeech", "2": "offensive", "3": "undecided"}
"""MBIB's ``category`` codes; the counts (7,814 / 5,935 / 5,480 / 919) are those of the HateXplain paper."""


def hatexplain_rows(split: str, data: Path = DEFAULT_DATA) -> list[Row]:
    """HateXplain, two-class "toxic" setting (hatespeech or offensive = 1, normal = 0): hatexplain/hatexplain_mbib.csv
    (first column = HateXplain post_id) restricted to the ids that hatexplain/post_id_divisions.json lists under
    ``split`` (train 15,383 / val 1,922 / test 1,924). "Undecided" posts (no majority) are dropped; the official
    divisions already leave them out. Texts are lower-cased, with punctuation stripped, by MBIB."""
    if split not in ("train", "val", "test"):
        raise ValueError(f"HateXplain has splits train, val and test, not {split!r}")
    folder = Path(data) / "hatexplain"
    with (folder / "post_id_divisions.json").open(encoding="utf-8") as fh:
        ids = set(json.load(fh)[split])
    out = []
    for r in _read_csv(folder / "hatexplain_mbib.csv"):
        category = HATEXPLAIN_CATEGORY[r["category"]]
        if r[""] in ids and category != "undecided":
            out.append(Row(r[""], r["text"], int(category != "normal")))
    return out


def hatexplain_test(data: Path = DEFAULT_DATA) -> list[Example]:
    """HateXplain official test division (1,924 posts): hatexplain_mbib.csv x post_id_divisions.json. Held out."""
    return _pairs(hatexplain_rows("test", data))


# --- Davidson et al. 2017: hate speech or offensive = 1, neither = 0 -----------------------------------------


def davidson_rows(split: str, data: Path = DEFAULT_DATA) -> list[Row]:
    """Davidson: davidson/data_labeled_data.csv, ``class`` 0 (hate) or 1 (offensive) = 1, 2 (neither) = 0.
    The set has no official split; this module's: row id (first column) % 10 == 0 is ``test`` (2,484 rows),
    == 1 is ``dev``, the rest ``train``. Note the set is ~83% positive."""
    bucket = {"test": (0,), "dev": (1,), "train": tuple(range(2, 10))}.get(split)
    if bucket is None:
        raise ValueError(f"Davidson has splits train, dev and test (this module's), not {split!r}")
    return [Row(r[""], r["tweet"], int(r["class"] in ("0", "1")))
            for r in _read_csv(Path(data) / "davidson" / "data_labeled_data.csv") if int(r[""]) % 10 in bucket]


def davidson_test(data: Path = DEFAULT_DATA) -> list[Example]:
    """Davidson rows with id % 10 == 0 (2,484 tweets): davidson/data_labeled_data.csv. Held out."""
    return _pairs(davidson_rows("test", data))


# --- registry ---------------------------------------------------------------------------------------------------


def _pairs(rows: list[Row]) -> list[Example]:
    return [(r.text, r.label) for r in rows]


EVAL_SETS: dict[str, Callable[[Path], list[Example]]] = {"olid": olid_test, "edos": edos_test}
"""The held-out sets the issue judges on (macro-F1 per set)."""

EXTRA_EVAL_SETS: dict[str, Callable[[Path], list[Example]]] = {
    "hatexplain": hatexplain_test,
    "davidson": davidson_test,
}
"""Further held-out sets, run with ``eval_abuse.py --all-sets``."""

ROWS: dict[str, Callable[[str, Path], list[Row]]] = {
    "olid": olid_rows,
    "edos": edos_rows,
    "hatexplain": hatexplain_rows,
    "davidson": davidson_rows,
}
"""set name -> rows(split, data); the held-out split of every set is called ``test``."""

SOURCE_FILES: dict[str, tuple[str, ...]] = {
    "olid": ("olid/testset-levela.tsv", "olid/labels-levela.csv", "olid/olid-training-v1.0.tsv"),
    "edos": ("edos/edos_labelled_aggregated.csv",),
    "hatexplain": ("hatexplain/hatexplain_mbib.csv", "hatexplain/post_id_divisions.json"),
    "davidson": ("davidson/data_labeled_data.csv",),
}
"""Files each set is read from, relative to the data folder."""


def rows(set_name: str, split: str, data: Path = DEFAULT_DATA) -> list[Row]:
    """Rows (id, text, label) of one split of one set; ``split="test"`` is the held-out one."""
    return ROWS[set_name](split, Path(data))
