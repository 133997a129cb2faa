"""Zipped exports: read in place like folders, and hostile archives refused with a reason."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from postcheck.exports import ExportError, RecordItem, UnsafeArchive, detect_format, read_export
from postcheck.exports.safezip import SafeZip, ZipLimits

FOLDERS = {
    "twitter/org-2021": "twitter",
    "twitter/personal-2025": "twitter",
    "facebook/dyi/hunterhillis": "facebook",
    "facebook/dyi/piter-a": "facebook",
    "facebook/waultar-fixtures/test/objectbox/data/Facebook": "facebook",
    "facebook/waultar-fixtures/test/parser/data": "facebook",
    "instagram/Moff1": "instagram",
    "instagram/sr4136": "instagram",
    "instagram/zackmarks": "instagram",
    "mastodon/dealingwith": "mastodon",
    "linkedin/2018": "linkedin",
    "linkedin/2025": "linkedin",
    "wordpress": "wordpress",
    "blogger": "blogger",
}


def _zip_folder(folder: Path, target: Path, top: str = "export") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return target


@pytest.mark.parametrize(("folder", "fmt"), FOLDERS.items())
def test_zipped_sample_reads_like_the_folder(
    exports: Path, tmp_path: Path, read_all, folder: str, fmt: str
) -> None:
    archive = _zip_folder(exports / folder, tmp_path / "export.zip")
    assert detect_format(archive) == fmt
    zipped, zerrors = read_all(archive)
    plain, perrors = read_all(exports / folder)
    assert len(zipped) == len(plain)
    assert len(zerrors) == len(perrors)
    # members are named by their path inside the archive
    assert all(e.source.startswith("export/") for e in zerrors)


def _write(target: Path, members: dict[str, bytes], **attrs: int) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            for key, value in attrs.items():
                setattr(info, key, value)
            zf.writestr(info, data)
    return target


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    # 30 MB of zeros deflates to about 30 kB: a ratio near 1000:1
    bomb = _write(tmp_path / "bomb.zip", {"data/tweets.js": b"\0" * (30 << 20)})
    with pytest.raises(UnsafeArchive) as err:
        list(read_export(bomb))
    assert err.value.member == "data/tweets.js"
    assert "compression ratio" in str(err.value)


def test_total_size_and_member_count_limits(tmp_path: Path) -> None:
    archive = _write(tmp_path / "many.zip", {f"f{i}.json": b"[1]" * 100 for i in range(5)})
    with pytest.raises(UnsafeArchive, match="over the limit of 3"):
        SafeZip(archive, ZipLimits(max_files=3))
    with pytest.raises(UnsafeArchive, match="total uncompressed size"):
        SafeZip(archive, ZipLimits(max_total_bytes=1000))
    SafeZip(archive).close()  # fine under the defaults


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("../evil", "climbs out"),
        ("data/../../evil", "climbs out"),
        ("/etc/passwd", "absolute path"),
        ("C:\\Windows\\evil.js", "absolute path"),
    ],
)
def test_escaping_paths_are_refused(tmp_path: Path, member: str, reason: str) -> None:
    archive = _write(tmp_path / "slip.zip", {"data/tweets.js": b"[]", member: b"x"})
    with pytest.raises(UnsafeArchive) as err:
        detect_format(archive)
    assert err.value.member == member
    assert reason in err.value.reason
    with pytest.raises(UnsafeArchive):
        list(read_export(archive))


def test_harmless_dotdot_inside_the_archive_is_allowed(tmp_path: Path) -> None:
    archive = _write(tmp_path / "ok.zip", {"a/../records.jsonl": b""})
    with SafeZip(archive) as zf:
        assert zf.names() == ["records.jsonl"]


def test_symlinks_are_skipped_and_reported(tmp_path: Path) -> None:
    record = b'{"id": "a", "kind": "post", "author": {"name": "A", "role": "staff"}}\n'
    archive = tmp_path / "links.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("records.jsonl", record)
        link = zipfile.ZipInfo("more.jsonl")
        link.external_attr = (0o120777 << 16) | 0x20  # a Unix symbolic link
        zf.writestr(link, "/etc/passwd")
    items = list(read_export(archive))
    assert [type(i) for i in items] == [ExportError, RecordItem]
    assert items[0].source == "more.jsonl" and "symbolic link" in items[0].reason


def test_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "export.zip"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(UnsafeArchive, match="not a readable zip"):
        detect_format(fake)


def _mark_encrypted(blob: bytes, member: bytes) -> bytes:
    """Set the 'encrypted' flag of a member in the central directory (zipfile will not)."""
    at = blob.index(b"PK\x01\x02")
    while blob[at + 46 : at + 46 + len(member)] != member:
        at = blob.index(b"PK\x01\x02", at + 4)
    flags = blob[at + 8] | 0x1
    return blob[: at + 8] + bytes([flags]) + blob[at + 9 :]


def test_damaged_and_encrypted_members_are_reported(tmp_path: Path, read_all) -> None:
    line = b'{"id": "a", "kind": "post", "author": {"name": "A", "role": "staff"}}\n'
    archive = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.jsonl", line)
        zf.writestr("b.jsonl", line.replace(b'"a"', b'"b"'))
        zf.writestr("c.jsonl", line.replace(b'"a"', b'"c"'))
    blob = archive.read_bytes()
    at = blob.index(b'"b"')
    blob = blob[:at] + b'"B"' + blob[at + 3 :]  # breaks b.jsonl's CRC
    archive.write_bytes(_mark_encrypted(blob, b"c.jsonl"))
    records, errors = read_all(archive)
    assert [r.record["id"] for r in records] == ["a"]
    assert sorted((e.source, e.reason) for e in errors) == [
        ("b.jsonl", "cannot read: damaged archive member: Bad CRC-32 for file 'b.jsonl'"),
        ("c.jsonl", "encrypted member skipped"),
    ]


def test_same_path_twice_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "twice.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("records.jsonl", b"")
        zf.writestr("x/../records.jsonl", b"")
    with pytest.raises(UnsafeArchive, match="appears twice"):
        SafeZip(archive)
