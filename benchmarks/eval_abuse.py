"""Abuse judgement, side by side: postcheck (IC.d) against three baselines, macro-F1 per held-out set.

    pip install -e '.[eval]'
    python benchmarks/eval_abuse.py [--data ../shared/data/abuse] [--all-sets] [--out FILE.json]

Sets (held-out rows only, defined in benchmarks/abuse_sets.py): the OLID level-A test set and the EDOS test split;
with --all-sets also the HateXplain test division and a Davidson hold-out. Label 1 = offensive/abusive/sexist.

Systems:
- alt-profanity-check: ``profanity_check.predict`` (its linear SVM's own 0.5 cut-off);
- better-profanity: ``profanity.contains_profanity`` with its default word list;
- vader-neg: VADER compound <= -0.05 (VADER's standard "negative" cut-off) counts as abusive;
- vader-neg-tuned: the same with the cut-off that maximises macro-F1 on OLID *train* rows (never test rows);
- postcheck: ``postcheck.ml.evaluate.abuse_predictor(set_name)`` -> ``predict(texts) -> list[int]``, when that
  module exists; otherwise the script says so and runs the baselines only.

Scores come from sklearn.metrics; records/s is one call of the system's batch ``predict`` on the whole set, on one
process, after the model is loaded (load time is reported apart). Texts are never printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path

import abuse_sets

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "benchmarks" / "results" / "eval_abuse.json"
VADER_NEGATIVE = -0.05
"""VADER's documented cut-off: compound <= -0.05 is negative sentiment."""
TARGET_MARGIN = 0.05
TARGET_OLID = 0.80

Predict = Callable[[list[str]], list[int]]
Score = Callable[[list[str]], list[float]]


@dataclass
class System:
    name: str
    rule: str
    predictor: Callable[[str], Predict]
    """set name -> predict(texts); baselines ignore the set name."""
    scorer: Score | None = None
    """higher = more abusive, for ROC-AUC; None where the system gives no score."""
    baseline: bool = True


# --- baselines ----------------------------------------------------------------------------------------------------


@cache
def _profanity_check() -> object:
    import profanity_check  # loads its vectoriser and model from the package

    return profanity_check


def profanity_check_predict(texts: list[str]) -> list[int]:
    """alt-profanity-check's label (its model's 0.5 cut-off)."""
    return [int(p) for p in _profanity_check().predict(texts)]  # type: ignore[attr-defined]


def profanity_check_score(texts: list[str]) -> list[float]:
    """alt-profanity-check's probability of offensive language."""
    return [float(p) for p in _profanity_check().predict_prob(texts)]  # type: ignore[attr-defined]


def _loaded(load: Callable[[], object], predict: Predict) -> Callable[[str], Predict]:
    """A predictor factory that loads the library first, so that load time is not counted as prediction time."""

    def factory(_set_name: str) -> Predict:
        load()
        return predict

    return factory


@cache
def _better_profanity() -> object:
    from better_profanity import profanity

    profanity.load_censor_words()
    return profanity


def better_profanity_predict(texts: list[str]) -> list[int]:
    """1 when better-profanity's default word list (with its character variants) matches."""
    profanity = _better_profanity()
    return [int(profanity.contains_profanity(t)) for t in texts]  # type: ignore[attr-defined]


@cache
def _vader() -> object:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_compound(texts: list[str]) -> list[float]:
    analyzer = _vader()
    return [float(analyzer.polarity_scores(t)["compound"]) for t in texts]  # type: ignore[attr-defined]


def vader_score(texts: list[str]) -> list[float]:
    """Negated VADER compound: higher = more negative."""
    return [-c for c in vader_compound(texts)]


def vader_predictor(threshold: float = VADER_NEGATIVE) -> Predict:
    def predict(texts: list[str]) -> list[int]:
        return [int(c <= threshold) for c in vader_compound(texts)]

    return predict


def tune_vader_threshold(examples: list[tuple[str, int]]) -> tuple[float, float]:
    """The cut-off in -1.00..1.00 (step 0.01) maximising macro-F1 on ``examples``: (threshold, macro-F1)."""
    from sklearn.metrics import f1_score

    compounds = vader_compound([t for t, _ in examples])
    gold = [y for _, y in examples]
    best = (VADER_NEGATIVE, -1.0)
    for step in range(-100, 101):
        threshold = step / 100
        f1 = float(f1_score(gold, [int(c <= threshold) for c in compounds], average="macro", labels=[0, 1]))
        if f1 > best[1]:
            best = (threshold, f1)
    return best


