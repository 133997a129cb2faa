"""docs/rulebook-language.md, generated from the code: the rulebook schema and the detector registry.

``postcheck docs`` writes it; tests/test_rulebook_docs.py fails when the page and the code differ
(Datasette's test_docs.py does the same for its plugin hooks), so the page cannot drift.
"""

from __future__ import annotations

import textwrap
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from postcheck.rulebook import ClauseSpec, DetectorUse, RoleSpec, RulebookSpec, RuleSpec, TermsSpec

# What each schema field means: the words a rulebook writer needs that the type does not say.
FIELD_DOCS: dict[str, dict[str, str]] = {
    "RulebookSpec": {
        "name": "The policy's title, shown in reports and the web app.",
        "version": "Your version of the rulebook (a string); the web app records it with each published version.",
        "organisation": "What `{school}` becomes in a clause's words when no context names one.",
        "roles": "The author roles the policy knows (see Roles). Without it: FORMATS.md's six roles.",
        "vocabularies": "Named word lists that detector parameters can use: `extra: {vocabulary: NAME}`.",
        "terms": "What the policy calls its organisation and people, and the word lists detectors find them "
        "with (see Terms). Without it: neutral words and empty lists.",
        "clauses": "The policy's clauses by your own reference (`PG.9a`, `SN.b`): see Clauses.",
        "rules": "The rules: see Rules.",
    },
    "RoleSpec": {
        "display": "How forms and reports show the role (`Parent or carer`); empty: the name, capitalised.",
        "bound": "The policy binds authors with this role: only their records are checked.",
        "protected": "Protected as a subject and never bound as an author (children, people under 18).",
        "roster": "The context's roster section its people are listed under (`pupils`, `staff`, `parents`, "
        "`governors`): a roster import files a row whose kind is this role's name or display under it, and "
        "detectors read an author's kind of person from it (`relationship_damage`: staff turning on a parent, "
        "a parent or governor turning on staff). Unset: FORMATS.md's for its role names (`staff`, `governor`, "
        "`parent`, `carer`, `pupil`), else none (the public).",
    },
    "TermsSpec": {
        "organisation": "The organisation's noun, in evidence and targets: `the school`, `a school e-mail "
        "address`, `the school network`, `the school's domain`.",
        "protected": "The protected people's noun: `names a pupil`, a target `a pupil`.",
        "staff": "A member of the organisation's staff, as a target: `a member of staff`, `an instructor`.",
        "colleague": "A fellow {staff}, in evidence: `refers to a colleague`.",
        "parent": "A parent, as a target: `a parent or carer`.",
        "parent_short": "A parent in evidence, when shorter than `parent`: `turns on a parent`. Empty: `parent`.",
        "site": "Where a break-time record was made when it gives no place (`on the school site`).",
        "staff_places": "Places on site where breaks may be spent (`staff room`): plain words found in a "
        "record's `location.place` (`break_outside_staff_room`).",
        "organisation_words": "Patterns that aim words at the organisation as a whole (`the school`, `slt`, "
        "`governors`): the `school` target.",
        "organisation_cues": "Patterns that show a record is about the organisation at all, before an "
        "ambiguous short name (an acronym) counts as it.",
        "staff_roles": "Patterns for staff roles: `the head`, `her TA`, `our deputy` aim words at {a_staff} (the "
        "`staff` target).",
        "role_after_name": "Patterns, matched as written, for a role after a first name: `Bilal the TA`.",
        "colleague_words": "Patterns for colleagues after `my`/`our`: `my colleague`, `our head` (`colleague_named`).",
        "protected_cues": "Patterns that put a first name among protected people rather than the author's "
        "family (`class`, `year 2`).",
        "kin_possessives": "Words that, just before a first name, make it the author's own family (`my`, "
        "`our`). Empty: the own-family rule never applies.",
        "kin_words": "Family nouns after a possessive: `my son`, `our twins`.",
        "kin_modifiers": "Words allowed between the possessive and a family noun: `my little boy`.",
        "kin_before_name": "Words allowed between the possessive and a first name: `my gorgeous niece Amelia`.",
        "organisation_refs": "Patterns for the organisation and its groups, unnamed, after `our`/`my`/`the`/`this`/"
        "`that`/`your`: `our school`, `the staff room`, `the SLT` (the reading's `role:school` references).",
        "family_words": "Patterns for family, friends and pets just before a first name (`grandad Bill`, `my son's "
        "mate Sam`) or after a possessive just after it (`Leo, my son`): the name is someone else, not the "
        "roster person.",
        "friend_words": "Patterns among `family_words` that leave {a_staff} on the roster as that person: "
        "`my friend Sarah` is still the colleague.",
        "membership_cues": "Patterns, in the field that names the organisation, that tie the author to it: `our`, "
        "`my class`, `I work at`, `staff do` (`identifies_with_school`).",
        "role_at": "Patterns for a job or group just before `at` and the organisation's name: `site manager at "
        "Brookfield` (`identifies_with_school`).",
        "protected_groups": "Patterns for the groups protected people are in, after `in`/`from`: a surname alone "
        "counts as a protected person in `Nowak in Year 1` (`pupil_named`).",
        "community_cues": "Patterns that show private matters were learned through the organisation: `a mum`, "
        "`at pick-up`, `my class` (`learned_through_school`, besides people on the roster and staff).",
        "people_words": "Patterns that make a photo's caption or alt text show other people: `children`, `pupils`, "
        "`crowd` (`photos_of_others`). Empty: it never fires.",
        "group_words": "Patterns for a group in a caption, which counts even beside the author's own children: "
        "`class`, `everyone` (`photos_of_others`).",
        "own_children": "Patterns for the author's own children, after a `kin_possessives` word: `my boys`, `our "
        "twins` in the text or title make a photo theirs, not other people's, unless its caption shows a group "
        "(`photos_of_others`). Empty: only a protected person on the roster who is the author's own child does.",
        "own_children_modifiers": "Patterns allowed between the possessive and `own_children`: `our little girls`.",
        "staff_refs": "Patterns for the organisation's staff by role, unnamed, after `the`/`our`/`my`/`his`/`her`/"
        "`their`/`Sam's` (or `the new`...): `the head`, `her TA`, `the Y2 teacher` (the reading's `role:staff` "
        "references, which the judge weighs).",
        "own_group_refs": "Patterns for the author's own group of protected people after `my`/`our`: `my class`, "
        "`our Year 4s` (the reading's `role:class` references).",
        "own_group_nouns": "The same with one word between: `my new class`, `our lovely pupils` (`role:class`).",
        "organisation_after": "Patterns that, just after the organisation's name or an alias, make it the "
        "organisation even where the name is also a place: `Kingsway Primary`, `Fenwick parents` (the reading). "
        "Empty: only the other evidence decides.",
        "organisation_matters": "Patterns, as in the lexicons (single-quoted regular expressions on folded text), "
        "for {the_organisation}'s own matters: words that make a record about {the_organisation} (`sports day`, "
        "`this term`, `ofsted` in the bundled rulebook). Read by `school_matter`, `comment_on_school_post`, the "
        "`school_context` target and the reading (whether a record is about {the_organisation}). Empty: none, "
        "so only naming {the_organisation} or its people counts.",
    },
    "ClauseSpec": {
        "section": "Where the clause is in the policy (a heading), shown with the quote.",
        "covers": "One line saying what the clause is about (filters and dashboards use it).",
        "who": "The roles the clause binds; a rule citing it may bind only these.",
        "kind": "`breach` or `advisory` (advice, not a breach).",
        "policy": "The policy's own words, quoted in every finding; `{school}` is {the_organisation}'s name "
        "(the context's `name`).",
    },
    "RuleSpec": {
        "name": "Stable kebab-case name of the bad pattern (`pupil-named`); used in results as `rule`.",
        "code": "Stable code: capitals then three digits (`PC101`, `KC001`).",
        "clauses": "The clause references the rule cites (declared under `clauses`).",
        "roles": "The author roles it binds: declared, `bound: true`, and bound by every clause cited.",
        "severity": "`breach` if any clause cited is a breach, else `advisory` (checked).",
        "accounts": "`personal`: only personal accounts; `official`: only {the_organisation}'s official accounts "
        "(FORMATS.md `official_accounts`); `any`.",
        "kinds": "Only these record kinds (`post`, `comment`, `message`, ...); absent: every kind.",
        "detectors": "The evidence: a list of `{detector: NAME, params: {...}}` (see Detectors).",
        "match": "`all`: every detector must find evidence; `any`: one is enough.",
        "unless": "Detectors that, when any finds evidence, stop the rule (exceptions).",
        "threshold": "The finding's confidence (the strongest evidence) must reach this.",
        "judged": "The trained judge decides the rule's clauses from a reading of the whole record; the "
        "detectors are its evidence (bundled rulebook only: the judge is trained on its clauses).",
        "about_school": "With `judged`: the clauses are reported only when the reading finds the record is "
        "about {the_organisation} (a reference to it, its people or roles, or its matters).",
        "message": "What the finding says: a short fact. `{subject}`: what the evidence found (a name, "
        "'a public post'); `{why}`: the evidence's own sentences.",
        "advice": "What to do instead.",
        "doc": "What the rule checks and why (`postcheck explain`).",
        "fires": "Records that must fire the rule (`postcheck test`): see Examples.",
        "clean": "Its nearest records that must not fire it.",
    },
    "DetectorUse": {
        "detector": "A registered detector's name (`postcheck detectors`).",
        "params": "Its parameters (below); unknown ones are refused.",
    },
}

