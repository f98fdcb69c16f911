"""Forms of the notice pages: issuing on a subject, replying, filtering the list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.models import Department
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.roles import Role

from . import clocks, subjects
from .choices import State


class NoticeForm(EdgeChecks, forms.Form):
    """Issue a notice on `subject`: what must be done, the reply time, and (when the subject has
    several departments, e.g. a batch) which one is addressed."""

    text = forms.CharField(label=_("what must be done"), widget=forms.Textarea(attrs={"rows": 3}))
    reply_days = forms.IntegerField(
        label=_("reply within (working days)"),
        min_value=1,
        max_value=clocks.MAX_REPLY_WORKDAYS,
    )
    department = forms.ModelChoiceField(
        label=_("addressed department"),
        queryset=Department.objects.none(),
        empty_label=None,
        required=False,  # not given: the subject's first (a ticket's lead department)
    )

    def __init__(self, *args, subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_days"].initial = clocks.reply_workdays(subject.supervision_region)
        allowed = list(subject.supervision_departments())
        if len(allowed) > 1:
            self.fields["department"].queryset = Department.objects.filter(
                pk__in=[d.pk for d in allowed]
            )
            self.fields["department"].initial = allowed[0].pk
        else:
            del self.fields["department"]


class ReplyForm(EdgeChecks, forms.Form):
    text = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(EdgeChecks, forms.Form):
    state = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("all"))] + State.choices
    )
    kind = forms.ChoiceField(label=_("subject type"), required=False)
    department = forms.ModelChoiceField(
        label=_("department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("all"),
    )
    q = forms.CharField(label=_("search"), required=False)
    mine = forms.BooleanField(label=_("issued by me"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all"))] + [
            (k, subjects.label_of(k)) for k in subjects.kinds()
        ]
        self.fields["department"].queryset = Department.objects.visible_to(user)
        if user.role == Role.APPROVER:
            self.fields["mine"].label = _("my department's")
