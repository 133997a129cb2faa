"""Speed on realistic records: the labelled sets' records and real export text, not templates.

    taskset -c 0 python benchmarks/bench_realistic.py [--judge bundled|off|FILE] [--repeat 3] [--json]

Records: every labelled set in the repo (data/corpus, tests/data, ../shared/eval/dev) and the
real archives in ../shared/data/exports, converted by the same readers as `postcheck scan`,
checked as a member of staff (the role with the most rules). Measures, in this process:
- throughput of ``check_many`` over all of them (records/s), repeated --repeat times (texts
  are made unique each pass so no cache helps);
- latency of ``check_result`` on single drafts (p50/p99 over the same records);
- start-up: a fresh interpreter importing postcheck, building a Checker and checking one draft;
- peak RSS (ru_maxrss) after the passes, against the RSS after the first pass (flat memory).
Run it pinned to one core on an otherwise idle machine; the figures go in the README as measured.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POSTCHECK_SHARED", REPO.parent / "shared"))


def realistic_records() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    folders = [
        *sorted((REPO / "data" / "corpus").glob("**/records.jsonl")),
        REPO / "tests/data/checkset/records.jsonl", REPO / "tests/data/langset/records.jsonl",
        SHARED / "eval/dev/records.jsonl"]  # fmt: skip
    for path in folders:
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a set still being written
    from postcheck.exports import ExportError, read_export

    for folder in ("twitter/personal-2025", "mastodon/dealingwith", "linkedin/2025", "facebook/dyi/piter-a",
                   "wordpress", "blogger", "instagram/sr4136"):  # fmt: skip
        path = SHARED / "data/exports" / folder
        if not path.exists():
            continue
        try:
            for item in read_export(path, author_name="Sam Jones", author_role="staff"):
                if not isinstance(item, ExportError):
                    out.append(item.record)
        except Exception as exc:  # a reader's failure must not stop the benchmark
            print(f"skipped {folder}: {exc}", file=sys.stderr)
    for r in out:  # every record by a member of staff, so every rule family runs
        if isinstance(r.get("author"), dict):
            r["author"] = {**r["author"], "role": "staff"}
    return out


def startup(judge: str, model: str) -> float:
    code = ("import time; t=time.perf_counter(); from postcheck.engine import Checker; "
            f"c=Checker(judge={judge!r} if {judge!r} != 'off' else None, models={model!r}); "
            "c.check({'id':'x','kind':'post','author':{'name':'A','role':'staff'},'text':'hello world'}); "
            "print(time.perf_counter()-t)")  # fmt: skip
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]  # fmt: skip
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judge", default="bundled")
    ap.add_argument("--model", default="linear", help="the language models: linear, encoder, auto, off")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from postcheck.engine import Checker

    records = realistic_records()
    checker = Checker(judge=None if args.judge == "off" else args.judge, models=args.model)
    rates, rss_after_first = [], 0
    for rep in range(args.repeat):
        batch = [{**r, "id": f"{r.get('id')}-{rep}", "text": f"{r.get('text', '')} ·{rep}"} for r in records]
        t = time.perf_counter()
        n = sum(1 for _ in checker.check_many(batch))
        rates.append(n / (time.perf_counter() - t))
        if rep == 0:
            rss_after_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lat = []
    for r in records[:2000]:
        t = time.perf_counter()
        checker.check_result({**r, "text": f"{r.get('text', '')} ·lat"})
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    result = {
        "judge": args.judge, "model": args.model, "records": len(records),
        "records_per_s": round(statistics.median(rates)),
        "p50_ms": round(lat[len(lat) // 2], 2), "p99_ms": round(lat[int(len(lat) * 0.99)], 2),
        "startup_s": round(startup(args.judge, args.model), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_after_first_pass_mb": round(rss_after_first / 1024),
    }  # fmt: skip
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
