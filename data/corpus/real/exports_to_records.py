#!/usr/bin/env python3
"""Turn the real platform exports in ../shared/data/exports/ into postcheck records.

Reads the personal archives (X/Twitter, Facebook, Instagram, Mastodon, LinkedIn,
WordPress, Blogger) that the shared data folder holds, picks up to about 400 text
items spread over every platform (posts, comments, replies, reposts, messages,
bios, blog entries) and writes them as FORMATS.md records. Every author is
written as a member of staff of the invented school in ``school.yaml`` under a
placeholder name ("Export author N"); real names, handles and e-mail addresses
of the archive owners are never written into the author fields.

With ``--labels`` it also writes the first reader's labels (``labels.a.jsonl``):

* FP.b is mechanical: the record's ``audience`` (or profile ``visibility``) is
  ``public`` only where the export itself says so (Mastodon ``to``/``cc`` holds
  the ActivityStreams Public collection; LinkedIn ``Visibility`` is Public;
  WordPress status ``publish`` without a password; Blogger entries that are not
  drafts; a Mastodon profile marked discoverable).
* The time clauses (SN.c, IC.f, PU) are computed from ``created_at`` and the
  school context exactly as CLAUSES.md reads them. None of these archives has an
  item inside the school's term dates, so none fires; the code is kept so the
  labels stay right if the school context changes.
* Content clauses come from the reviewed table ``CONTENT`` below (record id ->
  clauses, reason). Every selected item was read; items not in the table are
  clean.

Standard library plus PyYAML only.

    python data/corpus/real/exports_to_records.py \
        --exports ../shared/data/exports --school data/corpus/real/school.yaml \
        --out data/corpus/real/exports --labels
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

csv.field_size_limit(10 ** 9)

PUBLIC_AS = "https://www.w3.org/ns/activitystreams#Public"
ORDER = ["WB.a", "WB.b", "WB.c", "WB.d", "SN.a", "SN.b", "SN.c", "SN.names", "IC.a", "IC.b",
         "IC.c", "IC.d", "IC.e", "IC.f", "IC.I", "IC.II", "IC.III", "FP.a", "FP.b", "FP.c",
         "FP.d", "FP.e", "CB", "PU", "SEC"]
MAX_TEXT = 1200

# ---------------------------------------------------------------- helpers


def cut(text: str, n: int = MAX_TEXT) -> str:
    text = text.strip()
    if len(text) <= n:
        return text
    c = text[:n]
    k = max(c.rfind(" "), c.rfind("\n"))
    return c[:k].rstrip() if k > n * 3 // 4 else c


def strip_html(s: str) -> str:
    s = re.sub(r"(?i)<br\s*/?>", "\n", s)
    s = re.sub(r"(?i)</p>\s*<p[^>]*>", "\n\n", s)
    s = re.sub(r"(?i)</(p|div|li|h\d)>", "\n", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = html.unescape(s)
    s = re.sub(r"[ \t]+\n", "\n", s)
    s = re.sub(r"\n{3,}", "\n\n", s)
    return s.strip()


def fb_fix(s: str) -> str:
    """Facebook exports store UTF-8 bytes as latin-1 code points (mojibake)."""
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def load_js(path: Path):
    s = path.read_text(encoding="utf-8")
    return json.loads(s[s.index("["):])


def spread(items: list, k: int) -> list:
    """k items spread evenly over the list (deterministic)."""
    if len(items) <= k:
        return list(items)
    step = len(items) / k
    return [items[int(i * step)] for i in range(k)]


LONDON = ZoneInfo("Europe/London")


def iso(ts: dt.datetime) -> str:
    """RFC 3339 in London local time with the offset right for that date."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.timezone.utc)
    return ts.astimezone(LONDON).isoformat(timespec="seconds")


def from_epoch(x) -> str:
    return iso(dt.datetime.fromtimestamp(int(float(x)), dt.timezone.utc))


