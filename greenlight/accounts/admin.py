from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from . import services
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
    # Access follows the role (greenlight.kernel.roles), never Django's groups and permissions,
    # so the form offers no permission lists (their names exist in English only).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "region", "department", "organization")}),
        # No superuser box: access follows the role (三员分立; settings.ALLOW_SUPERUSER).
        (_("Permissions"), {"fields": ("is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    # Written by the system: shown, never re-saved (the form's seconds would cut the time).
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role and scope"), {"fields": ("role", "region", "department", "organization")}),
    )
    autocomplete_fields = ("organization",)
    WATCHED = ("username", "role", "region", "department", "organization", "is_active", "is_staff")

    def save_model(self, request, obj, form, change):
        """Save, and tell the trail what changed in the account's identity and rights."""
        before = {}
        if change:
            old = User.objects.get(pk=obj.pk)
            before = {f: str(getattr(old, f) or "") for f in self.WATCHED}
        super().save_model(request, obj, form, change)
        after = {f: str(getattr(obj, f) or "") for f in self.WATCHED}
        diff = {f: [before.get(f, ""), v] for f, v in after.items() if before.get(f, "") != v}
        if "password" in form.changed_data:
            diff["password"] = ["***", "***"]
        action = "user_changed" if change else "user_created"
        services.tell(action, obj, actor=request.user, changes=diff)


# Groups grant Django permissions, which the platform does not use (see UserAdmin).
admin.site.unregister(Group)


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
    """Shown to the security administrator; tokens are made and revoked on /account/tokens/."""

    list_display = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    readonly_fields = ("digest", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
