"""Django admin: schools (context edited as YAML), memberships, and the audit log (read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from postcheck.errors import ConfigError
from postcheck.web.core.audit import record_audit
from postcheck.web.core.models import AuditEntry, Membership, School, normalise_context


class SchoolAdminForm(forms.ModelForm):
    context_text = forms.CharField(
        label="School context (YAML)", required=False, widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        help_text="FORMATS.md section 2: name, aliases, domains, timetable, term dates, roster. "
                  "Empty: just the school's name.")  # fmt: skip

    class Meta:
        model = School
        fields = ["name", "slug", "allow_anonymous_check", "allow_anonymous_report", "retention_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["context_text"].initial = self.instance.context_yaml()

    def clean_context_text(self) -> dict[str, Any]:
        text = self.cleaned_data["context_text"].strip()
        if not text:
            return {"name": self.cleaned_data.get("name") or self.instance.name}
        try:
            # A parent's role must be one the school's rulebook binds (the bundled one's for a new school).
            return normalise_context(text, self.instance.policy_roles())
        except ConfigError as exc:
            raise forms.ValidationError(str(exc)) from None

    def save(self, commit: bool = True) -> School:
        self.instance.context = self.cleaned_data["context_text"]
        return super().save(commit)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    form = SchoolAdminForm
    list_display = ["name", "slug", "allow_anonymous_check", "allow_anonymous_report", "retention_days"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: School, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Field names only: the context holds the roster, which is personal data.
        record_audit("school.change" if change else "school.create", actor=request.user, school=obj, obj=obj,
                     detail={"fields": sorted(form.changed_data)})  # fmt: skip


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "created_at"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "school__name"]
    autocomplete_fields = ["user", "school"]

    def save_model(self, request: HttpRequest, obj: Membership, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_audit("membership.change" if change else "membership.create", actor=request.user,
                     school=obj.school, obj=obj, detail={"user": obj.user_id, "role": obj.role})  # fmt: skip

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        record_audit("membership.delete", actor=request.user, school=obj.school, obj=obj,
                     detail={"user": obj.user_id, "role": obj.role})  # fmt: skip
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record_audit("membership.delete", actor=request.user, school=obj.school, obj=obj,
                         detail={"user": obj.user_id, "role": obj.role})  # fmt: skip
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "timestamp", "actor_label", "school_id", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "object_type", "object_id", "actor_label"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
