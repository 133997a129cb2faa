"""Reporters turn results into what a reader needs: JSON Lines, JSON, or text for people."""

from postcheck.reporters.base import Reporter, Summary, get_reporter

__all__ = ["Reporter", "Summary", "get_reporter"]
