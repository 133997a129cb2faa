"""Checking time against text length, 1 KB to 1 MB: the time per KB should stay flat (within 2x).

    python benchmarks/bench_length.py [--sizes 1,4,16,64,256,1024] [--repeat 3] [--model linear|off] [--json]

One record per size, its text built (fixed seed) from the benchmark's post texts, which hit names,
quotes, URLs and abusive phrases all through it: the case that was quadratic before issue 10. The
median of --repeat runs is reported, after one warm-up check. The models read only a text's first
ml.scoring.MAX_CHARS characters; the lexicon detectors read all of it.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import TEXTS


def text_of(kb: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    pool = [t for t in TEXTS if t] + ['He said "that is not on" and left', "it was ‘a joke’ apparently"]
    parts: list[str] = []
    size = 0
    while size < kb * 1024:
        parts.append(rng.choice(pool))
        size += len(parts[-1]) + 1
    return " ".join(parts)[: kb * 1024]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,4,16,64,256,1024", help="text sizes in KB")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", choices=["linear", "off"], default="linear")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from postcheck.engine import Checker

    checker = Checker(models=args.model)  # passed in: the engine reads no environment
    record = {"id": "b", "kind": "post", "author": {"name": "Naomi Fielden", "role": "staff"},
              "created_at": "2026-10-05T20:15:00+01:00", "audience": "public"}  # fmt: skip
    list(checker.check_many([dict(record, text=text_of(1, seed=1))]))  # warm-up: models and regexes loaded
    rows = []
    for kb in (int(s) for s in args.sizes.split(",")):
        text = text_of(kb)
        times = []
        for i in range(args.repeat):
            rec = dict(record, id=f"b{kb}-{i}", text=text[:-2] + f" {i}")  # a new text: no cache helps
            start = time.perf_counter()
            (result,) = checker.check_many([rec])
            times.append(time.perf_counter() - start)
            assert result.error is None, result.error
        t = statistics.median(times)
        rows.append({"kb": kb, "seconds": round(t, 4), "ms_per_kb": round(t * 1000 / kb, 2),
                     "findings": len(result.findings)})  # fmt: skip
    per_kb = [r["ms_per_kb"] for r in rows]
    spread = max(per_kb) / min(per_kb)
    if args.json:
        print(json.dumps({"model": args.model, "rows": rows, "spread": round(spread, 2)}))
        return
    print(f"model={args.model}, median of {args.repeat}")
    print(f"{'size':>8} {'seconds':>9} {'ms/KB':>7} {'findings':>8}")
    for r in rows:
        print(f"{r['kb']:>6}KB {r['seconds']:>9.3f} {r['ms_per_kb']:>7.2f} {r['findings']:>8}")
    print(f"time per KB, largest / smallest: {spread:.2f}x ({'flat within 2x' if spread <= 2 else 'NOT flat'})")


if __name__ == "__main__":
    main()
