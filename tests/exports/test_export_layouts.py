"""Layouts with no sample in ../shared (built here from the published formats); details."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from postcheck.exports import _json, detect_format
from postcheck.exports._html import html_to_text
from postcheck.exports.linkedin import _unwrap_lines


def _js(path: Path, name: str, items: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"window.YTD.{name}.part0 = {json.dumps(items, indent=2)}", encoding="utf-8")


def _tweet(tid: str, text: str, when: str, **extra: Any) -> dict[str, Any]:
    return {"tweet": {"id_str": tid, "full_text": text, "created_at": when, **extra}}


def test_x_notes_community_replies_and_entities(tmp_path: Path, read_all, check_records) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "manifest.js").write_text(
        'window.__THAR_CONFIG = {"userInfo": {"accountId": "1", "userName": "ms_t", '
        '"displayName": "Ms T"}}'
    )
    mention = {"screen_name": "parent_p", "name": "Pat Parent", "id_str": "9"}
    long_start = "Long start of a note tweet… https://t.co/x"
    _js(data / "tweets.js", "tweets", [
        _tweet("30", long_start, "Mon Oct 05 12:00:01 +0000 2026"),
        _tweet("20", "@parent_p thanks &amp; see you", "Sun Oct 04 09:00:00 +0000 2026",
               in_reply_to_status_id_str="5", in_reply_to_screen_name="parent_p",
               in_reply_to_user_id_str="9", entities={"user_mentions": [mention], "urls": [
                   {"url": "https://t.co/a", "expanded_url": "https://example.org/a"}]}),
        _tweet("10", "RT @someone: hello", "Sat Oct 03 09:00:00 +0000 2026"),
    ])  # fmt: skip
    _js(data / "note-tweet.js", "note_tweet", [
        {"noteTweet": {"noteTweetId": "n1", "createdAt": "2026-10-05T12:00:01.000Z",
                       "core": {"text": "Long start of a note tweet, and the rest of it.",
                                "urls": []}}},
        {"noteTweet": {"noteTweetId": "n2", "createdAt": "2026-01-01T00:00:00.000Z",
                       "core": {"text": "A note whose tweet is gone.", "urls": []}}},
    ])  # fmt: skip
    _js(
        data / "community-tweet.js",
        "community_tweet",
        [_tweet("40", "In the community", "Tue Oct 06 10:00:00 +0000 2026", community_id_str="7")],
    )
    records, errors = read_all(tmp_path)
    assert errors == []
    check_records(records)
    by_id = {r.record["id"]: r.record for r in records}
    assert by_id["x:tweet:30"]["text"] == "Long start of a note tweet, and the rest of it."
    assert "x:note-tweet:n1" not in by_id and by_id["x:note-tweet:n2"]["kind"] == "post"
    reply = by_id["x:tweet:20"]
    assert reply["kind"] == "comment" and reply["text"] == "@parent_p thanks & see you"
    assert reply["in_reply_to"]["author"] == {
        "name": "Pat Parent", "role": "public", "handle": "@parent_p"
    }  # fmt: skip
    assert reply["links"] == ["https://example.org/a"]
    assert by_id["x:tweet:10"]["kind"] == "share"
    assert by_id["x:community-tweet:40"]["audience"] == "group"
    assert reply["author"] == {"name": "Ms T", "role": "staff", "handle": "@ms_t"}


def test_x_friend_mapping(exports: Path, read_all) -> None:
    records, _ = read_all(exports / "twitter/org-2021", author_name="A Teacher")
    kinds = {
        r.record["kind"] for r in records if r.source.endswith(("follower.js", "following.js"))
    }
    assert kinds == {"friend_accept", "friend_invite"}
    friend = next(r.record for r in records if r.record["kind"] == "friend_invite")
    assert friend["counterparty"]["role"] == "public"
    assert all(r.record["author"]["name"] == "A Teacher" for r in records)


def test_facebook_2018_layout(tmp_path: Path, read_all, check_records) -> None:
    """The 2018-19 layout, shaped after the JSON Schemas in facebook/schemas-2018."""
    files = {
        "profile_information/profile_information.json": {"profile": {
            "name": {"full_name": "Sam Staff"}, "emails": {"emails": []},
            "registration_timestamp": 1230000000, "about_me": "Teacher.",
            "work_experiences": [{"employer": "Lancastrian Infant School"}],
            "websites": [{"address": "https://example.org"}]}},
        "posts/your_posts.json": {"status_updates": [
            {"timestamp": 1538845753, "data": [{"post": "First post"}],
             "tags": ["Pat Parent"], "title": "Sam Staff updated her status."},
            {"timestamp": 1538845754, "attachments": [{"data": [{"media": {
                "uri": "photos_and_videos/a.jpg", "description": "Class trip"}}]}]}]},
        "comments/comments.json": {"comments": [
            {"timestamp": 1538845755, "title": "Sam Staff commented on Pat Parent's post.",
             "data": [{"comment": {"timestamp": 1538845755, "comment": "Lovely",
                                   "author": "Sam Staff"}}]}]},
        "groups/your_posts_and_comments_in_groups.json": {"group_posts": [
            {"timestamp": 1538845756, "data": [{"post": "Group post"}]},
            {"timestamp": 1538845757, "title": "Sam Staff commented on a post.",
             "data": [{"comment": {"timestamp": 1538845757, "comment": "In group",
                                   "author": "Sam Staff", "group": "Parents"}}]}]},
        "friends/friends.json": {"friends": [{"name": "Pat Parent", "timestamp": 1538845758}]},
        "friends/sent_friend_requests.json": {"sent_requests": [
            {"name": "Kim Carer", "timestamp": 1538845759}]},
        "friends/received_friend_requests.json": {"received_requests": [
            {"name": "Not Accepted", "timestamp": 1538845760}]},
    }  # fmt: skip
    (tmp_path / "photos_and_videos").mkdir()
    (tmp_path / "photos_and_videos/a.jpg").write_bytes(b"jpg")
    for name, doc in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
    assert detect_format(tmp_path) == "facebook"
    records, errors = read_all(tmp_path)
    assert errors == []
    check_records(records)
    got = sorted((r.record["kind"], r.record.get("audience", "")) for r in records)
    assert got == sorted([
        ("profile", ""), ("post", ""), ("post", ""), ("comment", ""),
        ("post", "group"), ("comment", "group"), ("friend_accept", ""), ("friend_invite", ""),
    ])  # fmt: skip
    profile = next(r.record for r in records if r.record["kind"] == "profile")
    assert profile["profile"] == {
        "employer": "Lancastrian Infant School", "bio": "Teacher.", "website": "https://example.org"
    }  # fmt: skip
    assert all(r.record["author"]["name"] == "Sam Staff" for r in records)
    photo = next(r.record for r in records if r.record.get("attachments"))
    assert photo["attachments"] == [
        {"type": "image", "path": "photos_and_videos/a.jpg", "caption": "Class trip"}
    ]
    comment = next(r.record for r in records if r.record["kind"] == "comment")
    assert comment["in_reply_to"]["author"]["name"] == "Pat Parent"
    tagged = next(r.record for r in records if r.record.get("text") == "First post")
    assert tagged["title"] == "Sam Staff updated her status. Tagged: Pat Parent."


def test_instagram_2019_layout(tmp_path: Path, read_all, check_records) -> None:
    """The 2018-19 Instagram download: media, comments, connections and profile .json."""
    files = {
        "media.json": {"photos": [{"caption": "Sports day", "taken_at": "2019-06-01T10:00:00",
                                   "path": "photos/201906/a.jpg"}],
                       "videos": [{"caption": "", "taken_at": "2019-06-02T10:00:00",
                                   "path": "videos/201906/b.mp4"}]},
        "comments.json": {"media_comments": [["2019-06-03T10:00:00", "Well done", "pat.parent"]]},
        "connections.json": {"followers": {"pat.parent": "2019-01-01T00:00:00"},
                             "following": {"kim.carer": "2019-01-02T00:00:00"}},
        "profile.json": {"username": "ms_t", "name": "Ms T", "biography": "Teacher",
                         "private_account": True},
    }  # fmt: skip
    for name, doc in files.items():
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
    assert detect_format(tmp_path) == "instagram"
    records, errors = read_all(tmp_path)
    assert errors == []
    check_records(records)
    kinds = sorted(r.record["kind"] for r in records)
    assert kinds == ["comment", "friend_accept", "friend_invite", "post", "post", "profile"]
    profile = next(r.record for r in records if r.record["kind"] == "profile")
    assert profile["profile"] == {"bio": "Teacher", "visibility": "private"}
    assert profile["author"]["handle"] == "@ms_t"
    video = next(r.record for r in records if r.source == "media.json" and not r.record["text"])
    assert video["attachments"] == [{"type": "video"}]


def test_mastodon_audiences(exports: Path, read_all) -> None:
    records, _ = read_all(exports / "mastodon/dealingwith")
    for r in records:
        rec = r.record
        if rec["kind"] == "message":
            assert rec["audience"] == "private"
        if rec["kind"] == "share":
            assert rec["links"] and rec["text"] == ""
    texts = "".join(r.record.get("text", "") for r in records)
    assert "<p>" not in texts and "</a>" not in texts and "<span" not in texts


def test_wordpress_namespaces_drafts_and_people(exports: Path, read_all) -> None:
    records, _ = read_all(exports / "wordpress/namespace-edge-cases.xml", format="wordpress")
    titles = [r.record["title"] for r in records]
    assert "Hijacked Namespace" not in titles and "No Prefix" in titles
    records, _ = read_all(exports / "wordpress/theme-unit-test-data.xml")
    drafts = [r.record for r in records if r.record["kind"] == "blog"]
    assert {d["audience"] for d in drafts} == {"public", "private"}
    comments = [r.record for r in records if r.record["kind"] == "comment"]
    assert {c["author"]["role"] for c in comments} <= {"public", "staff"}
    assert all("in_reply_to" in c for c in comments)


def test_records_csv_and_roles(tmp_path: Path, read_all) -> None:
    (tmp_path / "records.csv").write_text(
        "id,kind,platform,created_at,author.name,text,links,location.on_school_site\n"
        "r1,post,facebook,2026-10-05T12:35:00+01:00,Sam,Hello,https://a.example https://b.example,"
        "true\nr2,comment,x,,,Reply,,\n",
        encoding="utf-8",
    )
    assert detect_format(tmp_path) == "jsonl"
    records, errors = read_all(tmp_path, author_name="Ann", author_role="governor")
    assert errors == []
    first, second = (r.record for r in records)
    assert first["author"] == {"name": "Sam", "role": "governor"}
    assert first["links"] == ["https://a.example", "https://b.example"]
    assert first["location"] == {"on_school_site": True}
    assert second["author"] == {"name": "Ann", "role": "governor"}


def test_single_file_and_author_override(exports: Path, read_all) -> None:
    path = exports / "blogger/blog-03-28-2014.xml"
    assert detect_format(path) == "blogger"
    records, _ = read_all(path, author_name="A Teacher", author_role="staff")
    posts = [r.record for r in records if r.record["kind"] == "blog"]
    assert {p["author"]["name"] for p in posts} == {"A Teacher"}
    comments = [r.record for r in records if r.record["kind"] == "comment"]
    assert all(c["in_reply_to"]["text"] for c in comments)


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ('One."\n""\n"Two."\n"Three', "One.\n\nTwo.\nThree"),
        ('He said "hi"', 'He said "hi"'),
        ('A "quote"\nnext line', 'A "quote"\nnext line'),  # not the wrapped shape: untouched
    ],
)
def test_linkedin_line_quotes(raw: str, fixed: str) -> None:
    assert _unwrap_lines(raw) == fixed


def test_linkedin_2025_posts_lose_the_line_quotes(exports: Path, read_all) -> None:
    records, _ = read_all(exports / "linkedin/2025")
    post = next(r.record for r in records if "Vipassana" in r.record.get("text", ""))
    assert post["text"].startswith("I'm off for a 10-day Vipassana meditation program.\n\n")
    assert '\n"' not in post["text"]
    assert post["created_at"] == "2025-07-01T14:33:22+00:00" and post["audience"] == "friends"
    assert any('"Challenge my assumptions' in r.record["text"] for r in records)  # \" unescaped


def test_stream_array_across_tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [{"n": 12345678901234, "t": 'é ✌🏿 "q" ]'}, [1.5, -2e3], "x", 7]
    blob = ("window.YTD.x.part0 = " + json.dumps(items, ensure_ascii=False)).encode("utf-8")
    monkeypatch.setattr(_json, "_CHUNK", 3)  # split numbers, escapes and UTF-8 sequences
    import io

    assert list(_json.iter_array(io.BytesIO(blob), after="=")) == items
    with pytest.raises(ValueError, match=r"truncated|bad JSON"):
        list(_json.iter_array(io.BytesIO(blob[:-9]), after="="))


def test_html_to_text() -> None:
    out = html_to_text(
        '<p>Hi <a href="https://m.example/@a" class="u-url mention">@a</a> see '
        '<a href="https://x.example/p">x.example/p</a></p><p>Next &amp; last<img src="i.png" '
        'alt="a cat"></p><script>bad()</script>',
        skip_link_classes=frozenset({"mention"}),
    )
    assert out.text == "Hi @a see x.example/p\n\nNext & last"
    assert out.links == ["https://x.example/p"]
    assert out.images == [("i.png", "a cat")]
