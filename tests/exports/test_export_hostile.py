"""Hostile archives and folders built here: every member over 64 KiB has its ratio judged, and what
is skipped (nested archives, links, NUL names, FIFOs) is named while the rest is still read."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from postcheck.exports import ExportError, RecordItem, UnsafeArchive, read_export

LINE = b'{"id": "%s", "kind": "post", "author": {"name": "A", "role": "staff"}, "text": "hello"}\n'


def _items(path: Path) -> tuple[list[str], list[tuple[str, str]]]:
    ids, errors = [], []
    for item in read_export(path):
        if isinstance(item, RecordItem):
            ids.append(item.record["id"])
        else:
            assert isinstance(item, ExportError)
            errors.append((item.source, item.reason))
    return ids, errors


def test_many_small_bombs_are_refused(tmp_path: Path) -> None:
    # 40 members of 512 KiB of zeros: each under the old 1 MiB floor, each about 1,000:1
    archive = tmp_path / "small-bombs.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("records.jsonl", LINE % b"a")
        for i in range(40):
            zf.writestr(f"data/part-{i}.jsonl", b" " * (512 << 10))
    with pytest.raises(UnsafeArchive) as err:
        list(read_export(archive))
    assert err.value.member == "data/part-0.jsonl" and "compression ratio" in err.value.reason


def test_a_small_member_that_compresses_well_is_read(tmp_path: Path) -> None:
    archive = tmp_path / "ok.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("records.jsonl", LINE % b"a" + b"\n" * (60 << 10))  # 60 KiB, over 200:1, harmless
    assert _items(archive) == (["a"], [])


def test_nested_archives_are_named_and_the_rest_read(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("records.jsonl", LINE % b"inner")
    archive = tmp_path / "outer.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("records.jsonl", LINE % b"a")
        zf.write(inner, "old/export-2024.zip")
        zf.writestr("old/tweets.tar.gz", b"\x1f\x8b not really")
    ids, errors = _items(archive)
    assert ids == ["a"]
    assert [e[0] for e in errors] == ["old/export-2024.zip", "old/tweets.tar.gz"]
    assert all("archive inside the export" in why for _, why in errors)


def _rename(blob: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new) and blob.count(old) == 2  # the local header and the central directory
    return blob.replace(old, new)


@pytest.mark.parametrize(("raw", "shown"), [(b"\0.jsonl", "\\x00.jsonl"), (b"b.j\0onl", "b.j\\x00onl")])
def test_a_name_with_nul_is_named_and_skipped(tmp_path: Path, raw: bytes, shown: str) -> None:
    archive = tmp_path / "nul.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("records.jsonl", LINE % b"a")
        zf.writestr("b.jsonl", LINE % b"b")
    archive.write_bytes(_rename(archive.read_bytes(), b"b.jsonl", raw))
    ids, errors = _items(archive)
    assert ids == ["a"]
    assert errors == [(shown, "the name contains a NUL byte, skipped")]


def test_folder_links_fifos_and_archives_are_named(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.jsonl").write_bytes(LINE % b"secret")
    export = tmp_path / "export"
    (export / "data").mkdir(parents=True)
    (export / "data" / "records.jsonl").write_bytes(LINE % b"a")
    (export / "linked").symlink_to(outside, target_is_directory=True)
    (export / "data" / "more.jsonl").symlink_to(outside / "secret.jsonl")
    (export / "data" / "backup.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    os.mkfifo(export / "data" / "pipe.jsonl")  # reading it would wait for ever
    ids, errors = _items(export)
    assert ids == ["a"]
    assert dict(errors) == {
        "linked": "symbolic link to a folder, skipped",
        "data/more.jsonl": "symbolic link skipped",
        "data/pipe.jsonl": "not a regular file, skipped",
        "data/backup.zip": "an archive inside the export, skipped: extract it and scan it on its own",
    }
