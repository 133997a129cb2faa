"""Open an export .zip defensively, reading members in place (nothing is extracted).

An export zip comes from the user, who may have been sent it by someone
else, so it is treated as hostile: the central directory is checked before
any member is read.

- total uncompressed size, number of members and the compression ratio of
  every member over 64 KiB are capped (zip bombs: many small members at
  1,000:1 add up as surely as one big one);
- member paths that are absolute, carry a drive letter, or climb out with
  ``..`` are refused (zip slip), even though nothing is ever written to disk,
  because a path like that means the archive was crafted;
- members skipped, each named (``skipped``, which read_export reports as an
  ExportError, so that a scan says what it did not read): symbolic links
  (their content is a link target, not export data), encrypted members,
  names with a NUL (zipfile cuts the name there, so a tool and postcheck
  would disagree on what the member is), and nested archives (an export
  inside an export is not opened: extract it and scan it on its own).

The declared size is a streaming cap per member: zipfile never returns more
bytes for a member than its declared size and checks the CRC at the end, so a
member cannot grow past what was checked.
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

GiB = 1 << 30


@dataclass(frozen=True)
class ZipLimits:
    max_total_bytes: int = 2 * GiB
    max_files: int = 100_000
    max_ratio: float = 200.0
    # Tiny members compress badly or well by chance, and cost nothing however they compress;
    # the ratio is judged above this (2,000 members of 1 MiB at 1,000:1 once slipped under 1 MiB).
    ratio_floor_bytes: int = 64 << 10


class UnsafeArchive(Exception):
    """The archive was refused; names the member and the reason."""

    def __init__(self, member: str, reason: str) -> None:
        super().__init__(f"unsafe archive member {member!r}: {reason}")
        self.member = member
        self.reason = reason


_DRIVE = re.compile(r"^[A-Za-z]:")


def check_member_name(name: str) -> str | None:
    """Why a member path is unsafe, or None when it is fine."""
    if "\x00" in name:
        return "path contains a NUL byte"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        return "absolute path"
    normal = posixpath.normpath(unified)
    if normal == ".." or normal.startswith("../"):
        return "path climbs out of the archive with '..'"
    return None


# An archive inside an export is not opened (its members would escape these checks' accounting).
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst", ".7z", ".rar")
NESTED_ARCHIVE = "an archive inside the export, skipped: extract it and scan it on its own"


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def printable(name: str) -> str:
    """A member name fit for a message: control characters (a NUL above all) shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def is_symlink(info: zipfile.ZipInfo) -> bool:
    # The high 16 bits hold the Unix mode when the archive was made on Unix.
    return stat.S_ISLNK(info.external_attr >> 16)


class _Checked(io.RawIOBase):
    """A member stream whose damage (bad CRC, cut data) surfaces as ValueError.

    Readers already turn ValueError into an ExportError for the file, so a
    corrupt member is reported like any other broken file.
    """

    def __init__(self, raw: IO[bytes], name: str) -> None:
        self._raw = raw
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._raw.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as exc:
            raise ValueError(f"damaged archive member: {exc}") from None
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class SafeZip:
    """A checked zip archive that behaves as an export source (names + open)."""

    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.label = path.name
        self.limits = limits or ZipLimits()
        self.skipped: list[tuple[str, str]] = []
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnsafeArchive(path.name, f"not a readable zip file ({exc})") from None
        try:
            self._members = self._check()
        except Exception:
            self._zip.close()
            raise

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        lim = self.limits
        infos = self._zip.infolist()
        if len(infos) > lim.max_files:
            raise UnsafeArchive(self.label, f"{len(infos)} members, over the limit of {lim.max_files}")
        members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            if "\x00" in info.orig_filename:  # zipfile keeps only what comes before the NUL
                self.skipped.append((printable(info.orig_filename), "the name contains a NUL byte, skipped"))
                continue
            name = info.filename
            why = check_member_name(name)
            if why:
                raise UnsafeArchive(name, why)
            if not name.strip("/"):
                self.skipped.append(("(no name)", "a member with an empty name, skipped"))
                continue
            if info.is_dir():
                continue
            if is_symlink(info):
                self.skipped.append((name, "symbolic link skipped"))
                continue
            if info.flag_bits & 0x1:
                self.skipped.append((name, "encrypted member skipped"))
                continue
            if is_archive_name(name):
                self.skipped.append((name, NESTED_ARCHIVE))
                continue
            size = info.file_size
            if size > lim.ratio_floor_bytes:
                ratio = size / max(info.compress_size, 1)
                if ratio > lim.max_ratio:
                    raise UnsafeArchive(
                        name,
                        f"compression ratio {ratio:.0f}:1 over the limit of {lim.max_ratio:.0f}:1",
                    )
            total += size
            if total > lim.max_total_bytes:
                raise UnsafeArchive(name, f"total uncompressed size over the limit of {lim.max_total_bytes} bytes")
            key = posixpath.normpath(name.replace("\\", "/"))
            if key in members:
                # two entries for one path: which one a tool shows is a matter of luck
                raise UnsafeArchive(name, "the same path appears twice")
            members[key] = info
        return members

    def names(self) -> list[str]:
        return list(self._members)

    def open(self, name: str) -> IO[bytes]:
        return io.BufferedReader(_Checked(self._zip.open(self._members[name]), name))

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
