"""Load benchmark of the web app: ``postcheck serve`` (gunicorn) on loopback, driven for a bounded time.

    python benchmarks/bench_web.py                       # POST /api/check, 30 s, wrk if installed
    python benchmarks/bench_web.py --duration 300        # the 5-minute run: is the server's memory flat?
    python benchmarks/bench_web.py --target page         # POST /check/ (the form) instead of the API

A temporary data folder is seeded by ``postcheck demo --no-serve`` (SQLite; ``--database-url`` for
another), an API token is made with ``postcheck token create``, and ``postcheck serve --workers 2``
listens on 127.0.0.1. Each request is one realistic record (bench_check.iter_records: the same
generator as the checker's benchmark), cycling through ``--records`` of them. The load generator is
wrk (Debian package ``wrk``; a Lua script sets the method, headers and bodies) or, without it, a
threaded Python client with keep-alive connections. After ``--warmup`` seconds unmeasured, it reports
requests/s, p50/p90/p99 latency, errors (connection errors, timeouts, non-2xx responses) and the
server's resident memory (master + workers, sampled every second): the mean of the first window
against the last (60 s each on a run of 3 minutes or more, else a quarter of the run each).

Targets (issue 5): >= 200 requests/s with p99 < 100 ms, no errors, memory flat over 5 minutes.
Results go to benchmarks/results/bench_web.json. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import iter_records

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "benchmarks" / "results" / "bench_web.json"
SCHOOL = "lancastrian"
TOKEN_USER = "lancastrian-headteacher"
FORM_ROLES = {"staff", "governor", "parent", "carer"}  # the check page's choices
TARGETS = {"rps": 200.0, "p99_ms": 100.0, "errors": 0, "rss_growth_pct": 10.0}

WRK_LUA = r"""
-- POST one body per request, cycling through a file of bodies (one per line).
local bodies = {}
local index = 0

function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("offset", thread_count * 131)
end

function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  index = (offset or 0) % #bodies
  wrk.method = "POST"
  wrk.headers["Content-Type"] = args[2]
  if args[3] ~= nil and args[3] ~= "" then wrk.headers[args[3]] = args[4] end
  if args[5] ~= nil and args[5] ~= "" then wrk.headers["Cookie"] = args[5] end
end

function request()
  index = index % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass
class Load:
    """What one load run measured."""

    generator: str
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


@dataclass
class Target:
    """Where and how to send requests."""

    name: str
    path: str
    content_type: str
    bodies: list[str]
    header: tuple[str, str] | None = None  # e.g. Authorization: Bearer ...
    cookie: str = ""

    def headers(self) -> dict[str, str]:
        out = {"Content-Type": self.content_type}
        if self.header:
            out[self.header[0]] = self.header[1]
        if self.cookie:
            out["Cookie"] = self.cookie
        return out


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_list(text: str | None) -> set[int] | None:
    if not text:
        return None
    cpus: set[int] = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        cpus.update(range(int(lo), int(hi or lo) + 1))
    return cpus


def pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def postcheck(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "postcheck", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip


def create_token(env: dict[str, str]) -> str | None:
    """An API token from ``postcheck token create``, or None while that command does not exist."""
    run = postcheck(env, "token", "create", "--school", SCHOOL, "--user", TOKEN_USER, "--name", "bench-web")
    if run.returncode != 0:
        print(f"bench_web: no API token ({(run.stderr or run.stdout).strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    lines = run.stdout.strip().splitlines()  # the token alone on standard output (the rest is on stderr)
    return lines[0].strip() if lines else None


def stop_server(server: subprocess.Popen[bytes], log: Any) -> None:
    """Stop the server's whole process group (gunicorn and its workers), by force after 30 s."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
    log.close()


def wait_until_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    url = urllib.parse.urlsplit(base)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench_web: the server exited ({proc.returncode}) before answering")
        try:
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"bench_web: the server did not answer within {timeout:.0f} s")


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree.extend(frontier)
    return tree


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssSampler(threading.Thread):
    """Total RSS of the server's process tree, every ``interval`` seconds, until stopped."""

    def __init__(self, root: int, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.samples: list[tuple[float, float, int]] = []  # (seconds since start, MB, processes)
        self._stop_event = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while not self._stop_event.is_set():
            pids = process_tree(self.root)
            total = sum(rss_kb(pid) for pid in pids)
            self.samples.append((round(time.monotonic() - start, 2), round(total / 1024, 1), len(pids)))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def memory_report(samples: list[tuple[float, float, int]], duration: float) -> dict[str, Any]:
    if len(samples) < 4:
        return {"samples": len(samples)}
    window = 60.0 if duration >= 180 else max(duration / 4, 1.0)
    end = samples[-1][0]
    first = [mb for t, mb, _ in samples if t <= window]
    last = [mb for t, mb, _ in samples if t >= end - window]
    first_mb, last_mb = statistics.fmean(first), statistics.fmean(last)
    return {
        "window_s": round(window, 1),
        "first_window_mb": round(first_mb, 1),
        "last_window_mb": round(last_mb, 1),
        "growth_mb": round(last_mb - first_mb, 1),
        "growth_pct": round(100 * (last_mb - first_mb) / first_mb, 2),
        "min_mb": min(mb for _, mb, _ in samples),
        "max_mb": max(mb for _, mb, _ in samples),
        "processes": samples[-1][2],
        "samples": len(samples),
        "series_mb": [mb for _, mb, _ in samples[:: max(1, len(samples) // 60)]],  # at most ~60 points
    }


# --- what to send -------------------------------------------------------------------------------


def api_target(token: str, n: int, seed: int) -> Target:
    bodies = [json.dumps(rec, ensure_ascii=False, separators=(",", ":")) for rec in iter_records(n, seed)]
    return Target("api", "/api/check", "application/json", bodies, ("Authorization", f"Bearer {token}"))


def page_target(base: str, n: int, seed: int) -> Target:
    """The check form: a CSRF cookie and token from one GET, then one form post per record."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request("GET", "/check/")
    response = conn.getresponse()
    html = response.read().decode()
    cookies = [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("csrftoken=")]
    conn.close()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if response.status != 200 or not cookies or not match:
        raise SystemExit(f"bench_web: GET /check/ gave {response.status} without a CSRF token")
    bodies = []
    for rec in iter_records(n, seed):
        if not rec.get("text"):
            continue  # the form needs a draft
        role = rec["author"]["role"] if rec["author"]["role"] in FORM_ROLES else "parent"
        bodies.append(urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), "text": rec["text"],
                                              "role": role, "school": SCHOOL, "planned_at": ""}))  # fmt: skip
    return Target("page", "/check/", "application/x-www-form-urlencoded", bodies, cookie=cookies[0].split(";")[0])


def probe(base: str, target: Target) -> dict[str, Any]:
    """One request by hand: the status, and that the answer is a check result."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("POST", target.path, body=target.bodies[0].encode(), headers=target.headers())
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    conn.close()
    if target.name == "api":
        try:
            data = json.loads(body)
            ok = response.status == 200 and ("findings" in json.dumps(data))
        except ValueError:
            ok = False
    else:
        ok = response.status == 200 and "What the policy says about your draft" in body
    return {"status": response.status, "ok": ok, "sample": body[:300]}


# --- the load generators ------------------------------------------------------------------------


def run_wrk(base: str, target: Target, seconds: float, connections: int, threads: int,
            cpus: set[int] | None, work: Path) -> Load:  # fmt: skip
    script, bodies = work / "post.lua", work / "bodies.txt"
    script.write_text(WRK_LUA, encoding="utf-8")
    bodies.write_text("\n".join(target.bodies) + "\n", encoding="utf-8")
    header = target.header or ("", "")
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
           "-s", str(script), base.rstrip("/") + target.path, "--",
           str(bodies), target.content_type, header[0], header[1], target.cookie]  # fmt: skip
    run = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=pinned(cpus), timeout=seconds + 60)
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if run.returncode != 0 or line is None:
        raise SystemExit(f"bench_web: wrk failed ({run.returncode}): {run.stderr or run.stdout}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    secs = data["duration_us"] / 1e6
    errors = {k: int(data[k]) for k in ("connect", "read", "write", "status", "timeout")}
    return Load("wrk", round(secs, 2), data["requests"], round(data["requests"] / secs, 1),
                data["p50_us"] / 1000, data["p90_us"] / 1000, data["p99_us"] / 1000, data["max_us"] / 1000,
                round(data["mean_us"] / 1000, 3), errors)  # fmt: skip


def run_python(base: str, target: Target, seconds: float, connections: int) -> Load:
    """A threaded client: one keep-alive connection per thread, as many threads as connections."""
    url = urllib.parse.urlsplit(base)
    headers = target.headers()
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = {"connect": 0, "read": 0, "status": 0, "timeout": 0}
    lock = threading.Lock()
    start_gate = threading.Barrier(connections + 1)
    deadline = 0.0

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        mine = latencies[i]
        k = i * 131
        start_gate.wait()
        while time.perf_counter() < deadline:
            body = target.bodies[k % len(target.bodies)].encode()
            k += 1
            t0 = time.perf_counter()
            try:
                conn.request("POST", target.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except TimeoutError:
                kind = "timeout"
            except (ConnectionError, http.client.HTTPException, OSError):
                kind = "read"
            else:
                mine.append(time.perf_counter() - t0)
                if response.status >= 400:
                    with lock:
                        errors["status"] += 1
                continue
            with lock:
                errors[kind] += 1
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        conn.close()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for t in pool:
        t.start()
    began = time.perf_counter()
    deadline = began + seconds
    start_gate.wait()
    for t in pool:
        t.join()
    secs = time.perf_counter() - began
    every = sorted(x * 1000 for xs in latencies for x in xs)
    if not every:
        raise SystemExit("bench_web: no request succeeded")

    def pct(p: float) -> float:
        return round(every[min(len(every) - 1, int(p / 100 * len(every)))], 3)

    return Load("python", round(secs, 2), len(every), round(len(every) / secs, 1), pct(50), pct(90), pct(99),
                round(every[-1], 3), round(statistics.fmean(every), 3), errors)  # fmt: skip


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--target", choices=["auto", "api", "page"], default="auto",
                        help="api: POST /api/check; page: POST /check/; auto: the API when it exists")
    parser.add_argument("--duration", type=float, default=30, help="measured seconds (default 30; 300 for memory)")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds of load first (default 5)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--server-threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--server-cpus", help="pin the server to these CPUs, e.g. 0,1 (default: no pinning)")
    parser.add_argument("--client-cpus", help="pin the load generator to these CPUs, e.g. 2-5")
    parser.add_argument("--records", type=int, default=1000, help="distinct records cycled through (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="a database for the server (default: SQLite in a temp folder)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results JSON (default: %(default)s)")
    args = parser.parse_args()

    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    elif generator == "wrk" and not shutil.which("wrk"):
        raise SystemExit("bench_web: wrk is not installed (Debian: apt-get install wrk); try --generator python")
    server_cpus, client_cpus = cpu_list(args.server_cpus), cpu_list(args.client_cpus)

    with tempfile.TemporaryDirectory(prefix="postcheck-bench-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
        env.update(POSTCHECK_DATA_DIR=str(work / "data"), POSTCHECK_LOG_LEVEL="WARNING",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")])))  # fmt: skip
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        t0 = time.monotonic()
        seeded = postcheck(env, "demo", "--no-serve")
        if seeded.returncode != 0:
            raise SystemExit(f"bench_web: postcheck demo --no-serve failed:\n{seeded.stdout}\n{seeded.stderr}")
        print(f"bench_web: demo data seeded in {time.monotonic() - t0:.1f} s ({work / 'data'})", file=sys.stderr)
        token = create_token(env) if args.target in ("auto", "api") else None
        if args.target == "api" and not token:
            raise SystemExit("bench_web: --target api needs `postcheck token create` (the api app)")
        target_name = "api" if token else "page"

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (work / "server.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "postcheck", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(args.workers), "--threads", str(args.server_threads), "--no-migrate"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=pinned(server_cpus))  # fmt: skip
        try:
            wait_until_up(base, server)
            target = api_target(token, args.records, args.seed) if token else page_target(base, args.records, args.seed)
            check = probe(base, target)
            print(f"bench_web: {target_name} target, probe {check['status']} ok={check['ok']}", file=sys.stderr)
            if not check["ok"]:
                raise SystemExit(f"bench_web: the probe request failed: {check}")

            def load(seconds: float) -> Load:
                if generator == "wrk":
                    return run_wrk(base, target, seconds, args.connections, args.threads, client_cpus, work)
                return run_python(base, target, seconds, args.connections)

            if args.warmup > 0:
                load(args.warmup)
            sampler = RssSampler(server.pid)
            sampler.start()
            print(f"bench_web: {generator}, {args.connections} connections, {args.duration:.0f} s ...", file=sys.stderr)
            result = load(args.duration)
            sampler.stop()
            alive = server.poll() is None
        finally:
            stop_server(server, log)
        server_log_tail = (work / "server.log").read_text(errors="replace").splitlines()[-20:]

    memory = memory_report(sampler.samples, result.seconds)
    verdict = {
        "rps": result.rps >= TARGETS["rps"],
        "p99": result.p99_ms < TARGETS["p99_ms"],
        "errors": result.error_count == 0,
        "memory_flat": memory.get("growth_pct", 100.0) <= TARGETS["rss_growth_pct"],
        "memory_over_5_minutes": result.seconds >= 295,
    }
    report = {
        "benchmark": "bench_web",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": " ".join(["python", "benchmarks/bench_web.py", *sys.argv[1:]]),
        "target": {"name": target_name, "method": "POST", "path": target.path, "records": len(target.bodies)},
        "server": {"command": "postcheck serve", "workers": args.workers, "threads": args.server_threads,
                   "database": "DATABASE_URL" if args.database_url else "sqlite",
                   "cpus": sorted(server_cpus) if server_cpus else "all", "alive_after": alive},  # fmt: skip
        "load": {**asdict(result), "connections": args.connections,
                 "client_cpus": sorted(client_cpus) if client_cpus else "all"},  # fmt: skip
        "errors_total": result.error_count,
        "memory": memory,
        "targets": {"rps_min": TARGETS["rps"], "p99_ms_max": TARGETS["p99_ms"], "errors": 0,
                    "rss_growth_pct_max": TARGETS["rss_growth_pct"]},  # fmt: skip
        "met": verdict,
        "machine": {"cpus": os.cpu_count(), "cpu": _cpu_model(), "python": platform.python_version(),
                    "platform": platform.platform()},  # fmt: skip
    }
    if not alive or result.error_count:
        report["server_log_tail"] = server_log_tail
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(f"\nPOST {target.path} ({target_name}), {generator}, {args.connections} connections, "
          f"{result.seconds:.0f} s, server: {args.workers} workers x {args.server_threads} threads")  # fmt: skip
    print(f"  requests/s   {result.rps:10.1f}   (target >= {TARGETS['rps']:.0f})  {_ok(verdict['rps'])}")
    print(f"  p50 latency  {result.p50_ms:10.1f} ms")
    print(f"  p99 latency  {result.p99_ms:10.1f} ms (target < {TARGETS['p99_ms']:.0f})  {_ok(verdict['p99'])}")
    print(f"  errors       {result.error_count:10d}   {result.errors}  {_ok(verdict['errors'])}")
    if "first_window_mb" in memory:
        print(f"  server RSS   {memory['first_window_mb']:.1f} MB first {memory['window_s']:.0f} s -> "
              f"{memory['last_window_mb']:.1f} MB last {memory['window_s']:.0f} s ({memory['growth_pct']:+.1f}%)"
              f"  {_ok(verdict['memory_flat'])}")  # fmt: skip
    print(f"results in {args.out}")


def _ok(flag: bool) -> str:
    return "ok" if flag else "MISSED"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    main()
