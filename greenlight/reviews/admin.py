from django.contrib import admin

from .models import ActionItem, Batch, Meeting


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "issued_at", "opinion_due")
    list_filter = ("region",)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("batch", "starts_at", "place", "sequence")


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("text", "department", "due", "feedback_at")
