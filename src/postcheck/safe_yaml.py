"""Reading YAML (or JSON) that a user wrote: school contexts, rulebooks, the web context editor.

PyYAML's safe_load is safe from code execution, not from cost. Aliases share one object when
loaded, but anything that walks or stores the result (validation, JSON in the database) expands
them: 600 bytes of nested aliases became 910 KB, and nine levels would be gigabytes. Deep nesting
overflows the composer's recursion, an impossible date or a 5,000-digit integer raises a bare
ValueError. This loader refuses each of those while reading, before anything is built, with the
place and the fix: ``file:line:column: what; fix`` (YamlError, a ConfigError).

The checks are made in the composer, on nodes, where an alias is still one node: the nesting
depth as each node opens, the number of aliases, and then the size of the document as if every
alias were written out (computed once per node, so a bomb costs no more than its text).
"""

from __future__ import annotations

import datetime
from typing import Any

import yaml

from postcheck.errors import ConfigError
from postcheck.limits import MAX_DEPTH

MAX_CHARS = 2 << 20  # a school of 2,000 pupils with parents and aliases is about 300 KB
MAX_ALIASES = 100  # the bundled files use none; a few are a convenience, thousands a bomb
MAX_EXPANDED = 2 * MAX_CHARS  # characters (and nodes) with every alias written out
MAX_INT_DIGITS = 9  # no setting needs a bigger number; time() and timedelta() overflow past it


class YamlError(ConfigError):
    """A YAML text refused, with the place: ``line`` and ``column`` count from 1 (0: unknown)."""

    def __init__(self, source: str, line: int, column: int, problem: str, fix: str) -> None:
        self.source, self.line, self.column, self.problem, self.fix = source, line, column, problem, fix
        where = f"{source}:{line}:{column}" if line else source
        super().__init__(f"{where}: {problem}; {fix}")

    def located(self) -> str:
        """The message without the source, for a form that shows it beside the text."""
        where = f"Line {self.line}, column {self.column}: " if self.line else ""
        return f"{where}{self.problem}; {self.fix}"


class _Refused(yaml.MarkedYAMLError):
    def __init__(self, mark: yaml.Mark | None, problem: str, fix: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.fix = fix


class _Loader(yaml.SafeLoader):
    """SafeLoader with a depth and alias budget in the composer and checked ints and dates."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(self.peek_event().start_mark, f"more than {MAX_ALIASES} aliases (*name)",
                               "write the values out, or use fewer aliases")  # fmt: skip
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(self.peek_event().start_mark, f"nested more than {MAX_DEPTH} levels deep",
                           "flatten it: no school context or rulebook nests that deep")  # fmt: skip
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        # Decimal text over 4,300 digits raises ValueError in int(); read no more than a bound.
        if len(node.value.replace("_", "").lstrip("+-")) > 2 * MAX_INT_DIGITS + 2:
            value = None
        else:
            value = super().construct_yaml_int(node)
        if value is None or abs(value) >= 10**MAX_INT_DIGITS:
            raise _Refused(node.start_mark, f"a number over {10**MAX_INT_DIGITS - 1:,}",
                           "no setting takes a number that big; put it in quotes if it is text")  # fmt: skip
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> datetime.date | datetime.datetime:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[no-any-return]
        except (ValueError, OverflowError):
            raise _Refused(node.start_mark, f"{node.value[:40]!r} is not a real date or time",
                           "write dates as YYYY-MM-DD (for example 2026-09-02)") from None  # fmt: skip


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _expanded(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Characters plus nodes of ``node`` with every alias written out, counted once per node (memo);
    _Refused at the first node over MAX_EXPANDED."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if isinstance(node, yaml.ScalarNode):
        size = 1 + len(node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded(k, sizes) + _expanded(v, sizes) for k, v in node.value)
    else:
        size = 1 + sum(_expanded(item, sizes) for item in node.value)
    if size > MAX_EXPANDED:  # post-order: the innermost node that crosses the limit is named
        raise _Refused(node.start_mark, f"over {MAX_EXPANDED:,} characters once its aliases are expanded",
                       "write the values out instead of repeating aliases")  # fmt: skip
    sizes[id(node)] = size  # depth is bounded by the composer, so this recursion is too
    return size


def load(text: str, source: str = "<yaml>", *, max_chars: int = MAX_CHARS) -> Any:
    """The one document in ``text``, or YamlError saying where and what to change.

    Every problem of reading is a YamlError: bad syntax, over ``max_chars``, too deep, too many
    aliases, too big once aliases are expanded, a huge integer, an impossible date, several
    documents. What the document means is the validator's business, not this one's.
    """
    if len(text) > max_chars:
        raise YamlError(source, 0, 0, f"{len(text):,} characters, over the limit of {max_chars:,}",
                        "a school context or rulebook is far smaller; check that this is the right file")  # fmt: skip
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded(node, {})
        return loader.construct_document(node)
    except _Refused as exc:
        mark = exc.problem_mark
        raise _error(source, mark, exc.problem or "", exc.fix) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise _error(source, mark, problem, "fix the syntax there (the text is not valid YAML or JSON)") from None
    except RecursionError:  # a deep flow ('[[[[...') recurses in the parser before a node is composed
        raise YamlError(source, 0, 0, f"nested more than {MAX_DEPTH} levels deep", "flatten it") from None
    finally:
        loader.dispose()


def _error(source: str, mark: yaml.Mark | None, problem: str, fix: str) -> YamlError:
    if mark is None:
        return YamlError(source, 0, 0, problem, fix)
    return YamlError(source, mark.line + 1, mark.column + 1, problem, fix)