def from_iso(s: str) -> str:
    return iso(dt.datetime.fromisoformat(s.replace("Z", "+00:00")))


# ---------------------------------------------------------------- extractors
# Each yields (source, item-key, record-without-id).


def twitter(root: Path):
    out = []
    arch = [("twitter/personal-2025/tweets.js", "tweets", 1, 70),
            ("twitter/org-2021/tweet.js", "tweet", 2, 30)]
    for rel, _, owner, quota in arch:
        tweets = [t["tweet"] for t in load_js(root / rel)]
        tweets.sort(key=lambda t: int(t["id_str"]))
        own = [t for t in tweets if not t["full_text"].startswith("RT @")]
        rts = [t for t in tweets if t["full_text"].startswith("RT @")]
        n_rt = max(2, quota // 8)
        chosen = spread(own, quota - n_rt) + spread(rts, n_rt)
        for t in chosen:
            text = html.unescape(t["full_text"])
            for u in t.get("entities", {}).get("urls", []):
                if u.get("expanded_url"):
                    text = text.replace(u["url"], u["expanded_url"])
            created = iso(dt.datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y"))
            rec = {"platform": "x", "created_at": created,
                   "author": {"name": "Export author %d" % owner, "role": "staff"}}
            if text.startswith("RT @"):
                m = re.match(r"RT @\w+: (.*)", text, re.S)
                rec.update(kind="share", text="",
                           in_reply_to={"author": {"name": "another account", "role": "public"},
                                        "text": cut(m.group(1) if m else text)})
            elif t.get("in_reply_to_status_id_str"):
                rec.update(kind="comment", text=cut(text))
            else:
                rec.update(kind="post", text=cut(text))
            media = t.get("extended_entities", t.get("entities", {})).get("media", [])
            if media:
                rec["attachments"] = [{"type": "video" if m.get("type") in ("video", "animated_gif") else "image"}
                                      for m in media]
            out.append(("x", rel + "#" + t["id_str"], rec))
    deleted = [t["tweet"] for t in load_js(root / "twitter/personal-2025/deleted-tweets.js")]
    for t in deleted:
        m = re.match(r"RT @\w+: (.*)", html.unescape(t["full_text"]), re.S)
        out.append(("x", "twitter/personal-2025/deleted-tweets.js#" + t["id_str"], {
            "kind": "share", "platform": "x",
            "created_at": iso(dt.datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y")),
            "author": {"name": "Export author 1", "role": "staff"}, "text": "",
            "in_reply_to": {"author": {"name": "another account", "role": "public"},
                            "text": cut(m.group(1) if m else t["full_text"])}}))
    for rel, owner in [("twitter/personal-2025/profile.js", 1), ("twitter/org-2021/profile.js", 2)]:
        p = load_js(root / rel)[0]["profile"]["description"]
        prof = {"bio": p.get("bio", "")}
        if p.get("website"):
            prof["website"] = p["website"]
        out.append(("x", rel, {"kind": "profile", "platform": "x",
                               "author": {"name": "Export author %d" % owner, "role": "staff"},
                               "profile": prof}))
    return out


def facebook(root: Path):
    out = []
    for rel, owner, quota in [("facebook/dyi/hunterhillis/your_posts_1.json", 3, 35),
                              ("facebook/dyi/piter-a/your_posts_1.json", 4, 15),
                              ("facebook/waultar-fixtures/test/parser/data/your_posts_1.json", 5, 10)]:
        items = json.loads((root / rel).read_text(encoding="utf-8"))
        cand = []
        for i, it in enumerate(items):
            text = " ".join(fb_fix(d["post"]) for d in it.get("data", []) if d.get("post"))
            if not text.strip() or "REDACTED" in text:
                continue
            rec = {"kind": "post", "platform": "facebook", "created_at": from_epoch(it["timestamp"]),
                   "author": {"name": "Export author %d" % owner, "role": "staff"}, "text": cut(text)}
            atts = []
            for a in it.get("attachments", []):
                for d in a.get("data", []):
                    if "media" in d:
                        uri = d["media"].get("uri", "")
                        atts.append({"type": "video" if uri.endswith(".mp4") else "image"})
                    elif "external_context" in d and d["external_context"].get("url"):
                        rec.setdefault("links", []).append(d["external_context"]["url"])
            if atts:
                rec["attachments"] = atts
            cand.append(("facebook", "%s#%d" % (rel, i), rec))
        out += spread(cand, quota)
    rel = "facebook/waultar-fixtures/test/objectbox/data/Facebook/comments_and_reactions/comments_and_reactions.json"
    for i, it in enumerate(json.loads((root / rel).read_text(encoding="utf-8"))["comments_v2"]):
        for d in it.get("data", []):
            c = d.get("comment", {})
            if c.get("comment") and "REDACTED" not in c["comment"]:
                out.append(("facebook", "%s#%d" % (rel, i), {
                    "kind": "comment", "platform": "facebook", "created_at": from_epoch(c["timestamp"]),
                    "author": {"name": "Export author 6", "role": "staff"}, "text": cut(fb_fix(c["comment"]))}))
    inbox = root / "facebook/waultar-fixtures/test/objectbox/data/Facebook/messages/inbox"
    path = sorted(inbox.glob("*/message_1.json"))[0]
    rel = "facebook/waultar-fixtures/test/objectbox/data/Facebook/messages/inbox/<thread>/message_1.json"
    thread = json.loads(path.read_text(encoding="utf-8"))
    for i, m in enumerate(thread["messages"]):
        if m.get("content"):
            out.append(("facebook", "%s#%d" % (rel, i), {
                "kind": "message", "platform": "facebook", "audience": "private",
                "created_at": from_epoch(m["timestamp_ms"] / 1000),
                "author": {"name": "Export author 7", "role": "staff"}, "text": cut(fb_fix(m["content"]))}))
    return out


def instagram(root: Path):
    out = []
    rel = "instagram/Moff1/post_comments_1.json"
    items = json.loads((root / rel).read_text(encoding="utf-8"))
    cand = []
    for i, it in enumerate(items):
        smd = it.get("string_map_data", {})
        text = fb_fix(smd.get("Comment", {}).get("value", ""))
        if len(text.strip()) < 12:
            continue
        cand.append(("instagram", "%s#%d" % (rel, i), {
            "kind": "comment", "platform": "instagram",
            "created_at": from_epoch(smd.get("Time", {}).get("timestamp", 0)),
            "author": {"name": "Export author 8", "role": "staff"}, "text": cut(text)}))
    cand.sort(key=lambda c: c[2]["created_at"])
    out += spread(cand, 35)
    for rel, owner, quota in [("instagram/Moff1/posts_1.json", 8, 8), ("instagram/sr4136/posts_1.json", 9, 35),
                              ("facebook/waultar-fixtures/test/parser/data/instagram_post.json", 10, 5)]:
        items = json.loads((root / rel).read_text(encoding="utf-8"))
        cand = []
        for i, it in enumerate(items):
            media = it.get("media", [])
            title = fb_fix(it.get("title") or (media[0].get("title", "") if media else ""))
            if len(title.strip()) < 3:
                continue
            ts = it.get("creation_timestamp") or (media[0].get("creation_timestamp") if media else None)
            rec = {"kind": "post", "platform": "instagram", "author": {"name": "Export author %d" % owner, "role": "staff"},
                   "text": "", "attachments": [{"type": "video" if m.get("uri", "").endswith(".mp4") else "image",
                                               "caption": cut(title)} for m in media[:1]] or [{"type": "image", "caption": cut(title)}]}
            if ts:
                rec["created_at"] = from_epoch(ts)
            cand.append(("instagram", "%s#%d" % (rel, i), rec))
        out += spread(cand, quota)
    return out


def mastodon(root: Path):
    out = []
    rel = "mastodon/dealingwith/outbox.json"
    outbox = json.loads((root / rel).read_text(encoding="utf-8"))
    notes, boosts = [], []
    for it in outbox["orderedItems"]:
        if it["type"] == "Create" and it["object"].get("type") == "Note":
            notes.append(it)
        elif it["type"] == "Announce":
            boosts.append(it)
    chosen = spread(notes, 50)
    for it in chosen:
        o = it["object"]
        to, cc = o.get("to", []), o.get("cc", [])
        if PUBLIC_AS in to or PUBLIC_AS in cc:
            audience = "public"
        elif any(x.endswith("/followers") for x in to):
            audience = "friends"
        else:
            audience = "private"
        text = strip_html(o.get("content") or "")
        if o.get("summary"):
            text = "CW: %s\n\n%s" % (o["summary"], text)
        rec = {"kind": "comment" if o.get("inReplyTo") else "post", "platform": "mastodon",
               "created_at": from_iso(o["published"]), "audience": audience,
               "author": {"name": "Export author 11", "role": "staff"}, "text": cut(text)}
        atts = []
        for a in o.get("attachment") or []:
            mt = a.get("mediaType", "")
            at = {"type": "video" if mt.startswith("video") else ("image" if mt.startswith("image") else "document")}
            if a.get("name"):
                at["alt_text"] = a["name"]
            atts.append(at)
        if atts:
            rec["attachments"] = atts
        out.append(("mastodon", rel + "#" + o["id"].rsplit("/", 1)[-1], rec))
    for it in spread(boosts, 4):
        bid = it["id"][:-len("/activity")] if it["id"].endswith("/activity") else it["id"]
        out.append(("mastodon", rel + "#" + bid.rsplit("/", 1)[-1], {
            "kind": "share", "platform": "mastodon", "created_at": from_iso(it["published"]),
            "audience": "public" if PUBLIC_AS in it.get("to", []) + it.get("cc", []) else "friends",
            "author": {"name": "Export author 11", "role": "staff"}, "text": "",
            "links": [it["object"]] if isinstance(it.get("object"), str) else []}))
    actor = json.loads((root / "mastodon/dealingwith/actor.json").read_text(encoding="utf-8"))
    prof = {"bio": strip_html(actor.get("summary") or "")}
    for a in actor.get("attachment") or []:
        m = re.search(r'href="([^"]+)"', a.get("value", ""))
        if m:
            prof["website"] = m.group(1)
            break
    if actor.get("discoverable"):
        prof["visibility"] = "public"
    out.append(("mastodon", "mastodon/dealingwith/actor.json", {
        "kind": "profile", "platform": "mastodon",
        "author": {"name": "Export author 11", "role": "staff"}, "profile": prof}))
    return out


def _linkedin_text(s: str) -> str:
    # Shares.csv (2025 layout) wraps every line after the first in double quotes.
    lines = []
    for ln in s.split("\n"):
        ln = ln.rstrip("\r")
        if len(ln) >= 2 and ln.startswith('"') and ln.endswith('"'):
            ln = ln[1:-1]
        elif ln.endswith('"') and not lines:
            ln = ln[:-1]
        lines.append(ln.replace('""', '"'))
    return "\n".join(lines).strip()


def linkedin(root: Path):
    out = []
    vis = {"PUBLIC": "public", "Public": "public", "MEMBER_NETWORK": "friends", "CONNECTIONS": "friends",
           "Connections": "friends"}
    rel = "linkedin/2025/Shares.csv"
    rows = list(csv.DictReader(io.StringIO((root / rel).read_text(encoding="utf-8"))))
    cand = []
    for i, r in enumerate(rows):
        if not re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", r.get("Date") or ""):
            continue
        text = _linkedin_text(r.get("ShareCommentary") or "")
        if len(text) < 20:
            continue
        rec = {"kind": "post", "platform": "linkedin",
               "created_at": iso(dt.datetime.strptime(r["Date"], "%Y-%m-%d %H:%M:%S")),
               "author": {"name": "Export author 12", "role": "staff"}, "text": cut(text)}
        if r.get("Visibility") in vis:
            rec["audience"] = vis[r["Visibility"]]
        if r.get("SharedUrl"):
            rec["links"] = [r["SharedUrl"]]
        cand.append(("linkedin", "%s#%d" % (rel, i), rec))
    cand.sort(key=lambda c: c[2]["created_at"])
    out += spread(cand, 30)
    rel = "linkedin/2025/Comments.csv"
    rows = list(csv.DictReader(io.StringIO((root / rel).read_text(encoding="utf-8"))))
    cand = []
    for i, r in enumerate(rows):
        if not re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", r.get("Date") or ""):
            continue
        text = (r.get("Message") or "").strip()
        if len(text) < 20:
            continue
        cand.append(("linkedin", "%s#%d" % (rel, i), {
            "kind": "comment", "platform": "linkedin",
            "created_at": iso(dt.datetime.strptime(r["Date"], "%Y-%m-%d %H:%M:%S")),
            "author": {"name": "Export author 12", "role": "staff"}, "text": cut(text)}))
    cand.sort(key=lambda c: c[2]["created_at"])
    out += spread(cand, 25)
    rel = "linkedin/2018/Shares.csv"
    rows = list(csv.DictReader(io.StringIO((root / rel).read_text(encoding="utf-16")), delimiter="\t"))
    for i, r in enumerate(rows):
        text = "\n\n".join(x for x in (r.get("Share Title"), r.get("Share Description"), r.get("Share Commentary")) if x)
        if not text.strip():
            continue
        rec = {"kind": "post", "platform": "linkedin",
               "created_at": iso(dt.datetime.strptime(r["Date"], "%Y/%m/%d %H:%M:%S UTC")),
               "author": {"name": "Export author 13", "role": "staff"}, "text": cut(text)}
        if r.get("Visibility") in vis:
            rec["audience"] = vis[r["Visibility"]]
        out.append(("linkedin", "%s#%d" % (rel, i), rec))
    rel = "linkedin/2018/Profile.csv"
    p = next(csv.DictReader(io.StringIO((root / rel).read_text(encoding="utf-8"))))
    pos = next(csv.DictReader(io.StringIO((root / "linkedin/2018/Positions.csv").read_text(encoding="utf-8"))), {})
    prof = {"bio": "\n\n".join(x for x in (p.get("Headline"), p.get("Summary")) if x)}
    if pos.get("Company Name"):
        prof["employer"] = pos["Company Name"].strip()
    sites = re.findall(r"https?://[^\s,]+", p.get("Websites") or "")
    if sites:
        prof["website"] = sites[0]
    out.append(("linkedin", rel, {"kind": "profile", "platform": "linkedin",
                                  "author": {"name": "Export author 13", "role": "staff"}, "profile": prof}))
    return out


WP = {"wp": None, "content": "http://purl.org/rss/1.0/modules/content/", "dc": "http://purl.org/dc/elements/1.1/"}


def _wp_items(path: Path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return []
    wpns = None
    for el in root.iter():
        m = re.match(r"\{(https?://wordpress\.org/export/[\d.]+/)\}", el.tag)
        if m:
            wpns = m.group(1)
            break
    if not wpns:
        return []
    ns = dict(WP, wp=wpns)
    res = []
    for item in root.iter("item"):
        g = lambda p, item=item: (item.findtext(p, default="", namespaces=ns) or "")
        res.append((item, g, ns))
    return res


def wordpress(root: Path):
    out = []
    files = ["wordpress/theme-unit-test-data.xml", "wordpress/small-export.xml", "wordpress/valid-wxr-1.1.xml",
             "wordpress/wxr-comprehensive.xml", "wordpress/wxr-utf-8-challenges.xml", "wordpress/slashes.xml",
             "wordpress/post-content-blank-lines.xml", "wordpress/crazy-cdata.xml"]
    posts, comments = [], []
    for rel in files:
        for idx, (item, g, ns) in enumerate(_wp_items(root / rel)):
            ptype = g("wp:post_type")
            if ptype not in ("post", "page"):
                continue
            body = strip_html(g("content:encoded"))
            title = g("title").strip()
            if len(body) < 20:
                continue
            date = g("wp:post_date_gmt")
            rec = {"kind": "blog", "platform": "blog", "author": {"name": "Export author 14", "role": "staff"},
                   "title": title, "text": cut(body)}
            if date and not date.startswith("0000"):
                rec["created_at"] = iso(dt.datetime.strptime(date, "%Y-%m-%d %H:%M:%S"))
            if g("wp:status") == "publish" and not g("wp:post_password"):
                rec["audience"] = "public"
            posts.append(("wordpress", "%s#item%d" % (rel, idx), rec))
            for cidx, c in enumerate(item.findall("wp:comment", ns)):
                ctext = strip_html(c.findtext("wp:comment_content", default="", namespaces=ns))
                if len(ctext) < 15 or c.findtext("wp:comment_approved", default="", namespaces=ns) not in ("1", ""):
                    continue
                crec = {"kind": "comment", "platform": "blog", "author": {"name": "Export author 14", "role": "staff"},
                        "text": cut(ctext), "in_reply_to": {"author": {"name": "blog author", "role": "public"},
                                                            "text": cut(title + "\n\n" + body, 400)}}
                cd = c.findtext("wp:comment_date_gmt", default="", namespaces=ns)
                if cd and not cd.startswith("0000"):
                    crec["created_at"] = iso(dt.datetime.strptime(cd, "%Y-%m-%d %H:%M:%S"))
                comments.append(("wordpress", "%s#item%d/comment%d" % (rel, idx, cidx), crec))
    return spread(posts, 16) + spread(comments, 8)


def blogger(root: Path):
    out = []
    rel = "blogger/blog-03-28-2014.xml"
    ns = {"a": "http://www.w3.org/2005/Atom", "app": "http://purl.org/atom/app#",
          "thr": "http://purl.org/syndication/thread/1.0"}
    feed = ET.parse(root / rel).getroot()
    entries = feed.findall("a:entry", ns)
    kind = lambda e: [c.get("term") for c in e.findall("a:category", ns)
                      if c.get("scheme", "").endswith("#kind")][0].split("#")[-1]
    owner = feed.findtext("a:author/a:name", default="", namespaces=ns)
    posts = {}
    for e in entries:
        if kind(e) != "post":
            continue
        draft = e.find("app:control/app:draft", ns)
        body = strip_html(e.findtext("a:content", default="", namespaces=ns))
        rec = {"kind": "blog", "platform": "blog", "created_at": from_iso(e.findtext("a:published", namespaces=ns)),
               "author": {"name": "Export author 15", "role": "staff"},
               "title": e.findtext("a:title", default="", namespaces=ns).strip(), "text": cut(body)}
        if draft is None or (draft.text or "").strip() != "yes":
            rec["audience"] = "public"
        posts[e.findtext("a:id", namespaces=ns)] = rec
        out.append(("blogger", rel + "#" + e.findtext("a:id", namespaces=ns).rsplit("-", 1)[-1], rec))
    for e in entries:
        if kind(e) != "comment":
            continue
        if e.findtext("a:author/a:name", default="", namespaces=ns) != owner:
            continue  # written by visitors, not by the archive's owner
        ref = e.find("thr:in-reply-to", ns)
        parent = posts.get(ref.get("ref")) if ref is not None else None
        rec = {"kind": "comment", "platform": "blog", "created_at": from_iso(e.findtext("a:published", namespaces=ns)),
               "author": {"name": "Export author 15", "role": "staff"},
               "text": cut(strip_html(e.findtext("a:content", default="", namespaces=ns)))}
        if parent:
            rec["in_reply_to"] = {"author": {"name": "Export author 15", "role": "staff"},
                                  "text": cut(parent["title"] + "\n\n" + parent["text"], 400)}
        out.append(("blogger", rel + "#" + e.findtext("a:id", namespaces=ns).rsplit("-", 1)[-1], rec))
    for e in entries:
        if kind(e) == "settings" and e.findtext("a:id", default="", namespaces=ns).endswith("BLOG_DESCRIPTION"):
            link = [l.get("href") for l in feed.findall("a:link", ns) if l.get("rel") == "alternate"]
            prof = {"bio": strip_html(e.findtext("a:content", default="", namespaces=ns))}
            if link:
                prof["website"] = link[0]
            out.append(("blogger", rel + "#BLOG_DESCRIPTION", {
                "kind": "profile", "platform": "blog", "author": {"name": "Export author 15", "role": "staff"},
                "profile": prof}))
    return out


# ---------------------------------------------------------------- labels

# Reviewed content labels: record id -> (clauses, reason). Items not listed are clean.
CONTENT: dict[str, tuple[list[str], str]] = {
    # X / Twitter
    "real-export-x-0054": (["SEC"], "answers a profile quiz with own favourite food, colour and animal and star sign (security-question answers)"),
    # Facebook
    "real-export-fb-0003": (["IC.b", "IC.d", "CB"], "calls an identifiable bouncer violent and a steroid-fuelled douchebag"),
    "real-export-fb-0014": (["FP.d"], "political post on arrests at the presidential inauguration and press freedom"),
    "real-export-fb-0016": (["FP.d"], "political post on corruption protests and a change to a criminal code"),
    "real-export-fb-0018": (["FP.d"], "party politics: urges readers not to vote for a named congressman"),
    "real-export-fb-0021": (["FP.d"], "party politics: accuses a congressman of abuse of power"),
    "real-export-fb-0022": (["SEC"], "cheers on own national football team (favourite team)"),
    "real-export-fb-0023": (["FP.d"], "attacks a head of state's foreign policy"),
    "real-export-fb-0025": (["FP.d"], "party politics: shares a petition against a named Republican congressman's bill"),
    "real-export-fb-0027": (["FP.d"], "political petition on net neutrality"),
    "real-export-fb-0033": (["SEC"], "gives own favourite football team"),
    "real-export-fb-0035": (["FP.d"], "party politics: Republicans and a Supreme Court nomination hearing"),
    # Instagram
    "real-export-ig-0042": (["CB"], "photo of a reunion with other people, posted with the caption"),
    "real-export-ig-0043": (["SEC"], "18th-birthday post that gives own date of birth"),
    "real-export-ig-0056": (["SEC"], "gives own pet's name"),
    "real-export-ig-0062": (["SEC"], "gives own pet's name"),
    "real-export-ig-0071": (["SEC"], "gives own pet's name"),
    # Mastodon
    "real-export-masto-0009": (["IC.a"], "pastes a verse of copyrighted song lyrics"),
    "real-export-masto-0021": (["IC.a"], "pastes copyrighted song lyrics"),
    "real-export-masto-0022": (["IC.a"], "pastes a verse of copyrighted song lyrics"),
    "real-export-masto-0023": (["IC.a"], "pastes two verses of copyrighted song lyrics"),
    "real-export-masto-0029": (["FP.c"], "recounts what was said in a private support-group meeting"),
    "real-export-masto-0032": (["CB"], "photo of another person at lunch (the alt text describes her)"),
    # LinkedIn
    "real-export-li-0006": (["FP.d"], "party politics and religion: a party's vote share against the Muslim population"),
    "real-export-li-0008": (["FP.c"], "passes on what a named colleague said to the author"),
    "real-export-li-0009": (["FP.c"], "passes on a named person's private description of a video"),
    # Blogger
    "real-export-blogger-0019": (["CB"], "personal blog that names and quotes a colleague"),
}


def time_clauses(rec: dict, school: dict) -> list[str]:
    """SN.c / IC.f / PU as CLAUSES.md reads them (staff, personal accounts)."""
    if rec["author"]["role"] != "staff" or not rec.get("created_at"):
        return []
    if rec["author"].get("handle") in (school.get("official_accounts") or []):
        return []
    tz = ZoneInfo(school.get("timezone", "Europe/London"))
    local = dt.datetime.fromisoformat(rec["created_at"]).astimezone(tz)
    day = local.date()
    in_term = any(dt.date.fromisoformat(str(t["start"])) <= day <= dt.date.fromisoformat(str(t["end"]))
                  for t in school.get("term_dates") or [])
    if not in_term or str(day) in {str(h) for h in school.get("holidays") or []}:
        return []
    wd = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][local.weekday()]
    hm = local.strftime("%H:%M")

    def inside(slots):
        return any(wd in s["days"] and s["start"] <= hm < s["end"] for s in slots or [])

    if not inside(school.get("working_hours")):
        return []
    if inside(school.get("breaks")):
        loc = rec.get("location") or {}
        if loc.get("on_school_site") and "staff room" not in (loc.get("place") or "").lower():
            return ["SN.c"]
        return []
    out = ["SN.c", "IC.f"]
    if inside(school.get("sessions")):
        out.append("PU")
    return out


def label(rec: dict, school: dict) -> dict:
    clauses, why = [], []
    if rec["id"] in CONTENT:
        c, reason = CONTENT[rec["id"]]
        clauses += c
        why.append(reason)
    if rec["author"]["role"] == "staff":
        if rec.get("audience") == "public" or (rec.get("profile") or {}).get("visibility") == "public":
            clauses.append("FP.b")
            why.append("the export marks it public (FP.b)")
        t = time_clauses(rec, school)
        if t:
            clauses += t
            why.append("posted in employer time")
    clauses = sorted(set(clauses), key=ORDER.index)
    return {"id": rec["id"], "clauses": clauses, "why": "; ".join(why) if why else "clean: no link to the school and nothing the policy forbids"}


# ---------------------------------------------------------------- main

SHORT = {"x": "x", "facebook": "fb", "instagram": "ig", "mastodon": "masto", "linkedin": "li",
         "wordpress": "wp", "blogger": "blogger"}


def build(root: Path):
    items = twitter(root) + facebook(root) + instagram(root) + mastodon(root) + linkedin(root) + \
        wordpress(root) + blogger(root)
    n, recs, prov = {}, [], []
    for src, key, rec in items:
        n[src] = n.get(src, 0) + 1
        rid = "real-export-%s-%04d" % (SHORT[src], n[src])
        r = {"id": rid}
        r.update(rec)
        recs.append(r)
        prov.append({"id": rid, "source": key})
    return recs, prov


def main(argv=None):
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--exports", type=Path, default=here.parents[3] / "shared" / "data" / "exports")
    ap.add_argument("--school", type=Path, default=here / "school.yaml")
    ap.add_argument("--out", type=Path, default=here / "exports")
    ap.add_argument("--labels", action="store_true", help="also write labels.a.jsonl")
    a = ap.parse_args(argv)
    if not a.exports.is_dir():
        alt = Path("/work/shared/data/exports")
        a.exports = alt if alt.is_dir() else a.exports
    recs, prov = build(a.exports)
    a.out.mkdir(parents=True, exist_ok=True)
    with open(a.out / "records.jsonl", "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(a.out / "provenance.jsonl", "w", encoding="utf-8") as f:
        for p in prov:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    if a.labels:
        school = yaml.safe_load(a.school.read_text(encoding="utf-8"))
        unknown = set(CONTENT) - {r["id"] for r in recs}
        if unknown:
            sys.exit("CONTENT names records that were not built: %s" % sorted(unknown))
        with open(a.out / "labels.a.jsonl", "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(label(r, school), ensure_ascii=False) + "\n")
    counts = {}
    for r in recs:
        counts[r["platform"]] = counts.get(r["platform"], 0) + 1
    print("%d records %s" % (len(recs), counts), file=sys.stderr)


if __name__ == "__main__":
    main()
