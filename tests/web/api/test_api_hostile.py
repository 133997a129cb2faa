"""The hostile corpus (tests/fuzz/hostile.py) through POST /api/check: one result per list item, in
order, an error on each hostile one, never a 500; a body that is not UTF-8 or too big is one 4xx."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

_spec = importlib.util.spec_from_file_location("fuzz_hostile", Path(__file__).parents[2] / "fuzz" / "hostile.py")
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)


def post(client: Any, token: str, body: bytes) -> Any:
    return client.post("/api/check", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_every_hostile_item_gets_its_own_result(client: Any, token_a: str) -> None:
    # Not as list items: a truncated item leaves the rest of the list unreadable (the body's own 400, below).
    names = [n for n, (line, _) in hostile.LINES.items() if _utf8(line) and len(line) < 400_000 and n != "truncated"]
    items = [hostile.GOOD_LINE, *(hostile.LINES[n][0] for n in names), hostile.over_limit_line(150_000),
             hostile.GOOD_LINE]  # fmt: skip
    response = post(client, token_a, b"[" + b",".join(items) + b"]")
    assert response.status_code == 200, response.content[:300]
    results = json.loads(response.content)
    assert len(results) == len(items)
    assert results[0]["error"] is None and results[-1]["error"] is None
    assert "over the limit of 100,000 per field" in results[-2]["error"]
    for name, result in zip(names, results[1:], strict=False):
        assert not (result["error"] or "").startswith("internal error"), (name, result)
        if hostile.LINES[name][1]:
            assert result["error"], name
    lone = results[1 + names.index("lone surrogate id")]
    assert lone["id"] == "\ud800"  # the id comes back as sent (escaped in the JSON)


def test_a_body_that_is_not_utf8_or_too_big_is_one_error(client: Any, token_a: str) -> None:
    assert post(client, token_a, b"[" + hostile.LINES["invalid UTF-8"][0] + b"]").status_code == 400
    assert post(client, token_a, hostile.LINES["deep array"][0]).status_code in (200, 400)
    assert post(client, token_a, b"[" + hostile.GOOD_LINE + b"," + hostile.LINES["truncated"][0]).status_code == 400
    assert post(client, token_a, b"[" + hostile.over_limit_line(1_100_000) + b"]").status_code in (400, 413)


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
