"""Forms of the approval pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department
from greenlight.catalog.models import Matter
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.roles import Role

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
        label=_("matter"), queryset=Matter.objects.all(), required=False, empty_label=_("all")
    )
    department = forms.ModelChoiceField(
        label=_("department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("all"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.APPROVER:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = Department.objects.visible_to(user)


class ActionForm(EdgeChecks, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pause_reason = forms.ChoiceField(
        label=_("pause reason"), required=False, choices=[("", "—")] + PauseReason.choices
    )
