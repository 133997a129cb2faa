"""Shared by the cases tests (imported by name: tests/web/cases is on sys.path while they run)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

# Names a pupil: from staff a breach under SN.names and IC.c; from a parent, IC.c only.
BREACH_TEXT = "Zara Mahmood read a whole page on her own today and I nearly cried"


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), exif: bool = True, mode: str = "RGB") -> bytes:
    """A small image; with ``exif``, it carries a camera make and GPS position (what must not be kept)."""
    img = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    out = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # Make
        data[0x0131] = "Secret Software"  # Software
        data[0x8825] = {1: "N", 2: (53.0, 58.0, 0.0), 3: "W", 4: (2.0, 48.0, 0.0)}  # GPSInfo
        kwargs["exif"] = data.tobytes()
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Comment", "taken at 12 Acacia Avenue")
        kwargs["pnginfo"] = info
    img.save(out, fmt, **kwargs)
    return out.getvalue()
