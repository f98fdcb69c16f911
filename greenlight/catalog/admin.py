from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.errors import DomainError

from . import services
from .models import Bundle, CalendarDay, Matter, Template, TemplateItem, TemplateLink


class MatterForm(forms.ModelForm):
    class Meta:
        model = Matter
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code") or (self.instance.code if self.instance.pk else "")
        prereqs = cleaned.get("prerequisites")
        if code and prereqs is not None:
            try:
                services.check_prerequisites(code, [m.code for m in prereqs])
            except DomainError as exc:
                self.add_error("prerequisites", str(exc.message))
        return cleaned


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    form = MatterForm
    list_display = (
        "code",
        "name",
        "department_kind",
        "stage",
        "statutory_limit",
        "statutory_unit",
        "committed_limit",
        "committed_unit",
        "accept_with_gaps",
        "commitment_based",
    )
    list_filter = ("stage", "department_kind", "accept_with_gaps", "commitment_based")
    search_fields = ("code", "name")
    filter_horizontal = ("prerequisites",)


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0
    verbose_name = _("matter of the template")
    verbose_name_plural = _("matters of the template")
    autocomplete_fields = ("matter",)


class TemplateLinkInline(admin.TabularInline):
    model = TemplateLink
    extra = 0
    verbose_name = _("link between matters")
    verbose_name_plural = _("links between matters")
    fk_name = "template"
    autocomplete_fields = ("predecessor", "successor")


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    # The code is the template's address (/templates/<code>/), edited in the form; the list
    # shows what a person reads.
    list_display = ("name", "category")
    inlines = [TemplateItemInline, TemplateLinkInline]


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "limit", "unit")
    filter_horizontal = ("matters",)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note", "source")
    list_filter = ("is_workday", "source")
    search_fields = ("note",)
    date_hierarchy = "date"
    verbose_name = _("calendar day")
