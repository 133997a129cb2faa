"""Every sample export in ../shared/data/exports reads completely: as many records as it holds.

The expected counts are taken from the files by simpler means than the
readers use (the archive's own manifest, json.load, a regular expression on
record starts), or, where that would repeat the reader, stated as constants
with how they were counted.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from postcheck.exports import UnknownFormat, detect_format


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _x_manifest(folder: Path) -> int:
    """X's own manifest.js counts each data file's items."""
    text = (folder / "manifest.js").read_text(encoding="utf-8")
    manifest = json.loads(text[text.index("{") :])
    wanted = {"tweet", "tweets", "deletedTweets", "communityTweet", "noteTweet"}
    wanted |= {"follower", "following", "profile"}
    return sum(
        int(f["count"])
        for key, kind in manifest["dataTypes"].items()
        if key in wanted
        for f in kind.get("files", [])
    )


def _fb_objectbox(folder: Path) -> int:
    posts = _load(folder / "posts/your_posts_1.json")
    comments = _load(folder / "comments_and_reactions/comments_and_reactions.json")["comments_v2"]
    return len(posts) + len(comments) + len(list(folder.glob("profile_information/*.json")))


def _fb_parser_fixtures(folder: Path) -> int:
    sections = _load(folder / "facebook_comments.json")  # a list of {section: [comments]}
    media = _load(folder / "facebook_media.json")  # posts mixed with message objects
    return (
        len(_load(folder / "each_media_type_list.json"))
        + sum(len(v) for part in sections for v in part.values())
        + sum(1 for m in media if "timestamp" in m)
        + 2  # profile_information.json and v2_profile_information.json
        + len(_load(folder / "your_posts_1.json"))
        + len(_load(folder / "your_posts_in_groups.json")["group_posts_v2"])
    )


def _ig_parser_fixtures(folder: Path) -> int:
    # instagram_media.json mixes posts with a profile picture section (not a post)
    # and an IGTV section whose entries are posts
    media = _load(folder / "instagram_media.json")
    return (
        sum(1 for m in media if "media" in m)
        + sum(len(m.get("ig_igtv_media", [])) for m in media)
        + len(_load(folder / "instagram_post.json"))
        + len(_load(folder / "post_comments.json")["comments_media_comments"])
        + 1  # personal_information.json: the profile
    )


def _record_starts(path: Path) -> int:
    """LinkedIn 2025 rows start with their date and link; continuation lines do not."""
    starts = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,https://", re.M)
    return len(starts.findall(path.read_text(encoding="utf-8")))


def _linkedin_2018(folder: Path) -> int:
    shares = (folder / "Shares.csv").read_bytes().decode("utf-16")
    rows = list(csv.reader(io.StringIO(shares), delimiter="\t"))
    return len(rows) - 1 + 1 + 1  # share rows, the profile, the one article (.html)


def _blogger(folder: Path) -> int:
    text = (folder / "blog-03-28-2014.xml").read_text(encoding="utf-8")
    return len(re.findall(r"kind#(?:post|comment)'", text))


# WordPress: items of post_type post or page, plus comments that a person
# wrote (not pingbacks/trackbacks, not spam). Counted by reading each file;
# namespace-edge-cases.xml has six items, one of which rebinds the wp prefix
# to a foreign namespace and so holds no WordPress data.
WXR_RECORDS = {
    "crazy-cdata-escaped.xml": 1,
    "namespace-edge-cases.xml": 5,
    "post-content-blank-lines.xml": 1,
    "slashes.xml": 2,
    "small-export.xml": 11 + 1,
    "test-serialized-comment-meta.xml": 2,
    "theme-unit-test-data.xml": 79 + 29,  # 58 posts + 21 pages; 33 comments less 4 pings
    "valid-wxr-1.0.xml": 6 + 1,
    "valid-wxr-1.1.xml": 2 + 1,
    "wxr-comprehensive.xml": 2 + 1,
    "wxr-utf-8-challenges.xml": 1,
}
# Not well-formed or not WXR: each must be named in an ExportError. crazy-cdata.xml
# nests a CDATA section, which leaves "]]>" in text: not well-formed XML.
WXR_BROKEN = {"crazy-cdata.xml", "malformed.xml", "malformed-simple.xml", "missing-version-tag.xml"}
FB_BROKEN = {"corrupt.json", "empty_list.json", "empty_object.json"}

Count = Callable[[Path], int]
SAMPLES: list[tuple[str, str, Count, set[str]]] = [
    ("twitter/org-2021", "twitter", _x_manifest, set()),
    ("twitter/personal-2025", "twitter", _x_manifest, set()),
    ("facebook/dyi/hunterhillis", "facebook", lambda f: len(_load(f / "your_posts_1.json")), set()),
    ("facebook/dyi/piter-a", "facebook", lambda f: len(_load(f / "your_posts_1.json")), set()),
    ("facebook/waultar-fixtures/test/objectbox/data/Facebook", "facebook", _fb_objectbox, set()),
    ("facebook/waultar-fixtures/test/parser/data", "facebook", _fb_parser_fixtures, FB_BROKEN),
    # JSON Schemas of the 2018 layout, not an export: nothing to read, nothing to complain of
    ("facebook/schemas-2018", "facebook", lambda f: 0, set()),
    (
        "instagram/Moff1",
        "instagram",
        lambda f: len(_load(f / "posts_1.json")) + len(_load(f / "post_comments_1.json")),
        set(),
    ),
    ("instagram/sr4136", "instagram", lambda f: len(_load(f / "posts_1.json")), set()),
    (
        "instagram/zackmarks",
        "instagram",
        # followers_1.json holds a single follower written as a bare object
        lambda f: 1 + len(_load(f / "following.json")["relationships_following"]),
        set(),
    ),
    (
        "mastodon/dealingwith",
        "mastodon",
        # json.load keeps the last of the two "orderedItems" keys, the full one; +1 profile
        lambda f: len(_load(f / "outbox.json")["orderedItems"]) + 1,
        set(),
    ),
    ("linkedin/2018", "linkedin", _linkedin_2018, set()),
    (
        "linkedin/2025",
        "linkedin",
        lambda f: _record_starts(f / "Shares.csv") + _record_starts(f / "Comments.csv"),
        set(),
    ),
    ("wordpress", "wordpress", lambda f: sum(WXR_RECORDS.values()), WXR_BROKEN),
    ("blogger", "blogger", _blogger, set()),
]


@pytest.mark.parametrize(("folder", "fmt", "count", "broken"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_sample_reads_completely(
    exports: Path, read_all, check_records, folder: str, fmt: str, count: Count, broken: set[str]
) -> None:
    path = exports / folder
    assert detect_format(path) == fmt
    records, errors = read_all(path)
    assert len(records) == count(path)
    assert {Path(e.source).name for e in errors} == broken
    check_records(records)


def test_instagram_fixtures_beside_facebook_ones(exports: Path, read_all, check_records) -> None:
    """The parser fixture folder mixes Instagram files in; read it as Instagram on request."""
    path = exports / "facebook/waultar-fixtures/test/parser/data"
    records, errors = read_all(path, format="instagram")
    assert len(records) == _ig_parser_fixtures(path)
    assert {Path(e.source).name for e in errors} == FB_BROKEN
    check_records(records)


def test_wordpress_counts_per_file(exports: Path, read_all) -> None:
    records, _ = read_all(exports / "wordpress")
    per_file: dict[str, int] = {}
    for item in records:
        per_file[item.source] = per_file.get(item.source, 0) + 1
    assert per_file == WXR_RECORDS


def test_bluesky_fixtures_are_not_an_export(exports: Path) -> None:
    # atproto interop fixtures (record and identifier samples), not an account export
    with pytest.raises(UnknownFormat):
        detect_format(exports / "bluesky")
