"""The school's web app (Django): check before you post, report, review, acknowledge.

Split into Django apps so each can be owned, migrated and tested on its own:

* ``core``   schools, memberships and roles, the audit chain, the check page, sign-in
* ``cases``  report a concern, review, dashboard (stub: filled in by its owner)
* ``policy`` the readable policy, acknowledgements, settings, roster (stub)
* ``api``    ``POST /api/check`` with django-ninja (stub)

Django is an optional dependency (the ``web`` extra): nothing here is imported by
the command-line checker unless a web command runs.
"""

DEFAULT_SETTINGS = "postcheck.web.settings"
