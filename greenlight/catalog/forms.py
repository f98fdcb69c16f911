"""Forms of the calendar pages: the State Council notice (holiday ranges, make-up days) and the
CSV upload. They only parse dates; `notices.check` decides what is acceptable."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.forms import EdgeChecks

from .notices import Holiday, MakeupDay

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HolidayForm(EdgeChecks, forms.Form):
    """One 放假 range of the notice; an empty row is ignored."""

    name = forms.CharField(label=_("holiday"), required=False, max_length=100)
    start = forms.DateField(label=_("first day off"), required=False, widget=DATE)
    end = forms.DateField(label=_("last day off"), required=False, widget=DATE)

    def entry(self) -> Holiday | None:
        d = self.cleaned_data
        if not (d.get("name") or "").strip() and not d.get("start") and not d.get("end"):
            return None
        return Holiday(d.get("start"), d.get("end"), d.get("name") or "")


class MakeupForm(EdgeChecks, forms.Form):
    """One 调休上班 day of the notice; an empty row is ignored."""

    day = forms.DateField(label=_("make-up working day"), required=False, widget=DATE)
    name = forms.CharField(
        label=_("for the holiday"),
        required=False,
        max_length=100,
        help_text=_("empty: the nearest holiday"),
    )

    def entry(self) -> MakeupDay | None:
        d = self.cleaned_data
        if not d.get("day") and not (d.get("name") or "").strip():
            return None
        return MakeupDay(d.get("day"), d.get("name") or "")


HolidayFormSet = formset_factory(HolidayForm, extra=2)
MakeupFormSet = formset_factory(MakeupForm, extra=6)


class UploadForm(EdgeChecks, forms.Form):
    file = forms.FileField(
        label=_("calendar file (CSV: date,is_workday,note)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
