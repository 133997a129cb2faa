"""Where the web app keeps its files: ``POSTCHECK_DATA_DIR`` or a per-user platform folder.

Kept out of the working directory by default so that running the demo inside a
checkout never leaves a database (with names in it) next to the source.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def data_dir() -> Path:
    """The data folder: SQLite database, generated secret key, collected static files."""
    explicit = os.environ.get("POSTCHECK_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser().resolve()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "postcheck"


def local_secret_key(folder: Path) -> str:
    """A secret key generated once and kept (owner-only) in the data folder, for local use."""
    path = folder / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key
