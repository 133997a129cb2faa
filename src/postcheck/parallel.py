"""Check a stream of export items on several processes, or on a Dask cluster, in input order.

The plumbing is the same whatever runs the checks: items are cut into chunks,
at most a few chunks are in flight at once (so memory stays flat whatever the
export's size), and results come back in the order the items went in. Each
worker compiles the rulebook and school once and reuses the compiled checker for
every chunk it is given.

The rulebook and school travel as text (read once here), not as paths, so the
workers of a cluster need postcheck installed but not the trust's files.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postcheck.errors import ConfigError

if TYPE_CHECKING:
    from postcheck.engine import Checker
    from postcheck.exports import Item
    from postcheck.model import Record, Result

ENGINES = ("local", "dask")
CHUNK = 256


@dataclass(frozen=True)
class CheckerConfig:
    """A rulebook and a school as text; ``None`` means the bundled one."""

    policy_text: str | None = None
    policy_source: str = "<rulebook>"
    school_text: str | None = None
    school_source: str = "<school>"
    key: str = field(default="", compare=False)
    judge: str | None = "bundled"  # the trained judge: "bundled", a model file, or None (rules alone)
    models: str = "linear"  # the language models: linear, encoder, auto or off

    @classmethod
    def from_paths(cls, policy: str | Path | None, school: str | Path | None) -> CheckerConfig:
        def read(path: str | Path | None, what: str) -> str | None:
            if path is None:
                return None
            try:
                return Path(path).read_text(encoding="utf-8")
            except FileNotFoundError:
                raise ConfigError(f"{path}: {what} file not found") from None
            except UnicodeDecodeError as exc:
                raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None

        p, s = read(policy, "rulebook"), read(school, "school")
        key = hashlib.sha256(repr((p, s)).encode("utf-8")).hexdigest()
        return cls(p, str(policy or "<rulebook>"), s, str(school or "<school>"), key)

    def build(self) -> Checker:
        from postcheck import safe_yaml
        from postcheck.engine import Checker
        from postcheck.rulebook import load_rulebook, rulebook_from_data
        from postcheck.school import school_from_data

        parse = safe_yaml.load  # the same budget on aliases, depth and numbers as --school and --policy

        rulebook = (load_rulebook() if self.policy_text is None
                    else rulebook_from_data(parse(self.policy_text, self.policy_source), self.policy_source,
                                            text=self.policy_text))
        school = None if self.school_text is None else school_from_data(parse(self.school_text, self.school_source),
                                                                        self.school_source, text=self.school_text,
                                                                        roles=rulebook.parent_roles)
        return Checker(rulebook, school, judge=self.judge, models=self.models)


def check_item(checker: Checker, item: Item, with_record: bool = True) -> tuple[Result, Record | None]:
    """One export item to its result (and the parsed record, for reporters that show the text)."""
    from postcheck.exports import ExportError
    from postcheck.model import Result, parse_record

    if isinstance(item, ExportError):
        return Result(id=None, error=f"{item.source}: {item.reason}"), None
    record: Record | None
    try:
        record = parse_record(item.record)
    except ValueError:
        record = None  # check_result names the bad field
    result = checker.check_result(record if record is not None else item.record)
    if result.error:
        result.error = f"{item.source}: {result.error}"
    return result, (record if with_record else None)


# --- worker side ---------------------------------------------------------------------------------------------------

_CHECKERS: dict[str, Checker] = {}
_LOCK = threading.Lock()


def _checker_for(config: CheckerConfig) -> Checker:
    """The worker's compiled checker for this rulebook and school, built on first use."""
    checker = _CHECKERS.get(config.key)
    if checker is None:
        with _LOCK:
            checker = _CHECKERS.get(config.key)
            if checker is None:
                checker = _CHECKERS[config.key] = config.build()
    return checker


_WORKER_CONFIG: CheckerConfig | None = None


def _init_worker(config: CheckerConfig) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    _checker_for(config)


def _local_chunk(items: list[Item], with_record: bool) -> list[tuple[Result, Record | None]]:
    assert _WORKER_CONFIG is not None
    checker = _checker_for(_WORKER_CONFIG)
    return [check_item(checker, item, with_record) for item in items]