# The values a `target` parameter takes: whom the words must be aimed at (detectors/targets.py).
TARGETS: dict[str, str] = {
    "none": "no condition: the words count wherever they point",
    "any": "aimed at someone or something: a person, {the_organisation}, a group (not at nobody)",
    "school": "aimed at {the_organisation} itself",
    "staff": "aimed at {a_staff}",
    "school_or_staff": "aimed at {the_organisation} or {a_staff}",
    "school_context": "in a record about {the_organisation} (it or its people named, or its matters: "
    "`organisation_matters`)",
    "person": "aimed at a person",
    "parent": "aimed at {a_parent}",
    "pupil": "aimed at {a_protected}",
}


def default_path() -> Path:
    return Path(__file__).resolve().parents[3] / "docs" / "rulebook-language.md"


def render(terms: TermsSpec | None = None) -> str:
    """The page in a rulebook's words (its ``terms:``): the detectors' summaries and docs, the target values
    and the schema's prose say its organisation and people. None: the bundled rulebook's (the page on disk)."""
    from postcheck.context import Terms, speak
    from postcheck.rulebook import load_rulebook
    from postcheck.rulebook.conditions import REGISTRY  # the built-in detectors and the conditions

    words = Terms(terms if terms is not None else load_rulebook().terms)

    targets = {v for cls in REGISTRY.values() for f in cls.Params.model_fields.values()
               if typing.get_origin(f.annotation) is typing.Literal and "none" in typing.get_args(f.annotation)
               for v in typing.get_args(f.annotation)}  # fmt: skip
    if targets != set(TARGETS):
        raise KeyError(f"target values in code {sorted(targets)} differ from TARGETS {sorted(TARGETS)}")

    out = [
        "# The rulebook language",
        "",
        "<!-- Generated by `postcheck docs` from postcheck/rulebook and the detector registry; do not edit."
        " tests/test_rulebook_docs.py fails when this page and the code differ. -->",
        "",
        "A rulebook is one YAML file: the policy as data. It declares everything policy-specific (its",
        "roles, clause references and words, vocabularies, rules, messages and advice); nothing about one",
        "policy is in code. `postcheck validate --policy F` reports every mistake at once with the line",
        "and the fix; `postcheck test --policy F` runs each rule's examples. Worked examples:",
        "`src/postcheck/rulebook/lancastrian.yaml` (bundled), `examples/karate-club/` and",
        "`examples/employer-handbook/`. This page speaks the bundled rulebook's words; `postcheck docs",
        "--policy F` shows it in yours (its `terms:`), as `postcheck explain` does.",
        "",
        "How a rule decides: it applies to a record when the author's role is one of its `roles`, the",
        "account matches `accounts` and the kind is in `kinds`. Then its `detectors` are asked (all of them",
        "must find evidence with `match: all`, one with `match: any`); if any `unless` detector finds",
        "evidence, or the strongest evidence is below `threshold`, it does not fire. Authors whose role is",
        "not `bound` are never checked.",
        "",
    ]
    out += _model_section("Top level", RulebookSpec)
    out += _model_section("Roles", RoleSpec, "Under `roles:`, one entry per role name (a lower-case word).")
    out += _model_section(
        "Terms",
        TermsSpec,
        "Under `terms:`: the policy's own words for its organisation and people, and the word lists "
        "detectors use to find them. Patterns are regular expressions on folded (lower-case) text, as in "
        "the lexicons, joined into one alternation; an empty list matches nothing. The bundled rulebook "
        "declares its own; a rulebook without `terms:` gets neutral nouns (`the organisation`, "
        "`a protected person`) and empty lists, so no other policy's wording appears in its outputs.",
    )
    out += _model_section("Clauses", ClauseSpec, "Under `clauses:`, one entry per reference.")
    out += _model_section("Rules", RuleSpec, "Under `rules:`, a list.")
    out += _model_section("Detector uses", DetectorUse, "Each item of `detectors` and `unless`.")
    out += [
        "## Examples",
        "",
        "`fires` and `clean` are lists of records (FORMATS.md section 1) with every field optional:",
        "`postcheck test` adds an `id`, `kind: post` and an author with the rule's first role.",
        "`author: parent` is short for an author with that role; `note` says why. A plain string is",
        "the text of a post.",
        "",
        "```yaml",
        "fires:",
        "  - note: a message to a student after 21:00",
        "    kind: message",
        '    created_at: "2026-11-03T21:40:00+00:00"',
        '    text: "Well done tonight, see you Thursday"',
        "    counterparty: {name: Sam, role: student, age: 14}",
        "```",
        "",
        "## Target values",
        "",
        "A detector's `target` parameter says whom the words must be aimed at:",
        "",
        "| value | meaning |",
        "|---|---|",
        *(f"| `{k}` | {speak(v, words)} |" for k, v in TARGETS.items()),
        "",
        "## Detectors",
        "",
        "Every registered detector (`postcheck detectors`), its parameters, their types and defaults.",
        "",
    ]
    for name, cls in sorted(REGISTRY.items()):
        out += _detector_section(name, cls, words)
    return speak("\n".join(out).rstrip() + "\n", words)


