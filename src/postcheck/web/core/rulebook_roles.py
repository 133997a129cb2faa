"""Author roles come from each school's rulebook, never from a fixed list.

A school's rulebook (its own published one, or the bundled Lancastrian one) declares its roles:
``staff``, ``governor``, ``parent`` ... for a school, ``instructor``, ``parent``, ``student`` for a
karate club, ``employee`` for an employer. Every form that asks for a post's author role (report
a concern, scan an export), the roster import and the Django admin take their choices and their
validation from here, so a role one school's rulebook declares is neither offered to nor accepted
from another school. A roster file's kind column may name the rulebook's roles too (``roster:`` on a
role says which roster section its people go under).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from postcheck.rulebook import DEFAULT_ROLES, Rulebook

if TYPE_CHECKING:
    from postcheck.web.core.models import School

UNKNOWN = "unknown"
UNKNOWN_LABEL = "Not known"


def rulebook_of(school: School) -> Rulebook:
    """The school's current rulebook (its latest published one, else the bundled one)."""
    from postcheck.web.core.checkers import default_rulebook, school_rulebook

    if school is None or school.pk is None:
        return default_rulebook()
    return school_rulebook(school)[1]


def author_role_choices(school: School, *, unknown: bool = True) -> list[tuple[str, str]]:
    """Every role the school's rulebook declares, in its order; first "Not known" when ``unknown``."""
    choices = rulebook_of(school).role_choices()
    return [(UNKNOWN, UNKNOWN_LABEL), *choices] if unknown else choices


def bound_role_choices(school: School) -> list[tuple[str, str]]:
    """The roles the school's rulebook binds (whose posts it checks): whose export may be scanned."""
    return rulebook_of(school).role_choices(bound_only=True)


def parent_role_choices(school: School) -> list[tuple[str, str]]:
    """(name, display) of the school's rulebook's roles listed under parents (``roster: parents``): the
    roles a roster's parent may have (not every bound role: a parent is not ``staff``)."""
    return rulebook_of(school).section_roles("parents")


def roster_kinds(school: School) -> dict[str, str]:
    """What a roster file's kind column may say for the school's rulebook's roles (name or display,
    folded) -> the roster section each goes under (``roster:`` on the role)."""
    return rulebook_of(school).roster_kinds()


def roster_roles(school: School) -> list[tuple[str, str, str]]:
    """(name, display, roster section) of each of the school's rulebook's roles that is on the roster."""
    book = rulebook_of(school)
    return [(name, role.label(name), section) for name, role in book.roles.items()
            if (section := role.section(name)) is not None]  # fmt: skip


def roster_export_kinds(school: School) -> dict[str, str]:
    """Roster section -> the school's rulebook's role written as its kind in an exported roster."""
    book = rulebook_of(school)
    return {s: kind for s in ("pupils", "staff", "parents") if (kind := book.roster_kind(s)) is not None}


def bound_roles(school: School) -> list[str]:
    return rulebook_of(school).bound_roles


def parent_roles(school: School) -> list[str]:
    """The school's rulebook's roles listed under parents (``roster: parents``): the roles a context's
    parent entry may have."""
    return rulebook_of(school).parent_roles


def labels(school: School) -> dict[str, str]:
    """Role name -> how the school's rulebook shows it, "unknown" included (one look-up for a whole page)."""
    return dict(author_role_choices(school))


def role_label(school: School | None, role: str, known: dict[str, str] | None = None) -> str:
    """How a stored role is shown: the school's rulebook's words, else FORMATS.md's, else the name."""
    if role in ("", UNKNOWN):
        return UNKNOWN_LABEL
    table = known if known is not None else (labels(school) if school is not None else {})
    if role in table:
        return table[role]
    if role in DEFAULT_ROLES:  # a role the rulebook no longer declares (it was replaced since)
        return DEFAULT_ROLES[role].label(role)
    return role.replace("_", " ").capitalize()


def unknown_role_message(school: School, role: Any, choices: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{label} ({name})" for name, label in choices if name != UNKNOWN)
    return (f"“{str(role)[:40]}” is not a role in {school.name}'s policy. "
            f"Choose one of its roles: {shown}.")  # fmt: skip


def validate_role(school: School, role: str, *, bound_only: bool = False, allow_unknown: bool = True) -> None:
    """Raise ValidationError (code ``unknown_role``) unless the school's rulebook declares ``role``."""
    choices = bound_role_choices(school) if bound_only else author_role_choices(school, unknown=allow_unknown)
    if role not in {name for name, _ in choices}:
        raise ValidationError(unknown_role_message(school, role, choices), code="unknown_role")
