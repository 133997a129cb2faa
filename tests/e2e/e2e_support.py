"""Helpers shared by the end-to-end tests (fixtures are in conftest.py): the browser's settings,
personas' password, signing in through the real form, URL and model look-ups that skip while
an app has not landed, and a screenshot PNG made with Pillow."""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

CHROMIUM = Path(os.environ.get("POSTCHECK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PASSWORD = "correct horse battery staple"
TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# A parent's criticism of a teacher (WB.d) and a member of staff naming a pupil (SN.names).
CRITICISM = "tbh the Y2 teacher is a lazy sod, absolute joke"
PUPIL_NAMED = "So proud of Poppy Ashworth in my class today, she read beautifully"


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; make test does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[dev]'"
    return None


def url_or_skip(name: str, *args: Any, **kwargs: Any) -> str:
    """The path of URL ``name``, or skip the test: the app that serves it is not wired yet."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        pytest.skip(f"URL {name!r} does not resolve yet (its app has not landed)")


def model_or_skip(label: str) -> Any:
    """A model class by 'app_label.ModelName', or skip: its app has not landed yet."""
    from django.apps import apps

    try:
        return apps.get_model(label)
    except LookupError:
        pytest.skip(f"model {label} does not exist yet (its app has not landed)")


@functools.cache
def password_hash() -> str:
    return make_password(PASSWORD)  # Argon2 is slow on purpose: hash once for every persona


def sign_in(page: Page, user: Any) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(reverse("core:login"))
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile(r"Signed in as")).is_visible(), page.content()[:2000]


def submit(form: Locator, name: str | re.Pattern[str]) -> None:
    """Click the form's submit button called ``name`` and wait for the next page."""
    page = form.page
    with page.expect_navigation():
        form.get_by_role("button", name=name).click()


def first_visible(candidates: list[Locator]) -> Locator | None:
    for locator in candidates:
        if locator.count() and locator.first.is_visible():
            return locator.first
    return None


def png_bytes(size: tuple[int, int] = (480, 320), text: str = "Screenshot of a post") -> bytes:
    """A small PNG (made with Pillow) with a camera EXIF tag, standing in for a phone screenshot."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (238, 242, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, size[0] - 16, 80), fill=(59, 89, 152))
    draw.text((28, 40), "facebook", fill=(255, 255, 255))
    draw.text((28, 110), text, fill=(20, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "Example Phone Maker"  # Make
    exif[0x0110] = "Example Phone"  # Model
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def tab_to(page: Page, reached: Callable[[], bool], limit: int = 25) -> None:
    """Press Tab until ``reached()``; fail after ``limit`` presses."""
    for _ in range(limit):
        if reached():
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"not reached in {limit} presses of Tab")