def baseline_systems(vader_threshold: float | None) -> list[System]:
    systems = [
        System("alt-profanity-check", "profanity_check.predict (model's 0.5 cut-off)",
               _loaded(_profanity_check, profanity_check_predict), profanity_check_score),
        System("better-profanity", "profanity.contains_profanity, default word list",
               _loaded(_better_profanity, better_profanity_predict)),
        System("vader-neg", f"VADER compound <= {VADER_NEGATIVE}", _loaded(_vader, vader_predictor()), vader_score),
    ]
    if vader_threshold is not None:
        systems.append(System("vader-neg-tuned", f"VADER compound <= {vader_threshold} (tuned on OLID train)",
                              _loaded(_vader, vader_predictor(vader_threshold)), vader_score))
    return systems


def postcheck_systems() -> list[System]:
    """postcheck's own abuse judgement: the default (encoder when installed) and the light linear model alone."""
    try:
        from postcheck.ml import evaluate
    except ImportError as exc:
        print(f"postcheck's model is not available ({exc}); running the baselines only.", flush=True)
        return []
    out = [System("postcheck-linear", "postcheck.ml.evaluate.abuse_predictor(set_name, 'linear')",
                  lambda name: evaluate.abuse_predictor(name, "linear"), baseline=False)]  # fmt: skip
    out.append(System("postcheck-pipeline", "the whole pipeline (reading, rules, judge): IC.d or CB found, "
                      "each text checked as a parent's public post", pipeline_predictor, baseline=False))  # fmt: skip
    if evaluate.encoder_available():
        out.insert(0, System("postcheck-encoder", "postcheck.ml.evaluate.abuse_predictor(set_name, 'encoder')",
                             lambda name: evaluate.abuse_predictor(name, "encoder"), baseline=False))  # fmt: skip
    return out


def pipeline_predictor(set_name: str) -> Callable[[list[str]], list[int]]:
    """What a headteacher would see: each text as a parent's public post, abusive if IC.d or CB is found."""
    from postcheck.engine import Checker

    checker = Checker()

    def predict(texts: list[str]) -> list[int]:
        records = ({"id": str(i), "kind": "post", "audience": "public", "text": t,
                    "author": {"name": "A Parent", "role": "parent"}} for i, t in enumerate(texts))  # fmt: skip
        return [int(any({"IC.d", "CB"} & set(f.clauses) for f in r.findings)) for r in checker.check_many(records)]

    return predict


# --- scoring ------------------------------------------------------------------------------------------------------


def score(gold: list[int], pred: list[int]) -> dict[str, float]:
    """Macro-F1 over both classes; precision, recall and F1 of the positive (abusive) class; accuracy."""
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    p, r, f, _ = precision_recall_fscore_support(gold, pred, average="binary", pos_label=1, zero_division=0)
    return {
        "macro_f1": float(f1_score(gold, pred, average="macro", labels=[0, 1], zero_division=0)),
        "precision": float(p),
        "recall": float(r),
        "f1": float(f),
        "accuracy": float(accuracy_score(gold, pred)),
    }


def run_system(system: System, set_name: str, examples: list[tuple[str, int]]) -> dict[str, float | int | None]:
    texts = [t for t, _ in examples]
    gold = [y for _, y in examples]
    t0 = time.perf_counter()
    predict = system.predictor(set_name)
    t1 = time.perf_counter()
    pred = [int(p) for p in predict(texts)]
    t2 = time.perf_counter()
    if len(pred) != len(texts) or not set(pred) <= {0, 1}:
        raise ValueError(f"{system.name} on {set_name}: expected {len(texts)} labels in {{0, 1}}")
    result: dict[str, float | int | None] = {"n": len(texts), **score(gold, pred), "roc_auc": None}
    if system.scorer is not None and 0 < sum(gold) < len(gold):
        from sklearn.metrics import roc_auc_score

        result["roc_auc"] = float(roc_auc_score(gold, system.scorer(texts)))
    result |= {"predicted_positive": sum(pred), "load_s": round(t1 - t0, 3), "predict_s": round(t2 - t1, 3),
               "records_per_s": round(len(texts) / max(t2 - t1, 1e-9), 1)}
    return result


# --- report -------------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def verdicts(results: dict[str, dict[str, dict]]) -> dict[str, dict[str, float | bool | str | None]]:
    """Per set: the best baseline, and each postcheck system's margin over it against the issue's targets."""
    out: dict[str, dict[str, float | bool | str | None]] = {}
    for set_name, by_system in results.items():
        baselines = {k: v for k, v in by_system.items() if not k.startswith("postcheck")}
        best = max(baselines, key=lambda k: baselines[k]["macro_f1"])
        row: dict[str, float | bool | str | None] = {"best_baseline": best,
                                                     "best_baseline_macro_f1": baselines[best]["macro_f1"]}
        for name in (k for k in by_system if k.startswith("postcheck")):
            ours = by_system[name]["macro_f1"]
            margin = round(ours - baselines[best]["macro_f1"], 4)
            row[f"{name}_margin"] = margin
            row[f"{name}_meets_target"] = margin >= TARGET_MARGIN and (set_name != "olid" or ours >= TARGET_OLID)
        out[set_name] = row
    return out


