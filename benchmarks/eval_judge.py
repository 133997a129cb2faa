"""Score postcheck on held-out labelled sets and real archives, per clause, the way others will.

    python benchmarks/eval_judge.py                      # the bundled judge
    python benchmarks/eval_judge.py --judge off          # rules alone, for comparison
    python benchmarks/eval_judge.py --judge FILE --split validation

Sets, in the order they are reported:
1. the test schools and real-text test slices of data/corpus/splits.yaml (never read in training);
2. other writers' sets the judge never trained on: tests/data/checkset, tests/data/langset,
   and ../shared/eval/dev (saturated by the old lexicons: a regression check);
3. the real archives in ../shared/data/exports, scanned as a member of staff by `postcheck scan`:
   content-clause findings per 1,000 records (these people have no link to any school).
Every labelled set is scored with ../shared/eval/score.py. Results go to
benchmarks/results/eval_judge[-<judge>].json and a Markdown table on standard output.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POSTCHECK_SHARED", REPO.parent / "shared"))
CONTENT = {"SN.names", "IC.c", "IC.II", "IC.I", "WB.a", "WB.d", "SN.a", "SN.b", "IC.b", "IC.d", "IC.e", "CB",
           "FP.c", "FP.d", "FP.e", "SEC", "IC.a"}  # fmt: skip
ARCHIVES = ["twitter/personal-2025", "twitter/org-2021", "mastodon/dealingwith", "facebook/dyi/piter-a",
            "facebook/dyi/hunterhillis", "linkedin/2018", "linkedin/2025", "wordpress", "blogger",
            "instagram/sr4136", "instagram/zackmarks", "instagram/Moff1"]  # fmt: skip


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_set(name: str, rows: list[tuple[dict[str, Any], list[str]]], school: Path, judge: str,
            content_only: bool = False) -> dict[str, Any]:  # fmt: skip
    from postcheck.engine import Checker

    checker = Checker(school=school, judge=None if judge == "off" else judge)
    labels, results = [], []
    for rec, clauses in rows:
        r = checker.check_result(rec).to_json()
        if content_only:
            clauses = [c for c in clauses if c in CONTENT]
            for f in r["findings"]:
                f["clauses"] = [c for c in f["clauses"] if c in CONTENT]
            r["findings"] = [f for f in r["findings"] if f["clauses"]]
        labels.append({"id": rec["id"], "clauses": clauses})
        results.append(r)
    s = _scorer().score(labels, results)
    s["name"] = name
    s["reliability"] = reliability(labels, results)
    return s


def reliability(labels: list[dict[str, Any]], results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The judge's findings binned by confidence: how often a finding's clause was right.

    Only judged findings count (they carry ``judge``): the exact rules' findings are certain by construction.
    """
    gold = {row["id"]: set(row["clauses"]) for row in labels}
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
    out = []
    for lo, hi in bins:
        right = total = 0
        for r in results:
            for f in r["findings"]:
                if "judge" not in f:
                    continue
                conf = f.get("confidence", 1.0)
                if lo <= conf < hi:
                    for c in f["clauses"]:
                        total += 1
                        right += c in gold.get(r["id"], set())
        out.append({"confidence": f"{lo:.1f}-{min(hi, 1.0):.1f}", "findings": total,
                    "right": round(right / total, 3) if total else None})  # fmt: skip
    return out


def labelled(path: Path) -> list[tuple[dict[str, Any], list[str]]]:
    recs = [json.loads(line) for line in (path / "records.jsonl").read_text("utf-8").splitlines() if line.strip()]
    labs = {}
    for name in ("labels.jsonl", "labels.a.jsonl"):
        if (path / name).exists():
            labs = {row["id"]: row["clauses"] for row in map(json.loads, (path / name).read_text("utf-8").splitlines())}
            break
    return [(r, labs[r["id"]]) for r in recs if r["id"] in labs]


