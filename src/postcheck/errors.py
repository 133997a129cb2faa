"""Errors that front ends turn into exit status 2 with a clear message."""


class ConfigError(Exception):
    """A rulebook or school file is wrong. The message names the file, the place and the fix."""
