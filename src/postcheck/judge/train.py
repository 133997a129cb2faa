"""Train the judge: per-clause logistic heads on the training schools, calibrated on the validation schools.

    postcheck train --judge            # writes src/postcheck/judge/models/judge.npz

Reproducible: fixed solver and seed, rows in file order; the manifest lists every
file with its SHA-256 and row count. Test schools are never read here.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy import sparse

from postcheck.engine import Checker
from postcheck.judge import record_features
from postcheck.judge.corpus import REPO, LabelledSet, load_splits
from postcheck.judge.features import DIM, SIGNATURE, hashed
from postcheck.judge.model import ClauseHead, JudgeModel
from postcheck.model import parse_record
from postcheck.rulebook import load_rulebook

C_GRID = (0.3, 1.0, 3.0)
# A finding must be more likely right than wrong: thresholds below this calibrated probability are
# raised to it, and what falls between POSSIBLE and the threshold is shown apart as "possible".
MIN_THRESHOLD = 0.5
FIXTURE_WEIGHT = 4.0
POSSIBLE = 0.25


def featurise(
    sets: list[LabelledSet], log: Callable[[str], Any] = print
) -> tuple[sparse.csr_matrix, list[set[str]], list[str], list[set[str] | None]]:
    """Feature rows, their clause labels, authors' roles, and which clauses each label speaks for.

    A rule fixture speaks only for its rule's clauses (``known``); a labelled record for all of them (None).
    """
    rows_i: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    labels: list[set[str]] = []
    roles: list[str] = []
    known: list[set[str] | None] = []
    for ls in sets:
        checker = Checker(school=ls.school, judge=None)
        n = 0
        for rec, clauses, speaks_for in _rows(ls):
            record = parse_record(rec)
            ctx, outcomes = checker.outcomes(record)
            if not ctx.bound:
                continue
            idx, val = hashed(record_features(ctx, outcomes, checker.scorer))
            r = len(labels)
            rows_i += [r] * len(idx)
            cols += idx
            vals += val
            labels.append(set(clauses))
            roles.append(ctx.role.value + (":official" if ctx.official else ""))
            known.append(speaks_for)
            n += 1
        log(f"  {ls.name}: {n} records by bound authors")
    x = sparse.csr_matrix((vals, (rows_i, cols)), shape=(len(labels), DIM), dtype=np.float32)
    return x, labels, roles, known


def _rows(ls: LabelledSet) -> Iterator[tuple[dict[str, Any], list[str], set[str] | None]]:
    if not ls.fixtures:
        for rec, clauses in ls.rows():
            yield rec, clauses, None
        return
    rulebook = load_rulebook()
    for path in sorted(ls.records.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        spec = rulebook.rule(data.get("rule", path.stem))
        if spec is None or not spec.judged:
            continue  # exact rules are not judged: nothing to learn
        for expect in ("fires", "clean"):
            for example in data.get(expect) or []:
                rec = {k: v for k, v in example.items() if k != "xfail"}
                rec["id"] = f"{path.stem}-{rec.get('id')}"
                yield rec, list(spec.clauses) if expect == "fires" else [], set(spec.clauses)


def _fit(x: sparse.csr_matrix, y: np.ndarray, c: float, weight: np.ndarray | None = None):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=2000, random_state=0)
    model.fit(x, y, sample_weight=weight)
    return model


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit p = sigmoid(a z + b) on held-out scores (few positives: fall back to the identity)."""
    if y.sum() < 4 or y.sum() == len(y):
        return 1.0, 0.0
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=10.0, solver="lbfgs", max_iter=1000)
    lr.fit(z.reshape(-1, 1), y)
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The calibrated probability that gives the best F1 on validation, preferring higher on ties."""
    best_t, best_f = MIN_THRESHOLD, -1.0
    for t in np.arange(MIN_THRESHOLD, 0.96, 0.025):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f >= best_f:
            best_t, best_f = float(t), f
    return round(best_t, 3)


def train(splits_path: Path | None = None, log: Callable[[str], Any] = print) -> tuple[JudgeModel, dict[str, Any]]:
    splits = load_splits(splits_path)
    rulebook_checker = Checker(judge=None)
    who = {ref: {r.value for r in c.who} for ref, c in rulebook_checker.rulebook.clauses.items()}
    clauses = sorted({c for r in rulebook_checker.rules if r.spec.judged for c in r.spec.clauses})
    log("featurising training sets")
    xt, yt_sets, rt, kt = featurise(splits["train"], log)
    log("featurising validation sets")
    xv, yv_sets, rv, _ = featurise(splits["validation"], log)
    weights = np.zeros((DIM, len(clauses)), dtype=np.float32)
    bias = np.zeros(len(clauses), dtype=np.float32)
    heads: list[ClauseHead] = []
    report: dict[str, Any] = {}
    for j, c in enumerate(clauses):
        # The rules' fixtures are their specification: they weigh more than one corpus record.
        wt = np.array([1.0 if k is None else FIXTURE_WEIGHT for k in kt])
        mt = np.array([r.split(":")[0] in who[c] for r in rt])
        mv = np.array([r.split(":")[0] in who[c] for r in rv])
        mt &= np.array([k is None or c in k for k in kt])  # a rule fixture speaks only for its rule's clauses
        yt = np.array([c in s for s in yt_sets], dtype=int)[mt]
        yv = np.array([c in s for s in yv_sets], dtype=int)[mv]
        if yt.sum() < 2:
            log(f"  {c}: {yt.sum()} training positives; head left empty (never fires)")
            heads.append(ClauseHead(c, 1.0, -20.0, 0.99, 0.99))
            continue
        best = None
        for cval in C_GRID:
            m = _fit(xt[mt], yt, cval, wt[mt])
            zv = m.decision_function(xv[mv]) if mv.any() else np.zeros(0)
            a, b = _platt(zv, yv)
            pv = 1 / (1 + np.exp(-(a * zv + b)))
            t = _best_threshold(pv, yv) if yv.sum() else 0.5
            pred = pv >= t
            tp = float((pred & (yv == 1)).sum())
            f1 = 2 * tp / (2 * tp + float((pred & (yv == 0)).sum()) + float((~pred & (yv == 1)).sum())) if tp else 0.0
            if best is None or f1 > best[0]:
                best = (f1, cval, m, a, b, t)
        f1, cval, m, a, b, t = best  # type: ignore[misc]
        weights[:, j] = m.coef_[0]
        bias[j] = m.intercept_[0]
        heads.append(ClauseHead(c, round(a, 6), round(b, 6), t, POSSIBLE))
        report[c] = {"train_pos": int(yt.sum()), "val_pos": int(yv.sum()), "C": cval, "val_f1": round(f1, 3),
                     "threshold": t}  # fmt: skip
        log(f"  {c}: train +{yt.sum()}/{len(yt)}, validation +{yv.sum()}/{len(yv)}, C={cval}, "
            f"validation F1 {f1:.3f} at {t}")  # fmt: skip
    manifest = {
        "signature": SIGNATURE,
        "trained_on": [_describe(s) for s in splits["train"]],
        "calibrated_on": [_describe(s) for s in splits["validation"]],
        "solver": "liblinear, class_weight=balanced, C per clause from " + str(C_GRID),
        "report": report,
    }
    return JudgeModel(weights, bias, heads, manifest), report


def _describe(ls: LabelledSet) -> dict[str, Any]:
    def sha(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()[:16]

    if ls.fixtures:
        files = sorted(ls.records.glob("*.yaml"))
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:16]
        return {"set": ls.name, "fixtures": str(ls.records.relative_to(REPO)), "files": len(files),
                "sha256": digest, "rows": sum(1 for _ in _rows(ls))}  # fmt: skip
    return {"set": ls.name, "records": str(ls.records.relative_to(REPO)), "records_sha256": sha(ls.records),
            "labels": str(ls.labels.relative_to(REPO)), "labels_sha256": sha(ls.labels),
            "rows": sum(1 for _ in _rows(ls))}  # fmt: skip


def main(out: Path, splits_path: Path | None = None, log: Callable[[str], Any] = print) -> JudgeModel:
    model, _ = train(splits_path, log)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return model


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
