from django.contrib import admin

from greenlight.kernel.admin import ReadOnlyAdmin

from .models import Approval


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ("project", "matter", "department", "status", "accepted_at", "due_at")
    list_filter = ("status", "department")
    raw_id_fields = ("project", "handler")
