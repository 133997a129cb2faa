"""Read-only admin views: versions and acknowledgements are records, changed only through the app (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from postcheck.web.policy.models import Acknowledgement, PolicyVersion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnly):
    list_display = ("school", "number", "published_at", "published_by", "rulebook_version")
    list_filter = ("school",)
    exclude = ("document",)


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnly):
    list_display = ("user", "version", "acknowledged_at")
    list_filter = ("version__school",)
