from django.contrib import admin

from .models import SupervisionNotice


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    """Read-only: notices are issued and answered through the pages and the API (audited)."""

    list_display = ("issued_at", "subject_label", "department", "reply_due", "replied_at")
    # Only the kinds of subject notices have (办件, 疑难问题, 联审批次), not every model.
    list_filter = (("subject_type", admin.RelatedOnlyFieldListFilter), "region", "department")
    search_fields = ("subject_label", "text", "reply_text")
    date_hierarchy = "issued_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
