"""Forms of the ticket pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.accounts import regions
from greenlight.accounts.models import Department
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.roles import Role
from greenlight.kernel.widgets import IsoDateTimeInput, LongSelect
from greenlight.projects.models import Project

from .choices import STAFF_CHANNELS, Category, Channel, Light, Milestone, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class TicketForm(EdgeChecks, forms.Form):
    project = forms.ModelChoiceField(label=_("project"), queryset=Project.objects.none())
    title = forms.CharField(label=_("title"), max_length=200)
    category = forms.ChoiceField(
        label=pgettext_lazy("ticket", "category"), choices=[("", "—")] + Category.choices
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        initial=Channel.WEB,
    )
    reported_at = forms.DateTimeField(
        label=_("reported at (phone or visit)"),
        required=False,
        widget=IsoDateTimeInput,
        help_text=_("leave empty for now"),
    )
    attachments = MultipleFileField(label=_("attachments"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("name")
        if user.role == Role.COMPANY:
            del self.fields["channel"]
            del self.fields["reported_at"]


class FilterForm(EdgeChecks, forms.Form):
    q = forms.CharField(label=_("title, project name or code"), required=False)
    light = forms.ChoiceField(
        label=_("light"), required=False, choices=[("", _("all"))] + Light.choices
    )
    state = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[
            ("", _("all")),
            ("open", _("open")),
            ("escalated", _("escalated, still open")),
            ("done", _("resolved or closed")),
        ]
        + Status.choices,
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("ticket", "category"),
        required=False,
        choices=[("", _("all"))] + Category.choices,
    )
    department = forms.ModelChoiceField(
        label=_("lead department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("all"),
        widget=LongSelect,
    )
    region = forms.ChoiceField(label=_("district"), required=False, widget=LongSelect)
    mine = forms.BooleanField(label=_("my department's"), required=False)
    project = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user)
        choices = regions.district_choices(user)
        self.many_districts = len(choices) > 1
        if self.many_districts:
            self.fields["region"].choices = [("", _("all")), *choices]
        else:
            del self.fields["region"]
        if user.role != Role.APPROVER:
            del self.fields["mine"]
        if user.role == Role.COMPANY:
            del self.fields["department"]


class AssignForm(EdgeChecks, forms.Form):
    lead_department = forms.ModelChoiceField(
        label=_("lead department"), queryset=Department.objects.none()
    )
    cooperating_departments = forms.ModelMultipleChoiceField(
        label=_("cooperating departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        depts = Department.objects.filter(region=region)
        self.fields["lead_department"].queryset = depts
        self.fields["cooperating_departments"].queryset = depts


class MilestoneForm(EdgeChecks, forms.Form):
    milestone = forms.ChoiceField(choices=Milestone.choices, widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class TextForm(EdgeChecks, forms.Form):
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(EdgeChecks, forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction"),
        coerce=int,
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(EdgeChecks, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachForm(EdgeChecks, forms.Form):
    attachments = MultipleFileField(label=_("attachments"))


class ImportForm(EdgeChecks, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