def _model_section(title: str, model: type[BaseModel], intro: str = "") -> list[str]:
    docs = FIELD_DOCS[model.__name__]
    lines = [f"## {title}", ""]
    if intro:
        lines += [intro, ""]
    lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        if name not in docs:
            raise KeyError(f"{model.__name__}.{name} has no entry in FIELD_DOCS: document it")
        lines.append(f"| `{name}` | {_type(field.annotation)} | {_default(field)} | {docs[name]} |")
    return [*lines, ""]


def _detector_section(name: str, cls: Any, words: Any) -> list[str]:
    summary, doc = cls.describe(words)
    lines = [f"### `{name}`", "", summary.strip()[:1].upper() + summary.strip()[1:] + ".", ""]
    if doc:
        lines += [textwrap.fill(doc, 100), ""]
    fields = cls.Params.model_fields
    if not fields:
        return [*lines, "No parameters.", ""]
    lines += ["| parameter | type | default |", "|---|---|---|"]
    for pname, field in fields.items():
        lines.append(f"| `{pname}` | {_type(field.annotation)} | {_default(field)} |")
    return [*lines, ""]


def _default(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    value = field.default_factory() if field.default_factory is not None else field.default
    if isinstance(value, dict) and value and all(isinstance(v, BaseModel) for v in value.values()):
        return "FORMATS.md's roles"
    return f"`{value!r}`" if value not in (None, "") else ("none" if value is None else "`''`")


def _type(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (list, tuple):
        return f"list of {_type(args[0])}" if args else "list"
    if origin is dict:
        return f"mapping of {_type(args[0])} to {_type(args[1])}"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type(a) for a in args)
    if annotation is type(None):
        return "none"
    name = getattr(annotation, "__name__", str(annotation))
    return {"RoleName": "role", "Role": "role", "str": "text", "int": "integer", "float": "number",
            "bool": "true/false", "Any": "any", "Example": "example", "DetectorUse": "detector use",
            "ClauseSpec": "clause", "RoleSpec": "role spec", "RuleSpec": "rule",
            "TermsSpec": "terms"}.get(name, name)  # fmt: skip
