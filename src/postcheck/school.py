"""The school context (FORMATS.md section 2): who and what the rules know about.

Loaded from YAML or JSON and validated; a mistake is refused with the file,
the place and how to fix it (:class:`ConfigError`).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from postcheck import safe_yaml
from postcheck.errors import ConfigError

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_INDEX: dict[str, int] = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}


def _parse_clock(value: str) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise ValueError(f"'{value}' is not a time of day; write it as HH:MM, e.g. \"08:30\"") from None


class Slot(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: list[Day]
    start: time
    end: time

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> time:
        if isinstance(value, int):  # YAML reads 08:30 unquoted as sexagesimal minutes
            return time(value // 60, value % 60)
        return _parse_clock(str(value))

    def covers(self, weekday: int, clock: time) -> bool:
        return any(DAY_INDEX[d] == weekday for d in self.days) and self.start <= clock < self.end


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: date
    end: date


class Named(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    role: str | None = None
    children: list[str] = Field(default_factory=list)
    photo_consent: bool | None = None


class School(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    official_accounts: list[str] = Field(default_factory=list)
    timezone: str = "Europe/London"
    working_hours: list[Slot] = Field(default_factory=list)
    breaks: list[Slot] = Field(default_factory=list)
    sessions: list[Slot] = Field(default_factory=list)
    term_dates: list[Term] = Field(default_factory=list)
    holidays: list[date] = Field(default_factory=list)
    pupils: list[Named] = Field(default_factory=list)
    staff: list[Named] = Field(default_factory=list)
    parents: list[Named] = Field(default_factory=list)
    confidential_terms: list[str] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"'{value}' is not a known time zone; use an IANA name such as Europe/London"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def handles(self) -> set[str]:
        return {h.lower().lstrip("@") for h in self.official_accounts}


def load_school(path: str | Path) -> School:
    """Read and validate a school context file (YAML or JSON)."""
    path = Path(path)
    try:
        raw = safe_yaml.load(path.read_text(encoding="utf-8"), str(path))  # YamlError: the place and the fix
    except FileNotFoundError:
        raise ConfigError(f"{path}: school file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML or JSON: {exc}") from None
    return school_from_data(raw, source=str(path))


def school_from_data(raw: Any, source: str = "<school>") -> School:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a school file must be a mapping with at least 'name'")
    try:
        return School.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_explain(source, exc)) from None


def _explain(source: str, exc: ValidationError) -> str:
    lines = [f"{source}: the school context has {exc.error_count()} mistake(s):"]
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required; add it"
        elif err["type"] == "extra_forbidden":
            msg = "unknown key; remove it or check its spelling"
        elif err["type"] == "literal_error":
            msg = f"{msg} (days are mon, tue, wed, thu, fri, sat, sun)"
        elif err["type"].startswith("date"):
            msg = f"{msg}; write dates as YYYY-MM-DD"
        lines.append(f"  {where}: {msg}")
    return "\n".join(lines)
