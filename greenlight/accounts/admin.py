from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Department, Organization, Region, Subdistrict, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "region",
        "department",
        "organization",
        "is_active",
    )
    list_filter = ("role", "region", "department", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role and scope"), {"fields": ("role", "region", "department", "organization")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role and scope"), {"fields": ("role", "region", "department", "organization")}),
    )
    autocomplete_fields = ("organization",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    list_filter = ("region",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "region")
    list_filter = ("region", "kind")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "kind", "region")
    search_fields = ("name", "credit_code")
    list_filter = ("kind", "region")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")
