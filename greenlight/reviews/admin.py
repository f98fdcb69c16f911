from django.contrib import admin

from greenlight.kernel.admin import ReadOnlyAdmin

from .models import ActionItem, Batch, Meeting


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("title", "region", "issued_at", "opinion_due")
    list_filter = ("region",)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("batch", "starts_at", "place", "sequence")


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("text", "department", "due", "feedback_at")