def print_table(results: dict[str, dict[str, dict]], sets: dict[str, dict]) -> None:
    head = (f"{'system':<20} {'macro-F1':>8} {'P(pos)':>7} {'R(pos)':>7} {'F1(pos)':>7} {'acc':>6} {'AUC':>6} "
            f"{'rec/s':>9}")
    for set_name, by_system in results.items():
        info = sets[set_name]
        print(f"\n{set_name}: {info['n']} rows, {info['positives']} positive ({info['split']})")
        print(head)
        for name, r in by_system.items():
            auc = f"{r['roc_auc']:.3f}" if r["roc_auc"] is not None else "-"
            print(f"{name:<20} {r['macro_f1']:>8.3f} {r['precision']:>7.3f} {r['recall']:>7.3f} {r['f1']:>7.3f} "
                  f"{r['accuracy']:>6.3f} {auc:>6} {r['records_per_s']:>9.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=abuse_sets.DEFAULT_DATA,
                        help="folder of the abuse sets (default: repo/../shared/data/abuse)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results (default: %(default)s)")
    parser.add_argument("--all-sets", action="store_true", help="also the HateXplain and Davidson hold-outs")
    parser.add_argument("--systems", help="comma-separated names to run (default: all available)")
    parser.add_argument("--no-tuned-vader", action="store_true", help="skip tuning VADER's cut-off on OLID train")
    parser.add_argument("--no-postcheck", action="store_true", help="baselines only")
    parser.add_argument("--require-postcheck", action="store_true", help="fail when postcheck's model is missing")
    parser.add_argument("--limit", type=int, help="first N rows of each set only (smoke runs; not for reporting)")
    args = parser.parse_args(argv)
    data: Path = args.data.resolve()
    if not data.is_dir():
        parser.error(f"no data folder at {data}")
    wanted = set(args.systems.split(",")) if args.systems else None
    started = time.perf_counter()

    set_loaders = dict(abuse_sets.EVAL_SETS) | (dict(abuse_sets.EXTRA_EVAL_SETS) if args.all_sets else {})
    examples = {name: load(data)[: args.limit] if args.limit else load(data) for name, load in set_loaders.items()}
    sets = {
        name: {"n": len(ex), "positives": sum(y for _, y in ex), "split": (load.__doc__ or "").split(":")[0].strip(),
               "files": {f: _sha256(data / f) for f in abuse_sets.SOURCE_FILES[name]}}
        for (name, load), ex in zip(set_loaders.items(), examples.values(), strict=True)
    }

    vader_tuning = None
    if not args.no_tuned_vader and (wanted is None or "vader-neg-tuned" in wanted):
        train = abuse_sets.olid_train(data)
        threshold, train_f1 = tune_vader_threshold(train)
        vader_tuning = {"threshold": threshold, "olid_train_macro_f1": round(train_f1, 4), "rows": len(train)}
    systems = baseline_systems(vader_tuning["threshold"] if vader_tuning else None)
    ours = [] if args.no_postcheck else postcheck_systems()
    if not ours and args.require_postcheck:
        print("--require-postcheck: postcheck's model is not available", file=sys.stderr)
        return 2
    systems[:0] = ours
    if wanted is not None:
        systems = [s for s in systems if s.name in wanted]

    results = {name: {s.name: run_system(s, name, ex) for s in systems} for name, ex in examples.items()}
    print_table(results, sets)
    verdict = verdicts(results)
    for set_name, v in verdict.items():
        line = f"{set_name}: best baseline {v['best_baseline']} {v['best_baseline_macro_f1']:.3f}"
        for key in (k for k in v if k.endswith("_margin")):
            name = key.removesuffix("_margin")
            verdict_word = "meets" if v[f"{name}_meets_target"] else "misses"
            line += f"; {name} {v[key]:+.3f} -> {verdict_word} target"
        print(line)
    elapsed = time.perf_counter() - started
    print(f"\n{elapsed:.1f} s in all; results in {args.out}")

    report = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/eval_abuse.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "data": str(data),
        "limit": args.limit,
        "target": {"margin_over_best_baseline": TARGET_MARGIN, "olid_macro_f1": TARGET_OLID},
        "sets": sets,
        "systems": {s.name: s.rule for s in systems},
        "vader_tuning": vader_tuning,
        "notes": [
            "alt-profanity-check's model was trained, by the original profanity-check author's account, on Davidson "
            "et al. and Wikipedia comments: its davidson score is not a held-out score.",
            "records_per_s: one batch predict call over the whole set, one process, model already loaded.",
        ],
        "results": results,
        "verdict": verdict,
        "elapsed_s": round(elapsed, 1),
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "packages": {d: _version(d) for d in ("postcheck", "alt-profanity-check", "better-profanity",
                                                  "vaderSentiment", "scikit-learn", "joblib", "numpy", "scipy")},
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
