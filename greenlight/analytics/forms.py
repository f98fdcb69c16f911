"""Forms of analytics: periods, months, report entry and Excel upload."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenlight.catalog.choices import Stage
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.widgets import IsoDateInput, IsoMonthInput

from .rules import Period

BY_CHOICES = [
    ("matter", _("Matter")),
    ("department", _("Department")),
    ("stage", _("Stage")),
]


class PeriodForm(EdgeChecks, forms.Form):
    """A period of decisions; by default the last twelve months."""

    by = forms.ChoiceField(label=_("Group by"), choices=BY_CHOICES, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=IsoDateInput)
    end = forms.DateField(label=_("To"), required=False, widget=IsoDateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data

    def period(self) -> Period:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or (end - timedelta(days=365))
        return Period(start, end + timedelta(days=1))

    def group(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("by") or "matter"


class CaseFilterForm(PeriodForm):
    matter = forms.IntegerField(required=False, widget=forms.HiddenInput)
    department = forms.IntegerField(required=False, widget=forms.HiddenInput)
    stage = forms.ChoiceField(
        choices=[("", "")] + list(Stage.choices), required=False, widget=forms.HiddenInput
    )


class MonthField(forms.DateField):
    """A month as YYYY-MM (the first day of it)."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = IsoMonthInput

    def to_python(self, value):
        d = super().to_python(value)
        return d.replace(day=1) if d else d


class MonthForm(EdgeChecks, forms.Form):
    month = MonthField(label=_("Month"), required=False)

    def month_or(self, default: date) -> date:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"]
        return default


class ReportForm(EdgeChecks, forms.Form):
    """One month's completed investment of one project."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    month = MonthField(label=_("Month"))
    amount = forms.DecimalField(
        label=_("Completed investment (10,000 yuan)"), min_value=0, max_digits=14, decimal_places=2
    )

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.code} {p.name}"


class UploadForm(EdgeChecks, forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
