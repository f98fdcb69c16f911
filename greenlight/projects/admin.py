from django.contrib import admin

from greenlight.kernel.admin import ReadOnlyAdmin

from .models import InvestmentReport, Project


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "owner",
        "region",
        "stage",
        "category",
        "is_major",
        "total_investment",
    )
    list_filter = ("stage", "category", "is_major", "region")
    search_fields = ("code", "name")
    raw_id_fields = ("owner",)


@admin.register(InvestmentReport)
class InvestmentReportAdmin(ReadOnlyAdmin):
    list_display = ("project", "month", "amount")
    raw_id_fields = ("project",)
