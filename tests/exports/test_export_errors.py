"""Broken files are reported by name, and reading goes on with the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from postcheck.exports import ExportError, RecordItem, read_export
from postcheck.exports._base import fix_mojibake


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("malformed.xml", "unknown WXR version"),
        ("malformed-simple.xml", "malformed XML"),
        ("missing-version-tag.xml", "no wp:wxr_version"),
        ("crazy-cdata.xml", "malformed XML"),
    ],
)
def test_broken_wxr_is_named(exports: Path, read_all, name: str, reason: str) -> None:
    records, errors = read_all(exports / "wordpress" / name, format="wordpress")
    assert records == []
    assert [e.source for e in errors] == [name]
    assert reason in errors[0].reason


def test_broken_wxr_does_not_stop_the_others(exports: Path, read_all) -> None:
    records, errors = read_all(exports / "wordpress")
    assert len(errors) == 4
    assert {r.source for r in records} >= {"theme-unit-test-data.xml", "valid-wxr-1.0.xml"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("corrupt.json", "bad JSON"),
        ("empty_list.json", "empty JSON document"),
        ("empty_object.json", "empty JSON document"),
    ],
)
def test_corrupt_and_empty_facebook_files(
    exports: Path, read_all, tmp_path: Path, name: str, reason: str
) -> None:
    folder = tmp_path / "fb"
    folder.mkdir()
    src = exports / "facebook/waultar-fixtures/test/parser/data"
    shutil.copy(src / name, folder / name)
    shutil.copy(src / "your_posts_1.json", folder / "your_posts_1.json")
    records, errors = read_all(folder, format="facebook")
    assert [(e.source, reason in e.reason) for e in errors] == [(name, True)]
    assert len(records) == 14  # the good file beside it is still read


def test_truncated_tweets_file_keeps_what_it_holds(exports: Path, tmp_path: Path) -> None:
    whole = (exports / "twitter/personal-2025/tweets.js").read_bytes()
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_bytes(whole[:200_000])  # cut in the middle of a tweet
    items = list(read_export(tmp_path / "archive"))
    records = [i for i in items if isinstance(i, RecordItem)]
    errors = [i for i in items if isinstance(i, ExportError)]
    assert len(records) > 10
    assert [e.source for e in errors] == ["data/tweets.js"]
    assert "truncated" in errors[0].reason or "bad JSON" in errors[0].reason


def test_truncated_outbox(exports: Path, tmp_path: Path, read_all) -> None:
    whole = (exports / "mastodon/dealingwith/outbox.json").read_bytes()
    (tmp_path / "outbox.json").write_bytes(whole[:300_000])
    records, errors = read_all(tmp_path)
    assert records and [e.source for e in errors] == ["outbox.json"]


def test_bad_jsonl_lines_are_named(tmp_path: Path, read_all) -> None:
    good = '{"id": "a", "kind": "post", "author": {"name": "A", "role": "staff"}, "text": "hi"}'
    lines = [good, good.replace('"a"', '"b"'), "{not json", '{"id": "c", "kind": "post"}', ""]
    (tmp_path / "records.jsonl").write_text("\n".join(lines), encoding="utf-8")
    records, errors = read_all(tmp_path)
    assert [r.record["id"] for r in records] == ["a", "b"]
    assert [(e.source, e.reason.split(":")[0]) for e in errors] == [
        ("records.jsonl", "line 3"),
        ("records.jsonl", "line 4"),
    ]


# -- mojibake ---------------------------------------------------------------


def test_fix_mojibake() -> None:
    assert fix_mojibake("K\u00c3\u00b8benhavn") == "København"
    assert fix_mojibake("\u00f0\u009f\u0099\u008c") == "🙌"
    # text that was never broken is left alone
    for fine in ("København", "café", "plain", "🙌 done", ""):
        assert fix_mojibake(fine) == fine


def test_facebook_text_is_repaired(exports: Path, read_all) -> None:
    records, _ = read_all(exports / "facebook/dyi/piter-a")
    titles = [r.record.get("title", "") for r in records]
    assert any("lubi artykuł w aplikacji KWEJK.pl." in t for t in titles)
    assert not any("\u00c5\u0082" in t for t in titles)  # 'ł' as mojibake


def test_facebook_profile_and_captions_are_repaired(exports: Path, read_all) -> None:
    folder = exports / "facebook/waultar-fixtures/test/parser/data"
    records, _ = read_all(folder)
    titles = [r.record.get("title", "") for r in records if r.source == "your_posts_1.json"]
    assert any(t.endswith("har tilføjet et nyt billede.") for t in titles)
    ig, _ = read_all(folder, format="instagram")
    texts = [r.record.get("text", "") for r in ig]
    assert "Anyone else feel spring around the corner? 🙌" in texts


def test_xml_entity_expansion_is_refused(tmp_path: Path, read_all) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>\n'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version><item><title>&lol2;</title>"
        "<wp:post_type>post</wp:post_type></item></channel></rss>"
    )
    (tmp_path / "laughs.xml").write_text(laughs, encoding="utf-8")
    records, errors = read_all(tmp_path)
    assert records == []
    assert [e.source for e in errors] == ["laughs.xml"]
    assert "refused XML feature" in errors[0].reason
