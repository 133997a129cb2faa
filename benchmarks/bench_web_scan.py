"""Benchmark an export scan through the web app end to end, against the CLI scan of the same export.

    python benchmarks/bench_web_scan.py [--records 10000] [--seed 7] [--json]

A generated export (bench_check.iter_records, fixed seed: the same generator as bench_scan.py)
is written as a zip of JSON Lines. A temporary data folder is seeded by ``postcheck demo --no-serve``
(SQLite, and the SQLite task queue), a reviewer's API token made with ``postcheck token create``,
and ``postcheck serve`` (which starts ``postcheck worker``) listens on 127.0.0.1. The script then
does what a school's script would: POST /api/scans with the zip, poll GET /api/scans/{id} every
0.2 s until it has finished, and GET the results lines.

Reported: end-to-end records/s (upload to finished, as the script sees it), the worker's own
records/s (its scan's start to finish) and the worker's peak resident memory (its ru_maxrss,
stored on the scan). Then ``postcheck scan`` on the same zip with the same school's context
(exported from the database): wall-clock records/s and peak memory. The two should be within
20% of each other. Results go to benchmarks/results/bench_web_scan.json. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import iter_records

RESULTS = Path(__file__).resolve().parent / "results" / "bench_web_scan.json"
POSTCHECK = [sys.executable, "-m", "postcheck"]


def write_export(path: Path, n: int, seed: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("posts.jsonl", "w") as out:
        for rec in iter_records(n, seed):
            out.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*POSTCHECK, *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def request(url: str, token: str, body: bytes | None = None, content_type: str = "") -> Any:
    req = urllib.request.Request(url, data=body, headers={"Authorization": f"Bearer {token}"})
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=600) as response:
        return response.read()


def multipart(path: Path, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in
             fields.items()]  # fmt: skip
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="archive"; filename="{path.name}"\r\n'
                 "Content-Type: application/zip\r\n\r\n".encode() + path.read_bytes() + b"\r\n")  # fmt: skip
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def wait_up(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("bench_web_scan: postcheck serve exited")
        try:
            urllib.request.urlopen(base + "accounts/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("bench_web_scan: the server did not start in 90 s")


def web_scan(env: dict[str, str], export: Path, n: int) -> dict[str, Any]:
    run(env, "demo", "--no-serve")
    out = run(env, "token", "create", "--school", "lancastrian", "--user", "lancastrian-headteacher", "--name", "bench")
    token = next(w for w in out.split() if w.startswith("pc_"))
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([*POSTCHECK, "serve", "--port", str(port), "--workers", "1", "--no-migrate"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_up(base, server)
        time.sleep(2)  # the worker (started by serve) is up by now
        body, ctype = multipart(export, {"subject": "Sam Jones", "role": "staff"})
        t0 = time.monotonic()
        scan = json.loads(request(base + "api/scans", token, body, ctype))
        while not scan["finished"]:
            time.sleep(0.2)
            scan = json.loads(request(f"{base}api/scans/{scan['id']}", token))
        elapsed = time.monotonic() - t0
        lines = request(f"{base}api/scans/{scan['id']}/results", token).decode().splitlines()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert scan["state"] == "done" and scan["records"] == n, scan
    peak = run(env, "manage", "shell", "--no-imports", "-c", "from postcheck.web.scans.models import Scan; "
               f"print(Scan.objects.get(pk={scan['id']}).peak_memory_kb)").strip()  # fmt: skip
    return {"records": scan["records"], "end_to_end_s": round(elapsed, 2),
            "records_per_s": round(n / elapsed, 1), "worker_records_per_s": scan["records_per_s"],
            "worker_peak_mb": round(int(peak) / 1024, 1), "result_lines": len(lines),
            "breaches": scan["breaches"], "advisories": scan["advisories"]}  # fmt: skip


def cli_scan(env: dict[str, str], export: Path, n: int, school: Path) -> dict[str, Any]:
    t0 = time.monotonic()
    proc = subprocess.Popen([*POSTCHECK, "scan", str(export), "--author", "Sam Jones", "--role", "staff", "--school",
                             str(school), "--format", "jsonl", "-o", os.devnull], env=env)  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory, not the largest child so far
    elapsed = time.monotonic() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode in (0, 1), proc.returncode
    peak_kb = usage.ru_maxrss
    return {"records": n, "wall_s": round(elapsed, 2), "records_per_s": round(n / elapsed, 1),
            "peak_mb": round(peak_kb / 1024, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-scan-") as tmp:
        work = Path(tmp)
        export = work / "export.zip"
        write_export(export, args.records, args.seed)
        env = {**os.environ, "POSTCHECK_DATA_DIR": str(work / "data"), "POSTCHECK_LOG_LEVEL": "WARNING",
               "DJANGO_SETTINGS_MODULE": "postcheck.web.settings"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        run(env, "demo", "--no-serve")
        school = work / "school.yaml"
        dump = ("from postcheck.web.core.models import School; "
                "print(School.objects.get(slug='lancastrian').context_yaml())")
        school.write_text(run(env, "manage", "shell", "--no-imports", "-c", dump), encoding="utf-8")
        cli = cli_scan(env, export, args.records, school)
        web = web_scan(env, export, args.records)
    ratio = web["records_per_s"] / cli["records_per_s"]
    result = {"benchmark": "bench_web_scan", "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
              "python": platform.python_version(), "records": args.records, "seed": args.seed,
              "web": web, "cli": cli, "web_over_cli": round(ratio, 3),
              "within_20_percent": abs(ratio - 1) <= 0.2}  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"web app (upload to finished): {web['records_per_s']:,} records/s, worker {web['worker_records_per_s']:,}"
            f" records/s, worker peak {web['worker_peak_mb']} MB"
        )
        print(f"CLI scan:                     {cli['records_per_s']:,} records/s, peak {cli['peak_mb']} MB")
        print(f"web / CLI: {ratio:.2f} ({'within' if result['within_20_percent'] else 'NOT within'} 20%)")


if __name__ == "__main__":
    main()
