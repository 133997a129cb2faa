"""Checking a rulebook as a whole: every section, every rule, every detector, every mistake at once.

A rule is validated on its own, so one bad rule does not hide the mistakes of the next; the
cross-checks (declared clauses and roles, the Who column, severities, unique names and codes,
detector names and parameters, record kinds) run on every rule that could be read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from postcheck.problems import Path, Problem, did_you_mean, from_pydantic
from postcheck.rulebook import (
    DEFAULT_ROLES,
    KINDS,
    ROSTER_SECTIONS,
    ClauseSpec,
    RoleSpec,
    RulebookSpec,
    RuleSpec,
    TermsSpec,
)

_ROLE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
SYNONYMS = {"clause": "clauses", "role": "roles", "detector": "detectors", "example": "fires",
            "examples": "fires", "fire": "fires", "negative": "clean", "vocabulary": "vocabularies",
            "words": "vocabularies", "term": "terms", "wording": "terms", "kind": "kinds", "params": "params",
            "parameters": "params"}  # fmt: skip


def validate(raw: dict[str, Any]) -> tuple[RulebookSpec | None, list[Problem]]:
    problems: list[Problem] = []
    top = set(RulebookSpec.model_fields)
    for key in raw:
        if key not in top:
            problems.append(Problem((key,), "unknown key", did_you_mean(str(key), top, SYNONYMS)))
    for key in ("name", "version", "clauses", "rules"):
        if key not in raw:
            problems.append(Problem((key,), "required", "add it"))
    head = {k: v for k, v in raw.items() if k in ("name", "version", "organisation")}
    head.setdefault("name", "?")
    head.setdefault("version", "?")
    problems += _errors(lambda: RulebookSpec.model_validate({**head, "clauses": {}, "rules": []}), ())

    roles = _section(_roster_checked(raw, problems), "roles", RoleSpec, problems)
    if "roles" not in raw:
        roles = dict(DEFAULT_ROLES)
    for name in roles:
        if not _ROLE.fullmatch(str(name)):
            problems.append(Problem(("roles", name), "not a role name", "use a lower-case word: instructor, client"))
    vocab = _vocabularies(raw, problems)
    problems += _terms(raw)
    clauses = _section(raw, "clauses", ClauseSpec, problems)
    for ref, clause in clauses.items():
        for i, who in enumerate(clause.who):
            if who not in roles:
                problems.append(Problem(("clauses", ref, "who", i), f"unknown role '{who}'", _role_fix(who, roles)))
    rules: list[RuleSpec] = []
    raw_rules = raw.get("rules")
    if raw_rules is not None and not isinstance(raw_rules, list):
        problems.append(Problem(("rules",), "must be a list of rules", "write each rule as '- name: ...'"))
        raw_rules = []
    for i, rule_raw in enumerate(raw_rules or []):
        where: Path = ("rules", i)
        if not isinstance(rule_raw, dict):
            problems.append(Problem(where, "a rule must be a mapping", "see docs/rulebook-language.md"))
            continue
        rule_raw = _with_vocabularies(rule_raw, vocab, where, problems)
        for key in rule_raw:
            if key not in RuleSpec.model_fields:
                fix = did_you_mean(str(key), RuleSpec.model_fields, SYNONYMS)
                problems.append(Problem((*where, key), "unknown key", fix))
        known = {k: v for k, v in rule_raw.items() if k in RuleSpec.model_fields}  # named above; check the rest
        try:
            rule = RuleSpec.model_validate(known)
        except ValidationError as exc:
            problems += [Problem((*where, *p.path), p.message, p.fix) for p in from_pydantic(exc, {}, SYNONYMS)]
            problems += _raw_detector_problems(known, where)
            continue
        rules.append(rule)
        problems += _rule_problems(rule, where, clauses, roles)
    problems += _unique(rules, raw_rules or [])
    if problems:
        return None, problems
    return RulebookSpec.model_validate({**raw, "rules": [r.model_dump() for r in rules]}), []


# What people write for a roster section ("did you mean 'pupils'?").
ROSTER_SYNONYMS = {"pupil": "pupils", "student": "pupils", "students": "pupils", "children": "pupils",
                   "parent": "parents", "carer": "parents", "carers": "parents", "family": "parents",
                   "governor": "governors", "instructor": "staff", "instructors": "staff", "employees": "staff",
                   "employee": "staff", "teachers": "staff"}  # fmt: skip


def _roster_checked(raw: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """``raw`` with each role's ``roster`` checked here, by name with "did you mean" and the fix, and
    a wrong one left out, so the role itself still exists and no other mistake follows from it."""
    value = raw.get("roles")
    if not isinstance(value, dict):
        return raw
    roles: dict[Any, Any] = {}
    for name, item in value.items():
        if isinstance(item, dict) and "roster" in item and item["roster"] is not None:
            section = item["roster"]
            if section not in ROSTER_SECTIONS:
                hint = did_you_mean(str(section), ROSTER_SECTIONS, ROSTER_SYNONYMS)
                problems.append(Problem(("roles", str(name), "roster"), f"{section!r} is not a roster section",
                                        f"{hint} (the school context's sections: {', '.join(ROSTER_SECTIONS)}; "
                                        "leave it out for a role nobody on the roster has)"))  # fmt: skip
                item = {k: v for k, v in item.items() if k != "roster"}
        roles[name] = item
    return {**raw, "roles": roles}


def _errors(make: Any, where: Path) -> list[Problem]:
    try:
        make()
    except ValidationError as exc:
        return [Problem((*where, *p.path), p.message, p.fix) for p in from_pydantic(exc, {}, SYNONYMS)]
    return []


def _section(raw: dict[str, Any], key: str, model: type[BaseModel], problems: list[Problem]) -> dict[str, Any]:
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem((key,), "must be a mapping", f"write '{key}:' with one entry per line"))
        return {}
    out: dict[str, Any] = {}
    for name, item in value.items():
        try:
            out[str(name)] = model.model_validate(item)
        except ValidationError as exc:
            fields: dict[Path, Sequence[str]] = {(): tuple(model.model_fields)}
            problems += [Problem((key, str(name), *p.path), p.message, p.fix)
                         for p in from_pydantic(exc, fields, SYNONYMS)]  # fmt: skip
    return out


def _terms(raw: dict[str, Any]) -> list[Problem]:
    """The ``terms:`` section: known keys (with "did you mean"), words as text, lists of valid patterns."""
    value = raw.get("terms")
    if value is None:
        return []
    if not isinstance(value, dict):
        return [Problem(("terms",), "must be a mapping", "write 'terms:' with one entry per line")]
    try:
        TermsSpec.model_validate(value)
    except ValidationError as exc:
        fields: dict[Path, Sequence[str]] = {(): tuple(TermsSpec.model_fields)}
        return [Problem(("terms", *p.path), p.message, p.fix) for p in from_pydantic(exc, fields, SYNONYMS)]
    return []


def _vocabularies(raw: dict[str, Any], problems: list[Problem]) -> dict[str, list[str]]:
    value = raw.get("vocabularies") or {}
    out: dict[str, list[str]] = {}
    if not isinstance(value, dict):
        problems.append(Problem(("vocabularies",), "must be a mapping of name to a list of words", ""))
        return out
    for name, words in value.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            problems.append(Problem(("vocabularies", name), "must be a list of words or phrases", ""))
        else:
            out[str(name)] = words
    return out


def _with_vocabularies(
    rule: dict[str, Any], vocab: dict[str, list[str]], where: Path, problems: list[Problem]
) -> dict[str, Any]:
    """A parameter written ``{vocabulary: NAME}`` is the rulebook's word list NAME."""

    def sub(value: Any, path: Path) -> Any:
        if isinstance(value, dict):
            if set(value) == {"vocabulary"}:
                name = value["vocabulary"]
                if name not in vocab:
                    problems.append(Problem(path, f"unknown vocabulary '{name}'", did_you_mean(str(name), vocab)))
                    return []
                return list(vocab[name])
            return {k: sub(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [sub(v, (*path, i)) for i, v in enumerate(value)]
        return value

    return {k: sub(v, (*where, k)) if k in ("detectors", "unless") else v for k, v in rule.items()}


def _role_fix(role: str, roles: dict[str, Any]) -> str:
    return f"{did_you_mean(role, roles)} (declare it under 'roles:', or use one of {', '.join(roles)})"


def _rule_problems(
    rule: RuleSpec, where: Path, clauses: dict[str, ClauseSpec], roles: dict[str, RoleSpec]
) -> list[Problem]:
    out: list[Problem] = []
    for i, role in enumerate(rule.roles):
        if role not in roles:
            out.append(Problem((*where, "roles", i), f"unknown role '{role}'", _role_fix(role, roles)))
        elif roles[role].protected or not roles[role].bound:
            out.append(
                Problem(
                    (*where, "roles", i),
                    f"'{role}' is not bound by this rulebook",
                    "a rule binds only roles with 'bound: true'",
                )
            )
    for i, ref in enumerate(rule.clauses):
        clause = clauses.get(ref)
        if clause is None:
            fix = did_you_mean(ref, clauses) if clauses else "declare the clause under 'clauses:'"
            out.append(Problem((*where, "clauses", i), f"clause {ref} is not declared under 'clauses'", fix))
            continue
        extra = [r for r in rule.roles if r not in clause.who]
        if extra:
            out.append(
                Problem(
                    (*where, "roles"),
                    f"clause {ref} does not bind {', '.join(extra)} (it binds {', '.join(clause.who)})",
                    "remove those roles or the clause",
                )
            )
    kinds = {clauses[c].kind for c in rule.clauses if c in clauses}
    want = "breach" if "breach" in kinds else "advisory"
    if kinds and rule.severity != want:
        out.append(
            Problem(
                (*where, "severity"), f"'{rule.severity}' but its clauses make it '{want}'", f"write severity: {want}"
            )
        )
    try:  # the engine fills in the message; a bad placeholder must fail here, not on a record
        rule.message.format(subject="", why="")
    except (KeyError, IndexError, ValueError) as exc:
        out.append(
            Problem(
                (*where, "message"),
                f"bad placeholder {exc}",
                "only {subject} and {why} can be filled in; write {{ and }} for braces",
            )
        )
    for i, kind in enumerate(rule.kinds or []):
        if kind not in KINDS:
            out.append(Problem((*where, "kinds", i), f"unknown kind '{kind}'", f"{did_you_mean(kind, KINDS)} "))
    for what in ("detectors", "unless"):
        for i, use in enumerate(getattr(rule, what)):
            out += detector_problems(use.detector, use.params, (*where, what, i))
    return out


def detector_problems(name: str, params: dict[str, Any], where: Path) -> list[Problem]:
    """Is the detector registered, and are its parameters what it takes? (Not built: building
    may load a model; ``check`` builds it, and refuses nothing that passed here.)"""
    from postcheck.rulebook.conditions import REGISTRY  # the built-in detectors and the conditions

    cls = REGISTRY.get(name)
    if cls is None:
        return [
            Problem(
                (*where, "detector"),
                f"unknown detector '{name}'",
                f"{did_you_mean(name, REGISTRY)} (postcheck detectors lists them)",
            )
        ]
    try:
        parsed = cls.Params.model_validate(params or {})
    except ValidationError as exc:
        keys: dict[Path, Sequence[str]] = {(): tuple(cls.Params.model_fields)}
        return [Problem((*where, "params", *p.path), p.message, p.fix) for p in from_pydantic(exc, keys, {})]
    out: list[Problem] = []
    for i, part in enumerate(getattr(parsed, "detectors", None) or [] if name == "any_of" else []):
        if not isinstance(part, dict) or "detector" not in part or set(part) - {"detector", "params"}:
            out.append(Problem((*where, "params", "detectors", i), "needs 'detector' (and optionally 'params')", ""))
            continue
        out += detector_problems(part["detector"], part.get("params") or {}, (*where, "params", "detectors", i))
    if name == "phrases" and getattr(parsed, "extra", None) and not getattr(parsed, "categories", None):
        out.append(
            Problem(
                (*where, "params", "categories"),
                "empty, so 'extra' never fires (it adds to categories)",
                "name a category, or use the 'words' detector for the rulebook's own list",
            )
        )
    lint = getattr(cls, "lint", None)
    if callable(lint):
        out += [Problem((*where, "params"), msg, "") for msg in lint(parsed)]
    return out


def _raw_detector_problems(rule: dict[str, Any], where: Path) -> list[Problem]:
    """The detectors of a rule that did not validate, checked as far as they can be."""
    out: list[Problem] = []
    for what in ("detectors", "unless"):
        uses = rule.get(what)
        for i, use in enumerate(uses if isinstance(uses, list) else []):
            if (
                isinstance(use, dict)
                and isinstance(use.get("detector"), str)
                and isinstance(use.get("params", {}), dict)
            ):
                out += detector_problems(use["detector"], use.get("params") or {}, (*where, what, i))
    return out


def _unique(rules: list[RuleSpec], raw_rules: list[Any]) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for i, rule in enumerate(raw_rules):
        if not isinstance(rule, dict):
            continue
        for key in ("name", "code"):
            value = rule.get(key)
            if not isinstance(value, str):
                continue
            if value in seen:
                out.append(
                    Problem(
                        ("rules", i, key),
                        f"'{value}' is already used by rules[{seen[value]}]",
                        "names and codes are unique",
                    )
                )
            else:
                seen[value] = i
    return out
