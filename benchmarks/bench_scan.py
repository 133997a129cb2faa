"""Benchmark ``postcheck scan``: records per second, peak memory, speed-up with --workers 2 and Dask.

    python benchmarks/bench_scan.py [--records 1000000] [--dask-records N] [--seed 7] [--json]
                                    [--skip-sample] [--configs one,workers2,dask]

Each configuration runs ``postcheck scan ... --format jsonl -o /dev/null`` as a
subprocess, on the Mastodon sample (../shared/data/exports/mastodon, when present)
and on a generated JSON Lines export (fixed seed, written a line at a time into a
temporary folder, so the benchmark itself never holds the export). Peak memory is
the largest resident set of any one process (the scan, a local worker or a Dask
worker), sampled every 50 ms with psutil, and the scan process's total with its
local workers. Dask runs on a fresh LocalCluster of two single-threaded worker
processes on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import iter_records

SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "exports" / "mastodon" / "dealingwith"
CONFIGS = ("one", "workers2", "dask")


def write_export(folder: Path, n: int, seed: int) -> Path:
    """n generated records as records.jsonl in folder, written one line at a time."""
    path = folder / "records.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for rec in iter_records(n, seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return folder


def _rss(proc: object) -> int:
    try:
        return proc.memory_info().rss  # type: ignore[attr-defined]
    except Exception:
        return 0


def run_scan(path: Path, extra: list[str], watch: list[int] | None = None) -> dict:
    """One scan as a subprocess; wall time, record count and peak RSS (MB)."""
    import psutil

    cmd = [sys.executable, "-m", "postcheck", "scan", str(path), "--author", "Sam Jones", "--role", "staff",
           "--format", "jsonl", "--output", os.devnull, *extra]
    watched = [psutil.Process(pid) for pid in (watch or [])]
    peak_one = peak_tree = peak_watched = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [ps, *ps.children(recursive=True)]
        except psutil.Error:
            tree = [ps]
        sizes = [_rss(p) for p in tree]
        peak_one = max(peak_one, *sizes)
        peak_tree = max(peak_tree, sum(sizes))
        if watched:
            peak_watched = max(peak_watched, *(_rss(p) for p in watched))
        time.sleep(0.05)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1, 2):
        raise SystemExit(f"scan failed ({proc.returncode}): {' '.join(cmd)}")
    mb = 1024 * 1024
    return {"seconds": round(elapsed, 2), "peak_rss_mb_one_process": round(max(peak_one, peak_watched) / mb, 1),
            "peak_rss_mb_scan_and_local_workers": round(peak_tree / mb, 1),
            "peak_rss_mb_dask_worker": round(peak_watched / mb, 1) if watched else None}


def count(path: Path) -> int:
    out = subprocess.run([sys.executable, "-m", "postcheck", "scan", str(path), "--author", "Sam Jones", "--role",
                          "staff", "--format", "jsonl"], capture_output=True, text=True, check=False).stdout
    return out.count("\n")


def run_dask(path: Path) -> dict:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        import psutil

        workers = [p.pid for p in psutil.Process().children(recursive=True)]
        return run_scan(path, ["--engine", "dask", "--scheduler", cluster.scheduler_address], watch=workers)


def bench(path: Path, records: int, configs: list[str]) -> dict:
    out: dict = {"records": records}
    for name in configs:
        if name == "one":
            fig = run_scan(path, [])
        elif name == "workers2":
            fig = run_scan(path, ["--workers", "2"])
        else:
            fig = run_dask(path)
        fig["records_per_second"] = round(records / fig["seconds"])
        out[name] = fig
        print(f"  {name:<9} {fig}", file=sys.stderr, flush=True)
    if "one" in out:
        for name in configs:
            if name != "one":
                out[name]["speed_up"] = round(out["one"]["seconds"] / out[name]["seconds"], 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--dask-records", type=int, default=None,
                    help="a separate, smaller export for the Dask run (default: the same one)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--skip-sample", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    configs = [c for c in args.configs.split(",") if c]

    figures: dict = {"cpu_count": os.cpu_count()}
    if SAMPLE.is_dir() and not args.skip_sample:
        print("mastodon sample", file=sys.stderr)
        figures["mastodon_sample"] = bench(SAMPLE, count(SAMPLE), configs)
    with tempfile.TemporaryDirectory() as tmp:
        main_cfgs = [c for c in configs if not (c == "dask" and args.dask_records)]
        t0 = time.perf_counter()
        (Path(tmp) / "big").mkdir()
        big = write_export(Path(tmp) / "big", args.records, args.seed)
        print(f"generated {args.records:,} records in {time.perf_counter() - t0:.0f} s "
              f"({(big / 'records.jsonl').stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        figures[f"generated_{args.records}"] = bench(big, args.records, main_cfgs)
        if args.dask_records and "dask" in configs:
            (Path(tmp) / "dask").mkdir()
            small = write_export(Path(tmp) / "dask", args.dask_records, args.seed)
            print(f"generated {args.dask_records:,} records for dask", file=sys.stderr)
            figures[f"generated_{args.dask_records}"] = bench(small, args.dask_records, ["one", "dask"])
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
