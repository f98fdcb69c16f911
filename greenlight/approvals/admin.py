from django.contrib import admin

from .models import Approval


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    list_display = ("project", "matter", "department", "status", "accepted_at", "due_at")
    list_filter = ("status", "department")
    raw_id_fields = ("project", "handler")
