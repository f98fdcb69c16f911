from django.contrib import admin

from greenlight.kernel.roles import AUDIT_READERS

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only; the audit administrator and the supervisor read it
    (its own page, /audit/, searches and verifies)."""

    list_display = ("at", "actor_name", "action", "object_type", "object_repr", "request_id")
    list_filter = ("action", "object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return getattr(request.user, "role", "") in AUDIT_READERS

    def has_module_permission(self, request):
        return self.has_view_permission(request)
