"""Project forms and the list's filter form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department, Organization, Subdistrict
from greenlight.catalog.choices import Category
from greenlight.kernel.roles import Role

from .choices import Industry, Lifecycle
from .codes import validate_project_code


class DateInput(forms.DateInput):
    """A browser date picker; its value must be ISO (YYYY-MM-DD), whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    """Register or edit a project; the service re-validates, so API and page agree."""

    code = forms.CharField(label=_("project code"), max_length=24)
    name = forms.CharField(label=_("name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=Organization.objects.none())
    subdistrict = forms.ModelChoiceField(
        label=_("subdistrict"), queryset=Subdistrict.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    industry = forms.ChoiceField(label=_("industry"), choices=Industry.choices)
    total_investment = forms.DecimalField(
        label=_("total investment (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
    )
    land_area = forms.DecimalField(
        label=_("land area (m²)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )
    stage = forms.ChoiceField(label=_("lifecycle stage"), choices=Lifecycle.choices)
    is_major = forms.BooleanField(label=_("major project"), required=False)
    land_acquired_on = forms.DateField(label=_("land acquired"), required=False, widget=DateInput)
    planned_start = forms.DateField(
        label=_("planned construction start"), required=False, widget=DateInput
    )
    actual_start = forms.DateField(
        label=_("actual construction start"), required=False, widget=DateInput
    )
    completed_on = forms.DateField(label=_("completion"), required=False, widget=DateInput)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea)
    stage_override_reason = forms.CharField(
        label=_("reason for overriding the stage gate"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the stage's facts are missing (e.g. the start before the permit)."),
    )

    def __init__(self, *args, user, region, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role != Role.COORDINATOR:
            del self.fields["stage_override_reason"]
        if user.role == Role.COMPANY:
            del self.fields["owner"]
            for field in ("stage", "is_major") + (("code",) if editing else ()):
                del self.fields[field]
        else:
            self.fields["owner"].queryset = Organization.objects.visible_to(user).filter(
                region=region
            )
        self.fields["subdistrict"].queryset = Subdistrict.objects.filter(region=region)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()  # only present where the user may set it
        reason = validate_project_code(code)
        if reason:
            raise forms.ValidationError(reason)
        return code

    def service_data(self) -> dict:
        """Cleaned values in the shape the service takes (ids for references)."""
        data = dict(self.cleaned_data)
        if "owner" in data:
            data["owner"] = data["owner"].pk
        data["subdistrict"] = data["subdistrict"].pk if data.get("subdistrict") else None
        return data


class ProjectFilterForm(forms.Form):
    """Filters of the project list page."""

    q = forms.CharField(label=_("name or code"), required=False)
    stage = forms.ChoiceField(
        label=_("lifecycle stage"), required=False, choices=[("", _("all"))] + Lifecycle.choices
    )
    category = forms.ChoiceField(
        label=_("category"), required=False, choices=[("", _("all"))] + Category.choices
    )
    subdistrict = forms.ModelChoiceField(
        label=_("subdistrict"),
        queryset=Subdistrict.objects.none(),
        required=False,
        empty_label=_("all"),
    )
    major = forms.ChoiceField(
        label=_("major project"),
        required=False,
        choices=[("", _("all")), ("1", _("major only")), ("0", _("others"))],
    )
    department = forms.ModelChoiceField(
        label=_("pending at department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("any"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = Subdistrict.objects.filter(region__in=_regions(user))
        self.fields["department"].queryset = Department.objects.visible_to(user)


def _regions(user):
    from greenlight.accounts.models import Region

    return Region.objects.visible_to(user)
