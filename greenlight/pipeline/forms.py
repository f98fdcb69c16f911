"""Forms of the pipeline pages; the services re-validate, so pages and API agree."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department, Organization, Subdistrict
from greenlight.catalog.choices import Category
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.roles import Role
from greenlight.kernel.widgets import IsoDateInput
from greenlight.projects.choices import Industry

from .choices import FactorKind, Funding, Maturity, Outcome

ZERO = Decimal("0")


def _amount(label, required=False):
    return forms.DecimalField(
        label=label, max_digits=16, decimal_places=2, min_value=ZERO, required=required
    )


DateInput = IsoDateInput


class TargetForm(EdgeChecks, forms.Form):
    """Issue a target to the region, a subdistrict or a department."""

    recipient = forms.ChoiceField(label=_("recipient"))
    investment = _amount(_("investment to complete (10,000 yuan)"), required=True)
    new_starts = forms.IntegerField(label=_("new construction starts"), min_value=0)
    generated = forms.IntegerField(label=_("projects to generate"), min_value=0)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("region", region.name)]
        choices += [(f"sub:{s.pk}", s.name) for s in Subdistrict.objects.filter(region=region)]
        choices += [(f"dept:{d.pk}", d.name) for d in Department.objects.filter(region=region)]
        self.fields["recipient"].choices = choices

    def recipient_kwargs(self) -> dict:
        value = self.cleaned_data["recipient"]
        if value.startswith("sub:"):
            return {"subdistrict": int(value[4:])}
        if value.startswith("dept:"):
            return {"department": int(value[5:])}
        return {}


class CandidateForm(EdgeChecks, forms.Form):
    """Propose a candidate project."""

    name = forms.CharField(label=_("name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=Organization.objects.none())
    subdistrict = forms.ModelChoiceField(
        label=_("subdistrict"), queryset=Subdistrict.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    industry = forms.ChoiceField(label=_("industry"), choices=Industry.choices)
    investment = _amount(_("estimated investment (10,000 yuan)"), required=True)
    funding = forms.ChoiceField(label=_("funding"), choices=Funding.choices)
    land_need = _amount(_("land need (m²)"))
    energy_need = _amount(_("energy need (tce)"))
    fiscal_need = _amount(_("fiscal funds need (10,000 yuan)"))
    bond_need = _amount(_("special bonds need (10,000 yuan)"))
    environment_need = _amount(_("environmental capacity need (t/a)"))
    maturity = forms.MultipleChoiceField(
        label=_("maturity checklist"),
        choices=Maturity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.IntegerField(label=_("priority (1-5)"), min_value=1, max_value=5, initial=3)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea)

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.COMPANY:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = Organization.objects.visible_to(user).filter(
                region=region
            )
        self.fields["subdistrict"].queryset = Subdistrict.objects.filter(region=region)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if "owner" in data:
            data["owner"] = data["owner"].pk
        data["subdistrict"] = data["subdistrict"].pk if data.get("subdistrict") else None
        return data


class PoolForm(EdgeChecks, forms.Form):
    """Set a factor pool of the year."""

    kind = forms.ChoiceField(label=_("factor"), choices=FactorKind.choices)
    subdistrict = forms.ModelChoiceField(
        label=_("subdistrict (land only)"), queryset=Subdistrict.objects.none(), required=False
    )
    amount = _amount(_("available"), required=True)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = Subdistrict.objects.filter(region=region)


class MeetingForm(EdgeChecks, forms.Form):
    """The meeting's facts; each candidate's decision comes as `decision_<id>` fields."""

    title = forms.CharField(label=_("title"), max_length=200)
    held_on = forms.DateField(label=_("held on"), widget=DateInput)
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea)

    def __init__(self, *args, candidates, suggested: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for c in self.candidates:
            self.fields[f"decision_{c.pk}"] = forms.ChoiceField(
                label=c.name,
                required=False,
                choices=[("", _("not on this meeting"))] + Outcome.choices,
                initial=Outcome.START if c.pk in suggested else "",
            )

    def rows(self):
        """(candidate, bound field) pairs for the template."""
        return [(c, self[f"decision_{c.pk}"]) for c in self.candidates]

    def decisions(self) -> list:
        out = []
        for c in self.candidates:
            outcome = self.cleaned_data.get(f"decision_{c.pk}")
            if outcome:
                out.append((c, outcome, ""))
        return out


class StartForm(EdgeChecks, forms.Form):
    actual_start = forms.DateField(label=_("actual construction start"), widget=DateInput)
