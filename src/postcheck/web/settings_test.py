"""Settings for the test suite: the local settings with a throw-away data folder.

Tests never touch a real data folder, and the database is Django's test database
(in-memory SQLite, or a test database on the server DATABASE_URL names).
"""

from __future__ import annotations

import os
import tempfile

# Before the local settings read it: every test run gets its own folder.
os.environ["POSTCHECK_DATA_DIR"] = tempfile.mkdtemp(prefix="postcheck-test-")

from postcheck.web.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Scans run in the test process as they are queued (tests of the queue itself switch this off).
HUEY = {**HUEY, "immediate": True}  # noqa: F405
