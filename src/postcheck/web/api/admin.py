"""Tokens in the admin: seen and revoked, never created there (the token would have nowhere to be shown)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from postcheck.web.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "user", "hint", "created_at", "last_used_at", "revoked_at")
    list_filter = ("school",)
    readonly_fields = ("school", "user", "name", "hint", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
