"""Benchmark the checker: throughput on one core, per-call latency, peak memory, start-up.

    python benchmarks/bench_check.py [--records 100000] [--seed 7] [--json] [--model auto|encoder|linear|off]

--model picks the language models (Checker(models=...)): 'off' is rules and lexicons only; with models
on, every record's text is made unique (a serial number is appended) so the score cache never helps,
and throughput goes through check_many, which scores records in batches as `postcheck check` does.

Records are generated (fixed seed) from templates that exercise every rule
family: names, times, friend requests, profiles, links, long texts, language.
Run it on an otherwise idle machine; the figures go in the README as measured.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from postcheck.engine import Checker

TEXTS = [
    "Pops in my class read her first book today 🥹",
    "anyone know a decent mechanic in Lancaster? car's making a noise",
    "AVOID Lancastrian Infants. Head hasn't got a clue, pulling my lad out and you should too",
    "Lovely walk by the canal with the dog this morning ☀️",
    "Mrs Holroyd is a lazy cow and everyone knows it",
    "born 14.06.85 in Leicester, Foxes till I die",
    "Sign the petition to get the head out 👉 https://petition.example.org/p/1",
    "Newsletter's out https://lancastrian.example.sch.uk/news/autumn-2.pdf",
    "who's watching the derby tonight? 🍿⚽",
    "vaccines are poison, do ur research 💉",
    "Had a mum cry on me at pickup today, husband walked out, no money for the trip",
    "Only my close friends can see this so: the budget deficit is worse than they say",
    "Boilers packed in AGAIN at work, kids will be in coats all day 🥶",
    "this is what Debs from work sent me after the party 🤣",
    "Copying the whole article here because it's behind a paywall: " + "lorem ipsum " * 40,
    "",
]
ROLES = ["staff"] * 6 + ["parent"] * 3 + ["governor", "carer", "pupil", "public"]
KINDS = ["post"] * 6 + ["comment", "blog", "message", "share", "friend_accept", "friend_invite", "profile"]


def iter_records(n: int, seed: int) -> Iterator[dict]:
    """n generated records, one at a time (fixed seed), shared with bench_scan.py."""
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    for i in range(n):
        kind = rng.choice(KINDS)
        rec: dict = {
            "id": f"b{i}",
            "kind": kind,
            "author": {"name": rng.choice(["Naomi Fielden", "Rachel Ashworth", "Sam Jones"]),
                       "role": rng.choice(ROLES)},
            "created_at": (start + timedelta(minutes=rng.randrange(0, 400_000))).isoformat(),
            "audience": rng.choice(["public", "friends", "group"]),
            "text": rng.choice(TEXTS),
        }
        if kind == "comment":
            rec["in_reply_to"] = {"author": {"name": "Rachel Ashworth", "role": "parent"},
                                  "text": rng.choice(TEXTS)}
        if kind in ("friend_accept", "friend_invite"):
            rec["counterparty"] = {"name": "Theo Barnes", "role": rng.choice(["pupil", "parent", "public"])}
        if kind == "profile":
            rec["profile"] = {"employer": "LIS", "bio": rng.choice(TEXTS), "visibility": "public"}
        if rng.random() < 0.2:
            rec["attachments"] = [{"type": "image", "alt_text": "children on the school field"}]
        yield rec


def make_records(n: int, seed: int) -> list[dict]:
    return list(iter_records(n, seed))


def startup_seconds(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "postcheck", "check", "--text", "hello", "--format", "jsonl"],
                       check=False, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--model", choices=("auto", "encoder", "linear", "off"), default="auto")
    args = ap.parse_args()

    records = make_records(args.records, args.seed)
    if args.model != "off":  # unique texts: no score is ever served from the cache
        for n, rec in enumerate(records):
            if rec.get("text"):
                rec["text"] = f"{rec['text']} ({n})"
    lines = [json.dumps(r) for r in records]
    checker = Checker(models=args.model)  # passed in: the engine reads no environment

    # Throughput: parse + validate + check, as `postcheck check` does, one process (one core).
    t0 = time.perf_counter()
    findings = 0
    for result in checker.check_many(json.loads(line) for line in lines):
        findings += len(result.findings)
    elapsed = time.perf_counter() - t0

    # Latency of one check() call on already-parsed records.
    sample = records[: min(20_000, len(records))]
    if args.model != "off":  # texts not seen by the throughput pass: each draft is scored afresh
        sample = [{**r, "text": f"{r['text']} ·"} if r.get("text") else r for r in sample]
    lat = []
    for rec in sample:
        t = time.perf_counter_ns()
        checker.check(rec)
        lat.append((time.perf_counter_ns() - t) / 1e6)
    lat.sort()

    figures = {
        "model": args.model,
        "records": len(records),
        "findings": findings,
        "records_per_second_one_core": round(len(records) / elapsed),
        "latency_ms_p50": round(lat[len(lat) // 2], 3),
        "latency_ms_p99": round(lat[int(len(lat) * 0.99)], 3),
        "latency_ms_max": round(lat[-1], 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "startup_check_text_s": round(startup_seconds(), 3),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for k, v in figures.items():
            print(f"{k:<30}{v}")


if __name__ == "__main__":
    main()
