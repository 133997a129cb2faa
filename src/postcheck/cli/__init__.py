"""The command line: one click group to which each front end adds its commands.

  checking   check, rules, explain, detectors
  policy     validate, school show, test, docs (rulebooks and school contexts)
  exports    convert, scan
  ml         train
  plugins    whatever installed packages declare under the ``postcheck.commands`` entry point
             (the web app's migrate, serve, worker, demo, audit, token, purge, sar, manage)

Exit status: 0 clean, 1 findings, 2 when any input or configuration was bad.
"""

from __future__ import annotations

import click

from postcheck.cli import checking, exports, ml, policy
from postcheck.cli.common import FORMATS, example_records_path

__all__ = ["FORMATS", "example_records_path", "main"]

ENTRY_POINT_GROUP = "postcheck.commands"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="postcheck")
def main() -> None:
    """Check social media posts against a school's social media policy, offline."""


def _plugins(group: click.Group) -> None:
    """Commands from installed front ends: each entry point is a ``register(group)`` function.
    Loading one imports only its command module (the web app imports Django when a command runs)."""
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            register = entry.load()
        except ImportError:  # the front end's extra is not installed: its commands are absent
            continue
        register(group)


for _module in (checking, policy, exports, ml):
    _module.commands.register(main)
_plugins(main)

if __name__ == "__main__":  # pragma: no cover
    main()