def archive_rate(judge: str) -> dict[str, Any]:
    total_records = total_findings = 0
    per: dict[str, Any] = {}
    exe = str(Path(sys.executable).with_name("postcheck"))
    for rel in ARCHIVES:
        folder = SHARED / "data" / "exports" / rel
        if not folder.exists():
            continue
        with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as out:
            cmd = [exe, "scan", str(folder), "--author", "Sam Jones", "--role", "staff", "--format", "jsonl",
                   "-o", out.name, "--judge", judge]  # fmt: skip
            subprocess.run(cmd, capture_output=True, check=False)
            rows = [json.loads(line) for line in Path(out.name).read_text("utf-8").splitlines() if line.strip()]
        n = sum(1 for r in rows if not r.get("error"))
        found = sum(len({c for f in r.get("findings", []) for c in f["clauses"]} & CONTENT) for r in rows)
        per[rel] = {"records": n, "content_findings": found}
        total_records += n
        total_findings += found
    return {"records": total_records, "content_findings": total_findings,
            "per_1000": round(1000 * total_findings / max(total_records, 1), 2), "per_archive": per}  # fmt: skip


def per_clause_table(reports: list[dict[str, Any]]) -> str:
    """F1 per clause, the sets pooled by kind: schools, real text, the language set's held-out half, dev."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in reports:
        key = ("real text" if "real/" in r["name"] else "schools" if "schools/" in r["name"]
               else "langset even" if "langset" in r["name"] else "dev")  # fmt: skip
        groups.setdefault(key, []).append(r)
    clauses = sorted({c for r in reports for c in r["per_clause"]})
    lines = ["| clause | " + " | ".join(groups) + " |", "|---|" + "---|" * len(groups)]
    for c in clauses:
        cells = []
        for rs in groups.values():
            tp = sum(r["per_clause"].get(c, {}).get("tp", 0) for r in rs)
            fp = sum(r["per_clause"].get(c, {}).get("fp", 0) for r in rs)
            fn = sum(r["per_clause"].get(c, {}).get("fn", 0) for r in rs)
            cells.append(
                f"{2 * tp / (2 * tp + fp + fn):.2f} ({tp + fn})" if tp + fn else ("-" if not fp else f"0 fp {fp}")
            )
        lines.append(f"| {c} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judge", default="bundled", help="bundled, off, or a judge model file")
    ap.add_argument("--split", default="test", choices=["test", "validation", "train"])
    ap.add_argument("--no-archives", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from postcheck.judge.corpus import load_splits

    reports: list[dict[str, Any]] = []
    for ls in load_splits()[args.split]:
        rows = list(ls.rows())
        real = ls.name.startswith("real/")
        reports.append(run_set(f"{args.split}: {ls.name}" + (" (content clauses)" if real else ""), rows,
                               ls.school, args.judge, content_only=real))  # fmt: skip
    # The language set's even half is held out (its odd half and the check set train the judge).
    lang = REPO / "tests/data/langset"
    even = [(r, c) for r, c in labelled(lang) if int("".join(ch for ch in r["id"] if ch.isdigit())) % 2 == 0]
    reports.append(run_set("other writers: tests/data/langset, even half (held out)", even, lang / "school.yaml",
                           args.judge))  # fmt: skip
    dev = SHARED / "eval/dev"
    if dev.exists():
        reports.append(run_set("dev (regression; never trained on): ../shared/eval/dev", labelled(dev),
                               dev / "school.yaml", args.judge))  # fmt: skip
    archives = None if args.no_archives else archive_rate(args.judge)
    tag = "" if args.judge == "bundled" else "-" + Path(args.judge).stem
    out = REPO / "benchmarks" / "results" / f"eval_judge{tag}-{args.split}.json"
    out.write_text(json.dumps({"judge": args.judge, "sets": reports, "archives": archives}, indent=1) + "\n")
    print("| set | records | micro-F1 | P | R | clean false alarms | weakest clauses |")
    print("|---|---|---|---|---|---|---|")
    for s in reports:
        per = s["per_clause"]
        weak = sorted((v["f1"], c) for c, v in per.items() if v["tp"] + v["fn"])[:4]
        m = s["micro"]
        print(f"| {s['name']} | {s['records']} | {m['f1']:.3f} | {m['precision']:.2f} | {m['recall']:.2f} | "
              f"{s['false_alarm_rate']:.3f} | {', '.join(f'{c} {f:.2f}' for f, c in weak)} |")  # fmt: skip
    print("\n" + per_clause_table(reports))
    if archives:
        print(f"\nreal archives: {archives['content_findings']} content-clause findings in {archives['records']} "
              f"records = {archives['per_1000']} per 1,000")  # fmt: skip
    print(f"\nwritten {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
