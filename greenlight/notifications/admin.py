from django.contrib import admin

from .models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "department", "is_active")
    list_filter = ("kind", "region", "is_active")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("webhook", "event", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "event")
    readonly_fields = ("payload",)
