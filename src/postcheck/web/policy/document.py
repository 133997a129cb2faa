"""The rulebook rendered as the school's readable policy: a document (data), its plain text and its hash.

The document is what a policy version stores: the page renders it, the plain text is the
record of what was published, and the hash says whether anything changed since.
"""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from typing import Any

from postcheck.rulebook import Rulebook, RuleSpec

PLURAL = {"staff": "staff", "governor": "governors", "parent": "parents", "carer": "carers",
          "pupil": "pupils", "public": "the public"}  # fmt: skip


def who_label(roles: list[str], labels: dict[str, str] | None = None) -> str:
    """['staff', 'governor', 'parent'] -> 'Staff, governors and parents'; another rulebook's roles by
    the display names it gives them."""
    words = [PLURAL.get(r) or (labels or {}).get(r, r).lower() for r in roles]
    text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return text[:1].upper() + text[1:]


def heading_of(section: str) -> str:
    """'Websites and blogs (a)' and 'Social networking, closing line' -> the section's own heading."""
    return re.split(r"\s*\(|,", section, maxsplit=1)[0].strip()


def _rule(rule: RuleSpec) -> dict[str, Any]:
    return {"name": rule.name, "code": rule.code, "severity": rule.severity, "doc": rule.doc, "advice": rule.advice}


def policy_document(rulebook: Rulebook, school_name: str) -> dict[str, Any]:
    """Clauses grouped by section (WB, SN, IC, ...) in the rulebook's order, each with the rules that check it."""
    checked_by: dict[str, list[dict[str, Any]]] = {}
    for rule in rulebook.rules:
        for ref in rule.clauses:
            checked_by.setdefault(ref, []).append(_rule(rule))
    sections: list[dict[str, Any]] = []
    for ref, clause in rulebook.clauses.items():
        group = ref.split(".")[0]
        if not sections or sections[-1]["key"] != group:
            sections.append({"key": group, "heading": heading_of(clause.section), "anchor": f"section-{group}".lower(),
                             "clauses": []})  # fmt: skip
        who = [r.value for r in clause.who]
        sections[-1]["clauses"].append({
            "ref": ref, "anchor": "clause-" + ref.replace(".", "-").lower(), "section": clause.section,
            "covers": clause.covers, "who": who, "who_label": who_label(who, dict(rulebook.role_choices())),
            "kind": clause.kind, "text": rulebook.clause_text(ref, school_name), "rules": checked_by.get(ref, []),
        })  # fmt: skip
    return {
        "title": f"{school_name} social media policy",
        "school": school_name,
        "rulebook": {"name": rulebook.spec.name, "version": rulebook.spec.version},
        "sections": sections,
    }


def content_hash(document: dict[str, Any], school_context_hash: str) -> str:
    """Changes when the policy's words or rules change, or when the school context does."""
    canonical = json.dumps({"document": document, "context": school_context_hash}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)  # fmt: skip
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(" ".join(text.split()), width=78, initial_indent=indent, subsequent_indent=indent)


def policy_text(document: dict[str, Any]) -> str:
    """The document as plain text: the snapshot a version keeps of exactly what was published."""
    rb = document["rulebook"]
    out = [document["title"], "=" * len(document["title"]), f"Rulebook: {rb['name']}, version {rb['version']}", ""]
    for section in document["sections"]:
        out += [section["heading"], "-" * len(section["heading"]), ""]
        for c in section["clauses"]:
            out.append(f"{c['ref']}  {c['section']}")
            out.append(f"Binds: {c['who_label']}. {'A breach' if c['kind'] == 'breach' else 'Advice'}.")
            out += [_wrap(c["text"], "    "), ""]
            for r in c["rules"]:
                out += [_wrap(f"Checked by {r['code']} {r['name']}: {r['doc']}", "    "), ""]
    return "\n".join(out).rstrip() + "\n"
