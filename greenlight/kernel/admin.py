"""Admin helpers: workflow models are read-only in the Django admin (they change through the
platform's services, which keep their events, versions and audit rows)."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows rows; no add, change or delete, whoever asks (a superuser too)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
