"""What every command module shares: failing with exit status 2, option splitting, a command set.

A front end (the checker, exports, models, the web app) writes its commands on a
:class:`Commands` set and hands it to the CLI, which adds them: nothing imports the CLI's
group to add itself, and the core CLI never imports a front end it does not ship.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import click

FORMATS = ["text", "json", "jsonl", "html", "csv"]


def fail(message: str) -> NoReturn:
    """Say what is wrong with the input or configuration and exit with status 2."""
    click.echo(f"postcheck: {message}", err=True)
    sys.exit(2)


def split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def example_records_path() -> Path:
    return Path(str(resources.files("postcheck.examples").joinpath("records.jsonl")))


class Commands:
    """A front end's commands, declared as on a click group (``@commands.command()``,
    ``@commands.group()``) and added to the CLI by :meth:`register`."""

    def __init__(self) -> None:
        self._group = click.Group()

    def command(self, *args: Any, **kwargs: Any) -> Any:
        return self._group.command(*args, **kwargs)

    def group(self, *args: Any, **kwargs: Any) -> Any:
        return self._group.group(*args, **kwargs)

    def register(self, target: click.Group) -> None:
        for name, command in self._group.commands.items():
            target.add_command(command, name)
