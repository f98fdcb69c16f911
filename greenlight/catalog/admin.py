from datetime import date

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.errors import DomainError
from greenlight.kernel.forms import EdgeChecks

from . import calendars, changes, services
from .choices import CalendarChangeKind
from .models import Bundle, CalendarDay, Matter, Template, TemplateItem, TemplateLink


class MatterForm(EdgeChecks, forms.ModelForm):
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

    def save_model(self, request, obj, form, change):
        """Through the catalog's service, as every other write: limit history, audit."""
        many = {f.name for f in Matter._meta.many_to_many}
        data = {k: v for k, v in form.cleaned_data.items() if k not in many}
        prereqs = [m.code for m in form.cleaned_data.get("prerequisites", [])]
        current = Matter.objects.get(pk=obj.pk) if change else None
        with transaction.atomic():
            saved = services.save_matter(
                data=data, prerequisites=prereqs, actor=request.user, matter=current
            )
            for name in many - {"prerequisites"}:  # e.g. the results it requires
                if name in form.cleaned_data:
                    getattr(saved, name).set(form.cleaned_data[name])
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The service set the prerequisites; only inline formsets remain (none today).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


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


class CalendarDayForm(EdgeChecks, forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "is_workday", "note")

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not CalendarDay.objects.filter(date__year=day.year).exists():
            # one row would make the whole year known, its provisional holidays gone
            raise forms.ValidationError(
                gettext(
                    "%(year)s has no calendar yet (provisional): enter its holiday notice at "
                    "/calendar/%(year)s/notice/ first"
                )
                % {"year": day.year}
            )
        return day


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Single days, edited by hand (e.g. a typhoon closure); each edit moves every clock and plan
    like the notice page does (the year must have its calendar already)."""

    form = CalendarDayForm
    list_display = ("date", "is_workday", "note", "source")
    list_filter = ("is_workday", "source")
    search_fields = ("note",)
    date_hierarchy = "date"
    verbose_name = _("calendar day")

    def changelist_view(self, request, extra_context=None):
        this = timezone.localdate().year
        years = calendars.current().provisional_years(date(this - 1, 1, 1), date(this + 2, 12, 31))
        if years:
            messages.warning(
                request,
                gettext(
                    "Provisional calendar for %(years)s: no State Council notice entered yet, "
                    "statutory holidays only (no 调休). Enter the notice at /calendar/."
                )
                % {"years": "、".join(map(str, years))},
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # saved unchanged: nothing moved, keep the day's source
        obj.source = "admin"
        changes.apply(
            kind=CalendarChangeKind.EDIT,
            years=[obj.date.year],
            write=lambda: super(CalendarDayAdmin, self).save_model(request, obj, form, change),
            actor=request.user,
            summary=f"{obj.date} {gettext('workday') if obj.is_workday else gettext('day off')} {obj.note}".strip(),
        )

    def delete_model(self, request, obj):
        changes.apply(
            kind=CalendarChangeKind.EDIT,
            years=[obj.date.year],
            write=lambda: super(CalendarDayAdmin, self).delete_model(request, obj),
            actor=request.user,
            summary=f"{obj.date} deleted",
        )

    def delete_queryset(self, request, queryset):
        years = sorted({d.year for d in queryset.values_list("date", flat=True)})
        if years:
            changes.apply(
                kind=CalendarChangeKind.EDIT,
                years=years,
                write=lambda: super(CalendarDayAdmin, self).delete_queryset(request, queryset),
                actor=request.user,
                summary=f"{queryset.count()} days deleted",
            )
