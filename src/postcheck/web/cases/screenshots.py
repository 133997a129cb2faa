"""Screenshots and photos (a case's attachments): decoded with Pillow, re-encoded without metadata,
kept outside the web root.

An upload is trusted for nothing: its name and content type are ignored, its bytes must
decode as an image, its size and pixel count are capped before the pixels are decoded
(a small file can hold a huge image: a decompression bomb), and only the pixels are kept.
A fresh image is built from them and saved as PNG (JPEG stays JPEG), so EXIF, GPS, XMP,
ICC, text chunks and anything hidden after the image data are all gone. Files live in
the data folder under random names and are served only by a view that checks access.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 30_000_000  # a very long phone screenshot (1290 x 20000) still fits
MAX_SIDE = 20_000
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "BMP"}
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_ATTACHMENTS = 20  # per case: a whole thread of screenshots fits
MAX_FILES_PER_UPLOAD = 10


class ScreenshotError(ValueError):
    """Why an upload was refused, in words for the person who uploaded it."""


@dataclass
class CleanImage:
    data: bytes
    format: str  # PNG or JPEG
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return ".jpg" if self.format == "JPEG" else ".png"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def storage_dir() -> Path:
    """The cases folder: ``POSTCHECK_CASES_DIR``, else ``cases/`` in the data folder."""
    configured = getattr(settings, "POSTCHECK_CASES_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "cases"


def too_large_message() -> str:
    return f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Crop it or save it smaller, then try again."


def too_many_pixels_message(size: str = "") -> str:
    return (
        f"The image is too big{size}; the most we accept is {MAX_PIXELS // 1_000_000} million pixels. "
        "Crop it and try again."
    )


def clean_image(upload: IO[bytes], size: int | None = None) -> CleanImage:
    """Decode, check and re-encode an uploaded image; raise ScreenshotError saying what is wrong."""
    if size is not None and size > MAX_BYTES:
        raise ScreenshotError(too_large_message())
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ScreenshotError(too_large_message())
    not_image = "The file is not an image we can read. Upload a screenshot as a PNG, JPEG, WebP or GIF file."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(raw))  # reads the header only
            source_format = img.format
            if source_format not in ACCEPTED_FORMATS:
                raise ScreenshotError(not_image)
            width, height = img.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise ScreenshotError(too_many_pixels_message(f" ({width} x {height} pixels)"))
            img.seek(0)  # an animation: the first frame is the screenshot
            img.load()
            # A phone photo of a screen is often stored sideways with an EXIF note to turn it:
            # turn the pixels now, because the note is about to be thrown away.
            img = ImageOps.exif_transpose(img)
    except ScreenshotError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ScreenshotError(too_many_pixels_message()) from exc  # Pillow's own, higher limit, hit in open()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ScreenshotError(not_image) from exc
    # Photos stay JPEG (PNG would make them several times larger); everything else becomes PNG.
    return _reencode(img, "JPEG" if source_format == "JPEG" else "PNG")


def _reencode(img: Image.Image, fmt: str) -> CleanImage:
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    mode = "RGBA" if has_alpha else "RGB"
    if fmt == "JPEG" and has_alpha:
        fmt = "PNG"  # JPEG has no transparency
    pixels = img.convert(mode)
    # A new image from the bare pixels: nothing of the original's info (EXIF, ICC, text) comes along.
    fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if fmt == "JPEG":
        fresh.save(out, "JPEG", quality=90, optimize=True)
    else:
        fresh.save(out, "PNG", optimize=True)
    return CleanImage(out.getvalue(), fmt, fresh.width, fresh.height)


def save(image: CleanImage, school_id: int) -> str:
    """Write the file (owner-only) under a random name; return its name relative to the cases folder."""
    folder = storage_dir() / "screenshots" / str(int(school_id))
    for part in (storage_dir(), folder.parent, folder):  # mkdir(mode=) applies to the last part only
        part.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"screenshots/{int(school_id)}/{secrets.token_hex(16)}{image.extension}"
    fd = os.open(storage_dir() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(image.data)
    return name


def path_of(name: str) -> Path | None:
    """The stored file for a name held by a case; None when missing or not inside the cases folder."""
    if not name:
        return None
    root = (storage_dir() / "screenshots").resolve()
    path = (storage_dir() / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def delete(name: str) -> bool:
    path = path_of(name)
    if path is None:
        return False
    path.unlink(missing_ok=True)
    return True
