"""The case page's choice of district, period, start window and template (page and API)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.accounts.models import Region
from greenlight.catalog.models import Template
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.widgets import IsoDateInput

from .casepage_records import CASE_START, DEFAULT_DAYS, SEED, slope_template


class CaseForm(EdgeChecks, forms.Form):
    """District (visible to the user), period, N of "started within N days", template; every
    field may be left out (defaults: the user's district, the case's period, 70, the
    危险边坡 template)."""

    region = forms.ChoiceField(label=_("District"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=IsoDateInput)
    end = forms.DateField(label=_("To"), required=False, widget=IsoDateInput)
    days = forms.IntegerField(
        label=_("Started within (days)"), required=False, min_value=1, max_value=366
    )
    template = forms.ChoiceField(label=_("Template"), required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.user = user
        self.regions = {r.code: r for r in Region.objects.visible_to(user).order_by("code")}
        self.fields["region"].choices = [(c, f"{r.name} ({c})") for c, r in self.regions.items()]
        templates = Template.objects.visible_to(user).order_by("code")
        self.fields["template"].choices = [("", "—")] + [(t.code, t.name) for t in templates]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        # with a default on the other side the pair must still be in order
        if (start or CASE_START) > (end or timezone.localdate()) and not (start and end):
            self.add_error(
                "end" if end else "start",
                _("the period would end before it starts (from %(a)s to %(b)s)")
                % {"a": start or CASE_START, "b": end or timezone.localdate()},
            )
        return data

    def choice(self) -> dict:
        """The figures' arguments: what was chosen, the defaults for the rest."""
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        region = self.regions.get(d.get("region") or "") or self.default_region()
        template = d.get("template") or ""
        if not template:
            chosen = slope_template(self.user)
            template = chosen.code if chosen else ""
        return {
            "region": region,
            "start": d.get("start") or CASE_START,
            "end": d.get("end") or timezone.localdate(),
            "days": d.get("days") or DEFAULT_DAYS,
            "template": template,
        }

    def default_region(self):
        if self.user.region_id and self.user.region.code in self.regions:
            return self.user.region
        return next(iter(self.regions.values()), None)


class CasesForm(CaseForm):
    """The same choice, and which figure's cases to list."""

    figure = forms.ChoiceField(
        label=pgettext_lazy("case page", "Figure"), choices=[(k, k) for k in SEED]
    )
