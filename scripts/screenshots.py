"""Screenshots of the web app's main pages, for docs/screenshots/ and the README.

    python scripts/screenshots.py [--out docs/screenshots] [--max-height 2400]      (make screenshots)

Seeds a temporary data folder with ``postcheck demo --no-serve`` (two schools, a user for every
role, demo cases), starts ``postcheck serve`` on a free loopback port, and drives Debian's chromium
(``/usr/bin/chromium``; never a downloaded browser) with Playwright as the demo users: a staff
member checks a draft, a parent reports a concern with a screenshot, the headteacher publishes
the policy, opens the queue, the case, the dashboard, the acknowledgements, the settings and a
roster import's preview, and the API docs. Desktop width (1280 px), and a phone (390 px) for the
check page. A page that does not exist yet (404) is skipped with a message; the exit status is 0
unless the set-up fails.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("POSTCHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCHOOL = "lancastrian"

DRAFT = "tbh the Y2 teacher is a lazy sod, absolute joke. Poppy Ashworth's mum agrees"
REPORT = "Mrs Holroyd is a lazy cow and everyone knows it. Lancastrian Infants is an absolute joke"
ROSTER_CSV = """name,kind,aliases,photo_consent,role,children
Poppy Ashworth,pupil,Pops,yes,,
Kamil Nowicki,pupil,Kamilek,no,,
Zara Mahmood,pupil,,yes,,
Amelia Hart,pupil,Millie; Mills,yes,,
Naomi Fielden,staff,Mrs Fielden,,Year 2 teacher,
Rachel Ashworth,parent,,,,Poppy Ashworth
"""


@dataclass
class Shots:
    out: Path
    max_height: int
    saved: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def take(self, page: Any, name: str, full_page: bool = True) -> None:
        path = self.out / f"{name}.png"
        page.wait_for_load_state("networkidle")
        if full_page:
            height = min(int(page.evaluate("document.documentElement.scrollHeight")), self.max_height)
            width = int(page.viewport_size["width"])
            page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
        else:
            page.screenshot(path=str(path))
        self.saved.append(name)
        print(f"screenshots: {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")

    def skip(self, name: str, why: str) -> None:
        self.skipped.append(name)
        print(f"screenshots: skipped {name}: {why}", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postcheck(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "postcheck", *args], env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"screenshots: the server exited ({proc.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise SystemExit("screenshots: the server did not start")


def png(text: str) -> bytes:
    """A made-up phone screenshot of a post (Pillow)."""
    from PIL import Image, ImageDraw, ImageFont

    big, small = ImageFont.load_default(size=26), ImageFont.load_default(size=18)
    image = Image.new("RGB", (720, 420), (240, 242, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 720, 64), fill=(59, 89, 152))
    draw.text((24, 18), "facebook", fill=(255, 255, 255), font=big)
    draw.rectangle((24, 88, 696, 396), fill=(255, 255, 255), outline=(210, 214, 220))
    draw.ellipse((44, 108, 92, 156), fill=(180, 190, 205))
    draw.text((108, 120), "A parent  ·  2 h  ·  Public", fill=(90, 90, 90), font=small)
    y = 180
    for line in re.findall(r".{1,40}(?:\s|$)", text):
        draw.text((44, y), line.strip(), fill=(20, 20, 20), font=big)
        y += 36
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--max-height", type=int, default=2400, help="cut full-page shots at this height (px)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"screenshots: {CHROMIUM} is missing; install Debian's chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    shots = Shots(args.out.resolve(), args.max_height)
    with tempfile.TemporaryDirectory(prefix="postcheck-shots-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
        env.update(POSTCHECK_DATA_DIR=str(work / "data"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")])))  # fmt: skip
        demo = postcheck(env, "demo", "--no-serve")
        if demo.returncode != 0:
            raise SystemExit(f"screenshots: postcheck demo failed:\n{demo.stdout}\n{demo.stderr}")
        password = demo.stdout.split("(new each run): ")[1].split()[0]
        (work / "screenshot.png").write_bytes(png(REPORT))
        (work / "roster.csv").write_text(ROSTER_CSV, encoding="utf-8")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (work / "server.log").open("wb")
        server = subprocess.Popen([sys.executable, "-m", "postcheck", "serve", "--port", str(port), "--workers", "1",
                                   "--no-migrate"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # fmt: skip
        try:
            wait_until_up(base + "/", server)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    run_tour(browser, base, password, work, shots)
                finally:
                    browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    print(f"screenshots: {len(shots.saved)} saved in {args.out}, {len(shots.skipped)} skipped"
          + (f" ({', '.join(shots.skipped)})" if shots.skipped else ""))  # fmt: skip


def run_tour(browser: Any, base: str, password: str, work: Path, shots: Shots) -> None:
    def person(username: str | None, viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(base_url=base, viewport=viewport, locale="en-GB", timezone_id="Europe/London",
                                      device_scale_factor=1)  # fmt: skip
        context.set_default_timeout(20_000)
        page = context.new_page()
        if username:
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
        return page

    def visit(page: Any, path: str, name: str) -> bool:
        response = page.goto(path)
        if response is None or response.status != 200:
            shots.skip(name, f"GET {path} gave {response.status if response else 'no response'} (not built yet?)")
            return False
        return True

    def attempt(name: str, step: Callable[[], None]) -> None:
        try:
            step()
        except Exception as exc:  # a page that changed shape: say so, go on with the others
            shots.skip(name, f"{type(exc).__name__}: {str(exc).splitlines()[0]}")

    # Check before you post: a staff member's draft with findings; desktop and phone.
    staff = person(f"{SCHOOL}-staff")

    def check_page() -> None:
        if visit(staff, "/check/", "check"):
            staff.get_by_role("textbox", name="Your draft").fill(DRAFT)
            staff.get_by_role("button", name="Check my draft").click()
            staff.locator("section.result").wait_for()
            shots.take(staff, "check")

    attempt("check", check_page)

    def check_phone() -> None:
        phone = person(None, PHONE)
        if visit(phone, "/check/", "check-phone"):
            phone.get_by_role("textbox", name="Your draft").fill(DRAFT)
            phone.get_by_label("Parent", exact=True).check()
            phone.get_by_role("button", name="Check my draft").click()
            phone.locator("section.result").wait_for()
            shots.take(phone, "check-phone")

    attempt("check-phone", check_phone)

    # Report a concern, as a parent, with a screenshot: the filled form, then the confirmation.
    parent = person(f"{SCHOOL}-parent")
    reference: list[str] = []

    def report() -> None:
        if visit(parent, "/cases/report/", "report"):
            parent.get_by_role("textbox", name=re.compile(r"^What the post says")).fill(REPORT)
            parent.get_by_label(re.compile(r"^Where it was posted")).select_option(label="Facebook")
            parent.get_by_label(re.compile(r"^Their role")).select_option(label="Parent")
            parent.get_by_label(re.compile("Screenshot")).set_input_files(str(work / "screenshot.png"))
            shots.take(parent, "report")
            parent.get_by_role("button", name="Send the report").click()
            parent.locator(".reference").wait_for()
            reference.append(parent.locator(".reference strong").inner_text().strip())

    attempt("report", report)

    head = person(f"{SCHOOL}-headteacher")

    def queue_and_case() -> None:
        if not visit(head, "/cases/", "queue"):
            return
        shots.take(head, "queue")
        link = head.locator("table.queue tbody a", has_text=reference[0]) if reference else None
        if link is None or not link.count():
            link = head.locator("table.queue tbody a").first
        link.click()
        head.wait_for_load_state()
        shots.take(head, "case")

    attempt("queue", queue_and_case)

    def dashboard() -> None:
        if visit(head, "/cases/dashboard/", "dashboard"):
            shots.take(head, "dashboard")

    attempt("dashboard", dashboard)

    # The policy: published by the headteacher, seen by a member of staff who has not acknowledged it yet.
    def policy() -> None:
        if not visit(head, "/policy/", "policy"):
            return
        if head.get_by_role("link", name=re.compile("Publish version 1")).count():
            head.goto("/policy/publish/")
            head.get_by_role("button", name=re.compile("Publish version")).click()
            head.wait_for_load_state()
        # The headteacher acknowledges (so the acknowledgements page has someone in each list).
        head.goto("/policy/")
        confirm = head.get_by_label(re.compile("I have read this version"))
        if confirm.count():
            confirm.check()
            head.get_by_role("button", name="Acknowledge", exact=True).click()
            head.wait_for_load_state()
        staff.goto("/policy/")
        shots.take(staff, "policy")
        if visit(head, "/policy/acknowledgements/", "acknowledgements"):
            shots.take(head, "acknowledgements")

    attempt("policy", policy)

    def settings() -> None:
        if visit(head, "/policy/settings/", "settings"):
            shots.take(head, "settings")
        if visit(head, "/policy/settings/roster/", "roster-preview"):
            head.get_by_label(re.compile("Roster file")).set_input_files(str(work / "roster.csv"))
            head.get_by_role("button", name=re.compile("Upload and preview")).click()
            head.wait_for_load_state()
            shots.take(head, "roster-preview")

    attempt("settings", settings)

    def api_docs() -> None:
        if visit(head, "/api/docs", "api-docs"):
            head.get_by_text("/api/check").first.wait_for()
            shots.take(head, "api-docs")

    attempt("api-docs", api_docs)

    def sign_in_page() -> None:
        visitor = person(None)
        if visit(visitor, "/accounts/login/", "sign-in"):
            shots.take(visitor, "sign-in")

    attempt("sign-in", sign_in_page)


if __name__ == "__main__":
    main()
