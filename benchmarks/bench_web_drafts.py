"""Long drafts on the web check page, alone and eight at once beside an API call (issue 10).

    python benchmarks/bench_web_drafts.py [--rounds 3] [--drafts 8] [--chars 20000]

Seeds a temporary data folder (``postcheck demo --no-serve``), makes an API token and starts
``postcheck serve --workers 2 --threads 4`` on 127.0.0.1, as bench_web.py does. Then, against it:

1. one draft of --chars characters (the form's maximum; bench_length's text, which hits names,
   quotes, URLs and abusive phrases all through) posted to /check/ --rounds x 3 times, one after
   another: the time each takes (target: under 1 s);
2. a short record to POST /api/check 20 times on its own: the API's latency at rest;
3. --drafts such drafts posted at once, and the same API call made again and again while they run:
   how much longer the API calls take than at rest (target: no more than 1 s).

Every answer is checked: the page must show the check's result, not an error or the time budget's
message. Results go to benchmarks/results/bench_web_drafts.json. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_length import text_of
from bench_web import REPO, SCHOOL, create_token, free_port, postcheck, stop_server, wait_until_up

DEFAULT_OUT = REPO / "benchmarks" / "results" / "bench_web_drafts.json"
RESULT_MARK = "What the policy says about your draft"  # the check page's results heading
API_RECORD = {"id": "probe", "kind": "post", "author": {"name": "Sam Jones", "role": "staff"},
              "text": "Lovely to see everyone at the summer fair today", "audience": "friends"}  # fmt: skip


class Page:
    """The check form: a CSRF cookie and token from one GET, then form posts with them."""

    def __init__(self, base: str) -> None:
        self.url = urllib.parse.urlsplit(base)
        conn = self.connect()
        conn.request("GET", "/check/")
        response = conn.getresponse()
        html = response.read().decode()
        conn.close()
        cookie = next((c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("csrftoken=")), "")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if response.status != 200 or not cookie or not match:
            raise SystemExit(f"bench_web_drafts: GET /check/ gave {response.status} without a CSRF token")
        self.cookie, self.token = cookie.split(";")[0], match.group(1)

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=300)

    def post_draft(self, text: str) -> tuple[float, str]:
        """Seconds for one draft, and 'ok' or what went wrong."""
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, "text": text, "role": "parent",
                                       "school": SCHOOL, "planned_at": "", "kind": "post"}).encode()  # fmt: skip
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        conn = self.connect()
        t0 = time.perf_counter()
        conn.request("POST", "/check/", body=body, headers=headers)
        response = conn.getresponse()
        html = response.read().decode(errors="replace")
        took = time.perf_counter() - t0
        conn.close()
        if response.status != 200:
            return took, f"status {response.status}"
        if RESULT_MARK not in html:
            return took, "no result on the page: " + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:200]
        if "ran past its time budget" in html:  # core.budget's message: not checked in time
            return took, "the time budget's message"
        return took, "ok"

    def post_api(self, token: str) -> tuple[float, str]:
        conn = self.connect()
        t0 = time.perf_counter()
        conn.request("POST", "/api/check", body=json.dumps(API_RECORD).encode(),
                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})  # fmt: skip
        response = conn.getresponse()
        body = response.read()
        took = time.perf_counter() - t0
        conn.close()
        ok = response.status == 200 and json.loads(body).get("error") is None
        return took, "ok" if ok else f"status {response.status}: {body[:200]!r}"


def concurrent_round(page: Page, token: str, text: str, drafts: int, api_rest_s: float) -> dict[str, Any]:
    """``drafts`` drafts at once; API calls one after another until they have all been answered."""
    draft_results: list[tuple[float, str]] = []
    lock = threading.Lock()
    gate = threading.Barrier(drafts + 1)

    def one() -> None:
        gate.wait()
        result = page.post_draft(text)
        with lock:
            draft_results.append(result)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(drafts)]
    for t in threads:
        t.start()
    gate.wait()
    began = time.perf_counter()
    time.sleep(0.05)  # the drafts are on the wire first: the API call comes in behind them
    api: list[tuple[float, str]] = []
    while any(t.is_alive() for t in threads) or not api:
        api.append(page.post_api(token))
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    api_s = [s for s, _ in api]
    return {
        "wall_s": round(wall, 3),
        "draft_s": sorted(round(s, 3) for s, _ in draft_results),
        "draft_errors": [why for _, why in draft_results if why != "ok"],
        "api_calls": len(api),
        "api_max_s": round(max(api_s), 3),
        "api_median_s": round(statistics.median(api_s), 3),
        "api_errors": [why for _, why in api if why != "ok"],
        "api_delay_s": round(max(api_s) - api_rest_s, 3),  # the worst call against the median at rest
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="concurrent rounds (default 3)")
    parser.add_argument("--drafts", type=int, default=8, help="drafts at once (default 8)")
    parser.add_argument("--chars", type=int, default=20_000, help="characters per draft (default 20,000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--server-threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    text = text_of(args.chars // 1024 + 1)[: args.chars]

    with tempfile.TemporaryDirectory(prefix="postcheck-drafts-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
        env.update(POSTCHECK_DATA_DIR=str(work / "data"), POSTCHECK_LOG_LEVEL="WARNING",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")])))  # fmt: skip
        seeded = postcheck(env, "demo", "--no-serve")
        if seeded.returncode != 0:
            raise SystemExit(f"bench_web_drafts: postcheck demo --no-serve failed:\n{seeded.stderr}")
        token = create_token(env)
        if not token:
            raise SystemExit("bench_web_drafts: no API token")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (work / "server.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "postcheck", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(args.workers), "--threads", str(args.server_threads), "--no-migrate", "--no-worker"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        try:
            wait_until_up(base, server)
            page = Page(base)
            for _ in range(2 * args.workers):  # warm every worker: the first check loads the models
                page.post_draft("hello")
                page.post_api(token)
            single = [page.post_draft(text) for _ in range(3 * args.rounds)]
            rest = [page.post_api(token) for _ in range(20)]
            api_rest_s = statistics.median(s for s, _ in rest)
            rounds = [concurrent_round(page, token, text, args.drafts, api_rest_s) for _ in range(args.rounds)]
        finally:
            stop_server(server, log)

    single_s = [s for s, _ in single]
    report = {
        "command": "python benchmarks/bench_web_drafts.py " + " ".join(sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "server": f"postcheck serve --workers {args.workers} --threads {args.server_threads}",
        "draft_chars": len(text),
        "single_draft_s": {"median": round(statistics.median(single_s), 3), "max": round(max(single_s), 3),
                           "errors": [why for _, why in single if why != "ok"]},  # fmt: skip
        "api_at_rest_s": {"median": round(api_rest_s, 4), "max": round(max(s for s, _ in rest), 4)},
        "concurrent": rounds,
        "targets": {
            "single_draft_under_1s": max(single_s) < 1.0,
            "api_delay_at_most_1s": max(r["api_delay_s"] for r in rounds) <= 1.0,
            "no_errors": not any(r["draft_errors"] or r["api_errors"] for r in rounds)
                         and not any(why != "ok" for _, why in single),
        },
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("single_draft_s", "api_at_rest_s", "targets")}, indent=2))
    for i, r in enumerate(rounds, 1):
        each = f"{r['draft_s'][0]}-{r['draft_s'][-1]} s"
        print(f"round {i}: {args.drafts} drafts in {r['wall_s']} s (each {each}); {r['api_calls']} API calls "
              f"meanwhile, worst {r['api_max_s']} s, delay {r['api_delay_s']} s")  # fmt: skip


if __name__ == "__main__":
    main()
