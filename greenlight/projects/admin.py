from django.contrib import admin

from .models import InvestmentReport, Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
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
class InvestmentReportAdmin(admin.ModelAdmin):
    list_display = ("project", "month", "amount")
    raw_id_fields = ("project",)
