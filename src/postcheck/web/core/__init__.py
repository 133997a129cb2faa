"""Schools, memberships and roles, the audit chain, the check page and sign-in.

What other apps use (see each module's docstring):
  postcheck.web.core.models      School, Membership, AuditEntry
  postcheck.web.core.roles       Role, REVIEWERS, STAFF_ROLES, ACKNOWLEDGERS, policy_role()
  postcheck.web.core.access      schools_for, has_role, is_reviewer, current_school, school_required, ...
  postcheck.web.core.audit       record_audit, verify_chain
  postcheck.web.core.checkers    checker_for (also School.checker())
  postcheck.web.core.presenting  present, highlight (and the ``findings`` template tags)
  postcheck.web.core.nav         NavItem, register (menu entries per role)
"""