def _dask_chunk(config: CheckerConfig, items: list[Item], with_record: bool) -> list[tuple[Result, Record | None]]:
    checker = _checker_for(config)
    return [check_item(checker, item, with_record) for item in items]


# --- client side ---------------------------------------------------------------------------------------------------


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ordered(chunks: Iterator[list[Item]], submit: Any, window: int) -> Iterator[tuple[Item, Result, Record | None]]:
    """Keep at most ``window`` chunks in flight; yield their results in input order."""
    pending: deque[tuple[list[Item], Any]] = deque()
    for chunk in chunks:
        pending.append((chunk, submit(chunk)))
        while len(pending) >= window:
            yield from _collect(*pending.popleft())
    while pending:
        yield from _collect(*pending.popleft())


def _collect(chunk: list[Item], future: Any) -> Iterator[tuple[Item, Result, Record | None]]:
    for item, (result, record) in zip(chunk, future.result(), strict=True):
        yield item, result, record


def check_stream(
    items: Iterable[Item],
    *,
    policy: str | Path | None = None,
    school: str | Path | None = None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    chunk: int = CHUNK,
    with_record: bool = True,
    config: CheckerConfig | None = None,
    checker: Checker | None = None,
) -> Iterator[tuple[Item, Result, Record | None]]:
    """Check every item; yield ``(item, result, record)`` in input order.

    ``config`` (from :meth:`CheckerConfig.from_paths`) replaces ``policy`` and ``school``; ``checker``,
    already built from it, saves building it again here.
    ``engine="local"`` with ``workers=1`` checks in this process;
    ``workers>1`` uses that many processes on this machine. ``engine="dask"`` sends the
    chunks to the Dask scheduler at ``scheduler`` (``tcp://host:8786``). ``with_record=False``
    leaves the parsed record out, which saves sending it back from the workers.
    Raises ConfigError for a bad rulebook or school, before any item is read.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; engines are {', '.join(ENGINES)}")
    if chunk < 1 or workers < 1:
        raise ValueError("chunk and workers must be at least 1")
    if engine == "dask" and not scheduler:
        raise ValueError("the dask engine needs a scheduler address (tcp://host:8786)")
    config = config or CheckerConfig.from_paths(policy, school)
    checker = checker or config.build()  # a bad rulebook fails here, once, not in every worker
    if engine == "dask":
        return _dask(items, config, _connect(scheduler or ""), chunk, with_record)
    if workers == 1:
        return _serial(items, checker, with_record)
    return _local(items, config, workers, chunk, with_record)


def _serial(items: Iterable[Item], checker: Checker, with_record: bool) -> Iterator[tuple[Item, Result, Record | None]]:
    for item in items:
        result, record = check_item(checker, item, with_record)
        yield item, result, record


def _local(items: Iterable[Item], config: CheckerConfig, workers: int, chunk: int,
           with_record: bool) -> Iterator[tuple[Item, Result, Record | None]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the same on every platform, and safe beside threads (the progress bar has one)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(config,)) as pool:
        yield from _ordered(_chunks(items, chunk), lambda c: pool.submit(_local_chunk, c, with_record),
                            window=2 * workers)


def _connect(scheduler: str) -> Any:
    """A Client for the scheduler; raises ConfigError without dask.distributed, OSError when unreachable."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("the dask engine needs dask.distributed: pip install 'postcheck[dask]'") from None
    return Client(scheduler, set_as_default=False, timeout=30)


def _dask(items: Iterable[Item], config: CheckerConfig, client: Any, chunk: int,
          with_record: bool) -> Iterator[tuple[Item, Result, Record | None]]:
    with client:
        slots = max(1, sum(client.nthreads().values()))
        [shared] = client.scatter([config], broadcast=True, hash=False)

        def submit(c: list[Item]) -> Any:
            return client.submit(_dask_chunk, shared, c, with_record, pure=False)

        yield from _ordered(_chunks(items, chunk), submit, window=2 * slots)
