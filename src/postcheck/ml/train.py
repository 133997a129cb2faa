"""``postcheck train``: rebuild the model files from the repo and ../shared/data.

Deterministic: fixed seed, liblinear-free solver, rows in file order. The
manifest stored inside each model file names every file, split, row count
and a hash of the rows it was trained on, so an evaluation can prove it used
rows the model never saw.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from postcheck.ml import datasets
from postcheck.ml.datasets import Rows
from postcheck.ml.features import Featuriser
from postcheck.ml.linear import LinearModel

C_BY_HEAD = {"offensive": 1.0, "sexism": 1.0}  # chosen by 5-fold CV on training rows only
C_POLICY = 4.0
MIN_PER_CLASS = 5


def collect(data: Path, policy_file: Path | None = datasets.POLICY_TRAINING) -> dict[str, Rows]:
    heads: dict[str, Rows] = {}
    for head, loaders in datasets.PUBLIC_HEADS.items():
        heads[head] = Rows()
        for load in loaders:
            load(data, heads[head])
    if policy_file is not None and policy_file.exists():
        policy_rows = {label: Rows() for label in datasets.POLICY_LABELS}
        datasets.policy(policy_rows, policy_file)
        heads.update({f"policy_{k}": v for k, v in policy_rows.items()})
    return heads


def train_linear(heads: dict[str, Rows], seed: int = 0, log: Callable[[str], None] = print) -> LinearModel:
    all_texts = [t for rows in heads.values() for t in rows.texts]
    feat = Featuriser.fit(list(dict.fromkeys(all_texts)))
    weights: dict[str, tuple[np.ndarray, float]] = {}
    for head, rows in heads.items():
        t0 = time.perf_counter()
        y = np.array(rows.labels)
        if min(int(y.sum()), len(y) - int(y.sum())) < MIN_PER_CLASS:
            log(f"  {head}: skipped, fewer than {MIN_PER_CLASS} examples of one class")
            continue
        x = feat.transform(rows.texts)
        c = C_BY_HEAD.get(head, C_POLICY)
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=seed)
        clf.fit(x, y)
        weights[head] = (clf.coef_[0].astype(np.float32), float(clf.intercept_[0]))
        log(f"  {head}: {len(rows)} rows, {int(y.sum())} positive, C={c}, {time.perf_counter() - t0:.1f}s")
    meta = {"seed": seed, "trained_on": {h: r.sources for h, r in heads.items()}}
    return LinearModel(feat, weights, meta)


def main(data: Path, out: Path, seed: int = 0, policy_file: Path | None = datasets.POLICY_TRAINING,
         log: Callable[[str], None] = print) -> Path:  # fmt: skip
    np.random.seed(seed)
    heads = collect(data, policy_file)
    log(f"training {len(heads)} linear heads from {data}")
    model = train_linear(heads, seed, log)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "linear.npz"
    model.save(path)
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return path
