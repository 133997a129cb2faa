"""Registered detectors. Importing this package registers every built-in detector."""

from postcheck.detectors import language, metadata, models, names, personal_data  # noqa: F401
from postcheck.detectors.base import REGISTRY, Detector, Evidence, build, register

__all__ = ["REGISTRY", "Detector", "Evidence", "build", "register"]
