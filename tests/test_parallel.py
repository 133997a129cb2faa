"""postcheck scan --workers N and --engine dask: the same output, in the same order, as one process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from postcheck.cli import main
from postcheck.exports import ExportError, RecordItem
from postcheck.parallel import check_stream

EXPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "exports"
MASTODON = EXPORTS / "mastodon" / "dealingwith"
EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "postcheck" / "examples" / "records.jsonl"
N = 3000


def scan(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["scan", *args, "--author", "Sam Jones", "--role", "staff", "--format", "jsonl"],
                             catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSONL export of N records built from the bundled examples, with bad lines among them."""
    examples = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder = tmp_path_factory.mktemp("export")
    with (folder / "records.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(N):
            if i % 997 == 500:
                fh.write("{not json\n")
            elif i % 997 == 800:
                fh.write(json.dumps({"id": f"bad{i}", "kind": "post", "author": {"name": "X", "role": "staff"},
                                     "created_at": "not a date", "text": "hello"}) + "\n")
            else:
                fh.write(json.dumps({**examples[i % len(examples)], "id": f"r{i}"}, ensure_ascii=False) + "\n")
    return folder


@pytest.fixture(scope="module")
def serial(export: Path) -> str:
    code, out, _ = scan(str(export))
    assert code == 2  # the bad lines
    return out


def test_workers_give_the_same_output_in_the_same_order(export: Path, serial: str) -> None:
    code, out, err = scan(str(export), "--workers", "2")
    assert code == 2
    assert out == serial
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == N
    errors = [x for x in lines if x["error"]]
    assert len(errors) == 6 and all("records.jsonl" in x["error"] for x in errors)
    assert err.count("records.jsonl") == 3  # the unreadable lines are also warned about, once each


@pytest.mark.skipif(not MASTODON.is_dir(), reason="shared export samples not present")
def test_workers_on_the_mastodon_sample() -> None:
    one = scan(str(MASTODON))
    two = scan(str(MASTODON), "--workers", "2")
    assert one[0] == two[0]
    assert one[1] == two[1] and one[1].count("\n") > 1000


def test_check_stream_keeps_order_with_small_chunks() -> None:
    examples = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [RecordItem({**examples[i % len(examples)], "id": f"x{i}"}, "s") for i in range(200)]
    items.insert(50, ExportError("s", "broken"))  # type: ignore[arg-type]
    got = list(check_stream(iter(items), workers=2, chunk=7, with_record=True))
    want = list(check_stream(iter(items), workers=1))
    assert [r.to_json() for _, r, _ in got] == [r.to_json() for _, r, _ in want]
    assert [i for i, _, _ in got] == items
    assert got[50][1].error == "s: broken" and got[50][2] is None
    assert all(rec is not None for _, r, rec in got if not r.error)


def test_dask_needs_a_scheduler(export: Path) -> None:
    code, _, err = scan(str(export), "--engine", "dask")
    assert code == 2 and "--scheduler" in err


def test_dask_cluster_gives_the_same_output_in_the_same_order(export: Path, serial: str) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        code, out, err = scan(str(export), "--engine", "dask", "--scheduler", cluster.scheduler_address)
        assert code == 2
        assert out == serial
        assert err.count("records.jsonl") == 3
        if MASTODON.is_dir():
            assert scan(str(MASTODON), "--engine", "dask", "--scheduler", cluster.scheduler_address)[1] == \
                scan(str(MASTODON))[1]


def test_no_progress_bar_off_a_terminal(export: Path) -> None:
    from postcheck.cli.exports import _Progress

    p = _Progress(enabled=False)
    p.DELAY = 0
    for _ in range(1000):
        p.advance()
    assert p._bar is None and p.count == 1000


def test_progress_bar_starts_after_the_delay_and_closes(monkeypatch: pytest.MonkeyPatch) -> None:
    from postcheck.cli.exports import _Progress

    p = _Progress(enabled=True)
    p.DELAY = 0
    p.advance()
    assert p._bar is not None
    p.warn("a.json", "cannot read")
    p.close()
    assert p._bar is None
