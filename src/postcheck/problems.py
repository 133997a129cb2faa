"""Every mistake in a school context or rulebook at once, each as "file:line: field: what; fix".

A user fixing a file wants the whole list in one run, not one mistake per run, and wants to
be sent to the line. Loading stays with the YAML reader; this module only finds where each
field sits (by composing the same text into nodes, which keep their marks) and words the
report. Values are never quoted back for people fields: a mistake must not print a pupil's name.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from postcheck.errors import ConfigError

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    fix: str = ""

    def field(self) -> str:
        return dotted(self.path) or "(top)"


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def did_you_mean(word: str, choices: Iterable[str], synonyms: dict[str, str] | None = None) -> str:
    """ "did you mean 'aliases'?" for a near miss or a known synonym, else the valid keys."""
    choices = sorted(choices)
    hint = (synonyms or {}).get(word.lower())
    if hint is None:
        close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
        hint = close[0] if close else None
    if hint is not None:
        return f"did you mean '{hint}'?"
    return f"expected one of: {', '.join(choices)}"


class LineMap:
    """Line numbers of the fields of a YAML (or JSON) text, by path."""

    def __init__(self, text: str | None) -> None:
        self._lines: dict[Path, int] = {}
        if not text:
            return
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return  # the loader has already said why; no lines is better than none at all
        if node is not None:
            self._walk(node, (), set())

    def _walk(self, node: yaml.Node, path: Path, seen: set[int]) -> None:
        if id(node) in seen:  # an alias: walked once, where it was defined
            return
        seen.add(id(node))
        self._lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
                self._lines[(*path, name)] = key.start_mark.line + 1
                self._walk(value, (*path, name), seen)
                self._lines[(*path, name)] = key.start_mark.line + 1  # the key's line, not the value's
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i), seen)

    def line(self, path: Path) -> int | None:
        """The line of the field, or of its nearest enclosing field that has one."""
        for n in range(len(path), -1, -1):
            hit = self._lines.get(tuple(path[:n]))
            if hit is not None:
                return hit
        return None


def from_pydantic(
    exc: ValidationError, keys: dict[Path, Sequence[str]], synonyms: dict[str, str], hints: dict[str, str] | None = None
) -> list[Problem]:
    """pydantic's errors as problems; ``keys`` gives the valid keys of a place (by its path with list
    indices as 0) for "did you mean"; ``hints`` a fix per error type."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = err["msg"].removeprefix("Value error, ")
        fix = (hints or {}).get(err["type"], "")
        if err["type"] == "missing":
            msg, fix = "required", "add it"
        elif err["type"] == "extra_forbidden":
            parent = tuple(0 if isinstance(p, int) else p for p in loc[:-1])
            msg, fix = "unknown key", did_you_mean(str(loc[-1]), keys.get(parent, ()), synonyms)
        out.append(Problem(loc, msg, fix))
    return out


def report(source: str, what: str, problems: Sequence[Problem], lines: LineMap,
           label: Callable[[Path], str] | None = None) -> ConfigError:
    """One ConfigError naming every problem, in file order, each with its line and fix; ``label``
    names the thing a path is in ("rule pupil-named"), for a reader who does not count list items."""
    where = [(lines.line(p.path), p) for p in problems]
    where.sort(key=lambda lp: lp[0] or 0)
    out = [f"{source}: {what} has {len(problems)} mistake{'s' if len(problems) != 1 else ''}:"]
    for line, p in where:
        at = f"{source}:{line}" if line else source
        named = label(p.path) if label else ""
        field = f"{p.field()} ({named})" if named else p.field()
        out.append(f"  {at}: {field}: {p.message}" + (f"; {p.fix}" if p.fix else ""))
    return ConfigError("\n".join(out))


def dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[Path, str]] = set()
    out = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return out


def value_at(raw: Any, path: Path) -> Any:
    node = raw
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node
