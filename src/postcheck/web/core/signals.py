"""Audit sign-in and sign-out; drop a school's cached Checker when the school changes or goes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from postcheck.web.core import checkers
from postcheck.web.core.audit import record_audit
from postcheck.web.core.models import School


@receiver(user_logged_in)
def _audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_audit("auth.login", actor=user)


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_audit("auth.logout", actor=user)


@receiver(post_save, sender=School)
@receiver(post_delete, sender=School)
def _forget_checker(sender: Any, instance: School, **kwargs: Any) -> None:
    checkers.invalidate(instance.pk)
