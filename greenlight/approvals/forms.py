"""Forms of the approval pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlight.accounts import regions
from greenlight.accounts.models import Department
from greenlight.catalog.models import Matter
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.roles import Role
from greenlight.kernel.widgets import LongSelect

from .choices import PENDING_STATUSES, PauseReason, Status

LIGHTS = [
    ("", _("all")),
    ("red", _("red: overdue")),
    ("yellow", _("yellow: due soon")),
    ("green", _("green")),
    ("paused", _("paused")),
    ("waiting", _("not accepted yet")),
]


class QueueFilterForm(EdgeChecks, forms.Form):
    q = forms.CharField(label=_("project name or code"), required=False)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("all"))] + [(s.value, s.label) for s in Status if s in PENDING_STATUSES],
    )
    light = forms.ChoiceField(label=_("light"), required=False, choices=LIGHTS)
    matter = forms.ModelChoiceField(
        label=_("matter"),
        queryset=Matter.objects.all(),
        required=False,
        empty_label=_("all"),
        widget=LongSelect,
    )
    department = forms.ModelChoiceField(
        label=_("department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("all"),
        widget=LongSelect,
    )
    region = forms.ChoiceField(label=_("district"), required=False, widget=LongSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.APPROVER:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = Department.objects.visible_to(user)
        choices = regions.district_choices(user)
        self.many_districts = len(choices) > 1
        if self.many_districts:
            self.fields["region"].choices = [("", _("all")), *choices]
        else:
            del self.fields["region"]


class ActionForm(EdgeChecks, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pause_reason = forms.ChoiceField(
        label=_("pause reason"), required=False, choices=[("", "—")] + PauseReason.choices
    )


class DecisionForm(forms.Form):
    """The decision (准予 / 不予 / 不予受理) with its document; `confirm` is the second look."""

    outcome = forms.ChoiceField(label=_("decision (outcome)"), widget=forms.RadioSelect)
    number = forms.CharField(label=_("approval or licence number"), max_length=100)
    title = forms.CharField(label=_("document title"), max_length=200, required=False)
    opinion = forms.CharField(
        label=_("approval opinion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    legal_basis = forms.CharField(label=_("legal basis"), max_length=300, required=False)
    issued_on = forms.DateField(
        label=_("issue date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    handler_name = forms.CharField(label=_("handler"), max_length=50)
    document = forms.FileField(
        label=_("signed decision document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I have checked the above; the decision is final once issued (errors are put "
            "right by a correction, which stays on record)"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]


class CorrectionForm(DecisionForm):
    """A correction of a decision in force: what changes and why; the outcome stays."""

    reason = forms.CharField(label=_("reason for the correction"), max_length=300)

    field_order = ["reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["outcome"]
        del self.fields["version"]
        self.fields["document"].label = _("corrected document (leave empty to keep the file)")
