"""Roles a person can hold in a school, and which groups of them other apps check for."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    HEADTEACHER = "headteacher", "Headteacher"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Designated safeguarding lead"
    STAFF = "staff", "Staff"
    GOVERNOR = "governor", "Governor"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    ADMIN = "admin", "School administrator"


# Who reviews and decides cases.
REVIEWERS: frozenset[str] = frozenset({Role.HEADTEACHER, Role.SAFEGUARDING_LEAD})
# Employees: the policy binds them as staff (the school administrator included).
STAFF_ROLES: frozenset[str] = frozenset({Role.HEADTEACHER, Role.SAFEGUARDING_LEAD, Role.STAFF, Role.ADMIN})
# Who must acknowledge the current policy.
ACKNOWLEDGERS: frozenset[str] = STAFF_ROLES | {Role.GOVERNOR}
# Who may change the school's settings, context and roster.
MANAGERS: frozenset[str] = frozenset({Role.HEADTEACHER, Role.ADMIN})
# Parents and carers: the community side of the policy.
FAMILY: frozenset[str] = frozenset({Role.PARENT, Role.CARER})


def policy_role(role: str) -> str:
    """The FORMATS.md author role (staff, governor, parent, carer) that a membership role posts as."""
    if role in STAFF_ROLES:
        return "staff"
    return str(role)
