"""Forms of the joint review pages; the services re-validate, so pages and API agree."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.widgets import IsoDateInput, IsoDateTimeInput
from greenlight.projects.models import Project

from .choices import OpinionKind, Outcome

DateInput = IsoDateInput
DateTimeInput = IsoDateTimeInput


class BatchForm(EdgeChecks, forms.Form):
    """Issue a batch from the projects ticked on the picker."""

    title = forms.CharField(label=_("batch title"), max_length=200)
    opinion_workdays = forms.IntegerField(
        label=_("opinions due in (working days)"), min_value=1, max_value=30, initial=5
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(EdgeChecks, forms.Form):
    kind = forms.ChoiceField(label=_("opinion"), choices=[c for c in OpinionKind.choices if c[0]])
    text = forms.CharField(label=_("text"), required=False, max_length=2000)


class MeetingForm(EdgeChecks, forms.Form):
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("ends at"), required=False, widget=DateTimeInput)
    place = forms.CharField(label=_("place"), max_length=200)


class ActionItemForm(EdgeChecks, forms.Form):
    """One action item of the minutes, owned by an involved department."""

    project = forms.ModelChoiceField(
        label=_("project"), queryset=Project.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("owner department"), queryset=Department.objects.none()
    )
    text = forms.CharField(label=_("action"), max_length=2000)
    due = forms.DateField(label=_("feedback due"), widget=DateInput)
    ticket_id = forms.IntegerField(label=_("problem ticket no."), required=False, min_value=1)

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(review_batches=batch)
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=batch.departments.values("department_id")
        )

    def service_item(self) -> dict:
        d = self.cleaned_data
        return {
            "project_id": d["project"].pk if d["project"] else None,
            "department_id": d["department"].pk,
            "text": d["text"],
            "due": d["due"],
            "ticket_id": d.get("ticket_id"),
        }


class FeedbackForm(EdgeChecks, forms.Form):
    feedback = forms.CharField(
        label=_("feedback"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


OUTCOME_CHOICES = [("", "—"), *Outcome.choices]
