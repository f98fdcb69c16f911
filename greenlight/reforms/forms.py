"""Forms of the register pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department
from greenlight.catalog.choices import Unit
from greenlight.catalog.models import Matter
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.widgets import IsoDateInput

from .choices import DocumentKind, ItemKind, ItemStatus

DateInput = IsoDateInput


class ItemForm(EdgeChecks, forms.Form):
    document = forms.CharField(label=_("policy, regulation or workflow reviewed"), max_length=200)
    document_kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices)
    finding = forms.CharField(label=_("finding"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("type"), choices=ItemKind.choices)
    owner_department = forms.ModelChoiceField(
        label=_("owner department"), queryset=Department.objects.none(), required=False
    )
    owner_unit = forms.CharField(label=_("owner unit"), max_length=100, required=False)
    due = forms.DateField(label=_("due date"), widget=DateInput)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_department"].queryset = Department.objects.filter(region=region)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        dept = data.get("owner_department")
        data["owner_department"] = dept.pk if dept else None
        return data


class ProgressForm(EdgeChecks, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=ItemStatus.choices)
    evidence = forms.CharField(
        label=_("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LimitForm(EdgeChecks, forms.Form):
    matter = forms.ModelChoiceField(label=_("matter"), queryset=Matter.objects.all())
    limit = forms.IntegerField(label=_("new committed limit"), min_value=0)
    unit = forms.ChoiceField(label=_("unit"), choices=Unit.choices)
