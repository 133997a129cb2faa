"""The rulebook: the policy as data (clauses and rules), loaded and checked.

A rulebook file (YAML) has ``clauses`` (reference -> who it binds, breach or
advisory, the policy's words) and ``rules`` (name, code, clauses, roles,
severity, detectors with parameters, message, advice, documentation).
Mistakes are refused with the file, the place and the fix (ConfigError).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from postcheck import safe_yaml
from postcheck.errors import ConfigError
from postcheck.model import CLAUSES, Role

DEFAULT_RULEBOOK = "lancastrian.yaml"


class ClauseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section: str
    covers: str
    who: list[Role]
    kind: Literal["breach", "advisory"]
    policy: str  # the policy's own words; {school} stands for the school's name

    def text(self, school: str | None = None) -> str:
        return self.policy.replace("{school}", school or "the school")


class DetectorUse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    detector: str
    params: dict[str, Any] = Field(default_factory=dict)


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9-]+$")
    code: str = Field(pattern=r"^[A-Z]+[0-9]{3}$")
    clauses: list[str] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    severity: Literal["breach", "advisory"]
    accounts: Literal["personal", "official", "any"] = "any"
    kinds: list[str] | None = None
    detectors: list[DetectorUse] = Field(min_length=1)
    match: Literal["all", "any"] = "all"
    unless: list[DetectorUse] = Field(default_factory=list)
    threshold: float = Field(0.5, ge=0.0, le=1.0)
    # Judged rules do not decide alone: their detectors are evidence and features, and the trained
    # judge (postcheck.judge) decides their clauses from a reading of the whole record.
    judged: bool = False
    message: str
    advice: str
    doc: str
    fires: str  # an example that fires, for `postcheck explain`
    clean: str  # its nearest example that does not

    @model_validator(mode="after")
    def _clauses_known(self) -> RuleSpec:
        unknown = [c for c in self.clauses if c not in CLAUSES]
        if unknown:
            raise ValueError(
                f"unknown clause {', '.join(unknown)}; clauses are {', '.join(CLAUSES)}"
            )
        return self


class RulebookSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    version: str
    clauses: dict[str, ClauseSpec]
    rules: list[RuleSpec]


@dataclass
class Rulebook:
    spec: RulebookSpec
    source: str
    rules: list[RuleSpec] = field(init=False)

    def __post_init__(self) -> None:
        self.rules = self.spec.rules

    @property
    def clauses(self) -> dict[str, ClauseSpec]:
        return self.spec.clauses

    def rule(self, key: str) -> RuleSpec | None:
        key_l = key.lower()
        return next((r for r in self.rules if r.name == key_l or r.code.lower() == key_l), None)

    def select(self, select: list[str] | None, ignore: list[str] | None) -> list[RuleSpec]:
        """Rules chosen by name, code or clause prefix (``IC.``, ``SN.names``), as ruff does."""

        def hit(rule: RuleSpec, key: str) -> bool:
            k = key.strip()
            if k.lower() in (rule.name, rule.code.lower()):
                return True
            return any(c == k or (k.endswith(".") and c.startswith(k)) or c.startswith(k + ".")
                       for c in rule.clauses)  # fmt: skip

        chosen = [r for r in self.rules if not select or any(hit(r, k) for k in select)]
        return [r for r in chosen if not ignore or not any(hit(r, k) for k in ignore)]

    def check_selectors(self, keys: list[str]) -> None:
        for k in keys:
            if not self.select([k], None):
                raise ConfigError(
                    f"--select/--ignore {k!r} matches no rule; use a rule name, a code "
                    f"or a clause (prefix) such as 'IC.' or 'SN.names' (see `postcheck rules`)"
                )


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    if path is None:
        source = f"postcheck/rulebook/{DEFAULT_RULEBOOK}"
        text = resources.files("postcheck.rulebook").joinpath(DEFAULT_RULEBOOK).read_text("utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: rulebook file not found") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        raw = safe_yaml.load(text, source)  # YamlError (a ConfigError): the place and the fix
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from None
    return rulebook_from_data(raw, source)


def rulebook_from_data(raw: Any, source: str = "<rulebook>") -> Rulebook:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a rulebook must be a mapping with 'clauses' and 'rules'")
    try:
        spec = RulebookSpec.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_explain(source, raw, exc)) from None
    problems = _consistency(spec)
    if problems:
        raise ConfigError(f"{source}:\n" + "\n".join(f"  {p}" for p in problems))
    return Rulebook(spec, source)


def _consistency(spec: RulebookSpec) -> list[str]:
    """Cross-checks that the schema cannot express: the Who column, severities, unique names."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, rule in enumerate(spec.rules):
        where = f"rules[{i}] ({rule.name})"
        for key in (rule.name, rule.code):
            if key in seen:
                out.append(f"{where}: {key!r} is already used by rules[{seen[key]}]; names and codes are unique")
            seen[key] = i
        for c in rule.clauses:
            clause = spec.clauses.get(c)
            if clause is None:
                out.append(f"{where}: clause {c} is not defined under 'clauses'; add it there")
                continue
            extra = [r.value for r in rule.roles if r not in clause.who]
            if extra:
                out.append(
                    f"{where}: clause {c} does not bind {', '.join(extra)} (it binds "
                    f"{', '.join(r.value for r in clause.who)}); remove those roles or the clause"
                )
        kinds = {spec.clauses[c].kind for c in rule.clauses if c in spec.clauses}
        want = "breach" if "breach" in kinds else "advisory"
        if kinds and rule.severity != want:
            out.append(f"{where}: severity {rule.severity!r} but its clauses make it {want!r}")
    return out


def _explain(source: str, raw: dict[str, Any], exc: ValidationError) -> str:
    lines = [f"{source}: the rulebook has {exc.error_count()} mistake(s):"]
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        where = ""
        for part in loc:
            where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rules = raw.get("rules") or []
            if loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
                where += f" (rule {rules[loc[1]].get('name', '?')})"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required; add it"
        elif err["type"] == "extra_forbidden":
            msg = "unknown key; remove it or check its spelling"
        elif err["type"] == "enum":
            msg = f"{msg} (roles are staff, governor, parent, carer, pupil, public)"
        lines.append(f"  {where}: {msg}")
    return "\n".join(lines)
