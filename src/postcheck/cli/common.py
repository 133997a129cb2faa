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

from postcheck.ml.scoring import MODES

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


# The language models and the judge are chosen the same way on every command that checks records.
model_option = click.option(
    "--model",
    "models",
    type=click.Choice(MODES),
    default="linear",
    envvar="POSTCHECK_MODEL",
    show_default=True,
    help="Language models for the rules' model detectors (env POSTCHECK_MODEL).",
)
judge_option = click.option(
    "--judge",
    "judge",
    default="bundled",
    show_default=True,
    help="The trained judge that decides judged rules: 'bundled', a model file, or 'off' (rules alone).",
)


def judge_choice(value: str) -> str | None:
    """--judge as the Checker takes it: 'off' is no judge."""
    return None if value == "off" else value
